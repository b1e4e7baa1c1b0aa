"""The Russian catalogues are complete, and the compiled .mo files match their .po sources."""

import gettext
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("**/locale/ru/LC_MESSAGES/django.po"))


def entries(po_text):
    """(msgid, msgstr, fuzzy, context) for each singular entry of a .po file."""
    found = []
    for block in po_text.split("\n\n"):
        if "msgid_plural" in block or block.lstrip().startswith("#~"):
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if not msgid or not msgstr:
            continue

        def join(quoted):
            return (
                "".join(re.findall(r'"(.*)"', quoted))
                .encode()
                .decode("unicode_escape")
                .encode("latin-1")
                .decode("utf-8")
            )

        context = re.search(r'^msgctxt ((?:".*"\n?)+)', block, re.M)
        found.append(
            (
                join(msgid.group(1)),
                join(msgstr.group(1)),
                "fuzzy" in block.split("msgid")[0],
                join(context.group(1)) if context else None,
            )
        )
    return [e for e in found if e[0]]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_is_translated_and_compiled(po):
    parsed = entries(po.read_text(encoding="utf-8"))
    assert parsed, "an empty catalogue"
    assert [msgid for msgid, msgstr, fuzzy, _context in parsed if not msgstr or fuzzy] == []
    with po.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        msgid
        for msgid, msgstr, _fuzzy, context in parsed
        if (catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)) != msgstr
    ]
    assert stale == [], "run compilemessages"


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 1
