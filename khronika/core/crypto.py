"""The cryptography of protected values (DESIGN.md section 3, "Crypto"), with PyNaCl.

- A protected value is sealed with a random *data key* of its own (XSalsa20-Poly1305, ``SecretBox``).
- The data key is *wrapped* to the public key of each recipient — a user, a group, the organisation's
  recovery key — with an X25519 sealed box: only the holder of the matching private key unwraps it.
- A user's private key is kept only wrapped by a key derived from their passphrase (argon2id).
- At sign-in the private key is unwrapped and wrapped again with a random *session key*; the server keeps
  the wrapped private key in the session, the browser keeps the session key in a cookie. Neither half
  alone opens anything, so a seized server — database, session store and node home — reveals no
  protected value. (A live, compromised server still sees what its users open while they use it.)

These functions are pure: they take and return bytes and keep no state. Stored forms are text with a
version prefix (``kh1.``), so that the scheme can change without guessing what a stored value is.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import nacl.exceptions
import nacl.public
import nacl.pwhash
import nacl.secret
import nacl.utils

KEY_BYTES = nacl.secret.SecretBox.KEY_SIZE
PREFIX = "kh1."


class CryptoError(Exception):
    """A sealed value or wrapped key could not be opened: wrong key, wrong passphrase, or altered data.

    The message never includes key material or plaintext."""


def _encode(raw: bytes) -> str:
    return PREFIX + base64.urlsafe_b64encode(raw).decode("ascii")


def _decode(text: str) -> bytes:
    if not text.startswith(PREFIX):
        raise CryptoError("not a sealed value of a known version")
    try:
        return base64.urlsafe_b64decode(text[len(PREFIX) :].encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise CryptoError("damaged sealed value") from None


def is_sealed(text: str) -> bool:
    return isinstance(text, str) and text.startswith(PREFIX)


# --- Values and data keys ---------------------------------------------------------------------------------


def new_data_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def seal(data_key: bytes, plaintext: str) -> str:
    return _encode(bytes(nacl.secret.SecretBox(data_key).encrypt(plaintext.encode("utf-8"))))


def unseal(data_key: bytes, sealed: str) -> str:
    try:
        return nacl.secret.SecretBox(data_key).decrypt(_decode(sealed)).decode("utf-8")
    except nacl.exceptions.CryptoError:
        raise CryptoError("the key does not open this value, or the value was altered") from None


def encrypt_bytes(key: bytes, data: bytes) -> bytes:
    """A file's content encrypted with its own key (the nonce comes first)."""
    return bytes(nacl.secret.SecretBox(key).encrypt(data))


def decrypt_bytes(key: bytes, data: bytes) -> bytes:
    try:
        return bytes(nacl.secret.SecretBox(key).decrypt(data))
    except nacl.exceptions.CryptoError:
        raise CryptoError("the key does not open this file, or the file was altered") from None


# --- Key pairs and wrapping ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    private: bytes


def new_key_pair() -> KeyPair:
    private = nacl.public.PrivateKey.generate()
    return KeyPair(public=bytes(private.public_key), private=bytes(private))


def public_of(private: bytes) -> bytes:
    """The public half of a private key; CryptoError when ``private`` is not a key."""
    try:
        return bytes(nacl.public.PrivateKey(private).public_key)
    except (TypeError, ValueError, nacl.exceptions.CryptoError):
        raise CryptoError("not a private key") from None


def wrap_key(key: bytes, recipient_public: bytes) -> str:
    """Wrap ``key`` (a data key or a group's private key) for the owner of ``recipient_public`` alone."""
    return _encode(bytes(nacl.public.SealedBox(nacl.public.PublicKey(recipient_public)).encrypt(key)))


def unwrap_key(wrapped: str, recipient_private: bytes) -> bytes:
    try:
        return bytes(
            nacl.public.SealedBox(nacl.public.PrivateKey(recipient_private)).decrypt(_decode(wrapped))
        )
    except nacl.exceptions.CryptoError:
        raise CryptoError("this private key does not open the wrapped key") from None


# --- Passphrases ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Argon2Cost:
    """How hard the passphrase derivation is. Stored with each wrapped key, so that raising the cost later
    leaves older wraps readable."""

    opslimit: int = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
    memlimit: int = nacl.pwhash.argon2id.MEMLIMIT_MODERATE


@dataclass(frozen=True)
class PassphraseWrap:
    salt: bytes
    cost: Argon2Cost
    boxed: str

    def encode(self) -> str:
        return ".".join(
            [
                PREFIX.rstrip("."),
                "argon2id",
                str(self.cost.opslimit),
                str(self.cost.memlimit),
                base64.urlsafe_b64encode(self.salt).decode("ascii"),
                self.boxed[len(PREFIX) :],
            ]
        )

    @classmethod
    def decode(cls, text: str) -> PassphraseWrap:
        try:
            version, kdf, ops, mem, salt, boxed = text.split(".")
            if (version + ".", kdf) != (PREFIX, "argon2id"):
                raise ValueError(version)
            return cls(base64.urlsafe_b64decode(salt), Argon2Cost(int(ops), int(mem)), PREFIX + boxed)
        except ValueError:
            raise CryptoError("not a passphrase-wrapped key of a known version") from None


def _passphrase_key(passphrase: str, salt: bytes, cost: Argon2Cost) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        KEY_BYTES, passphrase.encode("utf-8"), salt, opslimit=cost.opslimit, memlimit=cost.memlimit
    )


def passphrase_wrap(private: bytes, passphrase: str, cost: Argon2Cost | None = None) -> str:
    cost = cost or Argon2Cost()
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    boxed = seal(_passphrase_key(passphrase, salt, cost), base64.b64encode(private).decode("ascii"))
    return PassphraseWrap(salt, cost, boxed).encode()


def passphrase_unwrap(wrapped: str, passphrase: str) -> bytes:
    stored = PassphraseWrap.decode(wrapped)
    try:
        opened = unseal(_passphrase_key(passphrase, stored.salt, stored.cost), stored.boxed)
    except CryptoError:
        raise CryptoError("wrong passphrase") from None
    return base64.b64decode(opened)


# --- Sessions -----------------------------------------------------------------------------------------------


def session_wrap(private: bytes) -> tuple[str, str]:
    """Wrap a private key for one session: (session key for the browser's cookie, wrapped key for the
    server's session store)."""
    session_key = nacl.utils.random(KEY_BYTES)
    wrapped = seal(session_key, base64.b64encode(private).decode("ascii"))
    return base64.urlsafe_b64encode(session_key).decode("ascii"), wrapped


def session_unwrap(session_key: str, wrapped: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(session_key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise CryptoError("damaged session key") from None
    if len(key) != KEY_BYTES:
        raise CryptoError("damaged session key")
    return base64.b64decode(unseal(key, wrapped))
