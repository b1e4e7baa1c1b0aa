"""Django settings, derived entirely from the node options (khronika/options.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from khronika import options

NODE = options.load()
HOME: Path = NODE.home
BASE_DIR = Path(__file__).resolve().parent

# A node that was never initialised (a test run, `khronika check`) gets a key that lives as long as the
# process; `khronika serve` refuses to start without the key file, so real sessions never depend on it.
SECRET_KEY = options.secret_key(HOME) or secrets.token_urlsafe(50)
DEBUG = NODE.debug
ALLOWED_HOSTS = NODE.allowed_hosts
NODE_ID = NODE.node_id or "unset"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "khronika.core",
    "khronika.accounts",
    "khronika.directory",
    "khronika.monitoring",
    "khronika.cases",
    "khronika.search",
    "khronika.api",
    "khronika.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khronika.core.middleware.LanguageMiddleware",
    "khronika.core.middleware.NoStoreMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "khronika.accounts.middleware.HtmxLoginRedirectMiddleware",
    "khronika.accounts.middleware.SessionAbsoluteTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "khronika.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "khronika.core.middleware.ApplicationErrorMiddleware",
    # Last, as axes asks: it turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khronika.urls"
WSGI_APPLICATION = "khronika.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "khronika.core.context.node",
            ],
        },
    }
]


def _database() -> dict:
    if NODE.database_url:
        config = dict(dj_database_url.parse(NODE.database_url, conn_max_age=60))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(NODE.sqlite_path),
        "OPTIONS": {
            # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN so
            # two writers queue on the busy timeout instead of failing half-way with "database is locked".
            # secure_delete overwrites deleted rows in the file, so destroyed keys do not linger in free
            # pages of a seized database.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
KHRONIKA_SEARCH_BACKEND = NODE.search_backend
KHRONIKA_SEARCH_INDEX = HOME / "search-index"
# Files attached to events and cases, each encrypted with a key of its own (monitoring/documents.py).
KHRONIKA_DOCUMENTS = HOME / "documents"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "directory:organisation_list"
LOGOUT_REDIRECT_URL = "accounts:login"
# The second factor (accounts/second_factor.py): TOTP with recovery codes. Each wrong code doubles the
# wait before the next attempt (2 s, 4 s, 8 s…), per device. The issuer an authenticator app shows is the
# node's name, which the operator chooses; on a seized phone it is all the entry says about the account.
OTP_TOTP_THROTTLE_FACTOR = 2
OTP_STATIC_THROTTLE_FACTOR = 2
OTP_TOTP_ISSUER = NODE.node_name
OTP_TOTP_SYNC = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = NODE.session_idle_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Khronika's own: a session ends this long after sign-in, however active (accounts/middleware.py).
SESSION_ABSOLUTE_AGE = NODE.session_absolute_hours * 3600

# --- HTTP security (README, "Security settings") ------------------------------------------------------
# With `https = false` (a laptop serving 127.0.0.1) `check --deploy` warns about the four HTTPS settings
# below (security.W004, W008, W012, W016); that is expected there and nowhere else.
SESSION_COOKIE_SECURE = NODE.https
CSRF_COOKIE_SECURE = NODE.https
SECURE_SSL_REDIRECT = NODE.https
SECURE_HSTS_SECONDS = 31536000 if NODE.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = NODE.https
SECURE_HSTS_PRELOAD = NODE.https
# Behind a reverse proxy that ends TLS, the proxy tells the scheme; it must overwrite what a client sent.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if NODE.trusted_proxy_count else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Everything a page loads comes from the node itself: no third-party origin, no inline script or style,
# no eval (htmx is configured in base.html not to need them). The public site narrows this further
# (public/views.py). django-csp 4 reads the dict form.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}

# Brute-force lockout (django-axes): after `login_failure_limit` wrong passwords for one username from one
# address, that pair is refused for `login_lockout_minutes`, counted again from each new failure. The
# client address is the connection's unless `trusted_proxy_count` proxies sit in front
# (accounts/middleware.py: client_ip_address), so a forged X-Forwarded-For changes nothing.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "khronika.accounts.backends.AccountBackend",
]
AXES_FAILURE_LIMIT = NODE.login_failure_limit
AXES_COOLOFF_TIME = dt.timedelta(minutes=NODE.login_lockout_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "khronika.accounts.middleware.client_ip_address"
AXES_LOCKOUT_CALLABLE = "khronika.accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429  # Too Many Requests, on our own page
AXES_RESET_ON_SUCCESS = True
# The lockout table (axes.AccessAttempt) is the only place axes keeps a username and an address: only for
# failed attempts, only until the lockout expires (cleared on each sign-in and at `khronika serve`).
# No log of successful sign-ins, none of failures beyond it, nothing of the request that could name a
# person or replay a token, and log lines with the username and address masked.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "next", "csrfmiddlewaretoken"]
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

LANGUAGE_CODE = NODE.language
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tracebacks without exception messages, which may quote a protected value (core/logs.py).
    "formatters": {"plain": {"()": "khronika.core.logs.SafeFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # The node log in the home directory; only created once the home exists (after `khronika init`).
        **(
            {
                "node_log": {
                    "class": "logging.FileHandler",
                    "filename": str(HOME / "khronika.log"),
                    "formatter": "plain",
                    "delay": True,
                }
            }
            if HOME.is_dir()
            else {}
        ),
    },
    # Request logging is left at WARNING: request lines carry query strings, and queries may name people.
    "loggers": {
        "khronika": {
            "handlers": ["console", *(["node_log"] if HOME.is_dir() else [])],
            "level": NODE.log_level,
        },
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {
            "handlers": ["console", *(["node_log"] if HOME.is_dir() else [])],
            "level": "ERROR",
            "propagate": False,
        },
    },
}
