"""The committed translation catalogues are complete, compiled and up to date.

UI strings are English msgids translated in ja; Japanese domain terms (roles, department
kinds, audit actions) are Japanese msgids translated in en. ``make messages`` extracts the
strings and compiles the .mo files (scripts/compile_messages.py).
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import polib
import pytest
from django.utils import translation

import kyokan

PACKAGE_DIR = Path(kyokan.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
LANGUAGES = ["ja", "en"]
GETTEXT_TOOLS = ["xgettext", "msgmerge", "msguniq"]
# Hiragana, katakana (incl. phonetic extensions and half-width forms), CJK ideographs.
JAPANESE = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
FIX = "run `make messages` and translate what it reports"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def load_po(lang: str) -> polib.POFile:
    return polib.pofile(str(po_path(lang)))


def key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def catalog_key(entry: polib.POEntry, msgid: str) -> str:
    return f"{entry.msgctxt}\x04{msgid}" if entry.msgctxt else msgid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_no_fuzzy_entries(lang):
    po = load_po(lang)
    assert not po.metadata_is_fuzzy, f"{lang}: the header is marked fuzzy"
    assert [e.msgid for e in po.fuzzy_entries()] == [], f"{lang}: fuzzy entries; {FIX}"


def test_every_japanese_entry_is_translated():
    po = load_po("ja")
    assert len(po) > 0
    assert [e.msgid for e in po.untranslated_entries()] == [], f"untranslated; {FIX}"


def test_every_japanese_msgid_has_an_english_translation():
    po = load_po("en")
    untranslated = [e.msgid for e in po.untranslated_entries() if JAPANESE.search(e.msgid)]
    assert untranslated == [], f"Japanese msgids without English; {FIX}"


def test_japanese_has_one_plural_form():
    assert load_po("ja").metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_catalogues_have_the_same_msgids():
    assert {key(e) for e in load_po("ja")} == {key(e) for e in load_po("en")}, FIX


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_po(lang):
    po = load_po(lang)
    mo_path = po_path(lang).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing; run scripts/compile_messages.py"
    with mo_path.open("rb") as f:
        mo = gettext.GNUTranslations(f)
    assert mo.info().get("plural-forms") == po.metadata.get("Plural-Forms")

    # GNUTranslations keeps the compiled messages in _catalog: msgid → msgstr, and
    # (msgid, index) → msgstr for plural forms; a context is prefixed as "ctxt\x04".
    expected = {}
    for entry in po.translated_entries():
        if entry.msgid_plural:
            for index, msgstr in entry.msgstr_plural.items():
                expected[(catalog_key(entry, entry.msgid), int(index))] = msgstr
        else:
            expected[catalog_key(entry, entry.msgid)] = entry.msgstr
    compiled = {k: v for k, v in mo._catalog.items() if k != ""}
    stale = f"{mo_path.name} differs from django.po; run scripts/compile_messages.py"
    assert compiled == expected, stale


def test_django_uses_the_catalogues():
    from kyokan.apps.core.roles import Role

    with translation.override("ja"):
        assert translation.gettext("Audit trail") == "監査ログ"
        assert str(Role.SECRETARIAT.label) == "事務局"
    with translation.override("en"):
        assert translation.gettext("Audit trail") == "Audit trail"
        assert str(Role.SECRETARIAT.label) == "Secretariat"


# makemessages is run in a copy of the package so that the committed catalogues are never
# touched. The child process checks that it imported the copy before extracting anything.
MAKEMESSAGES = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import kyokan

    copy = Path(sys.argv[1]).resolve()
    if Path(kyokan.__file__).resolve().parent != copy:
        sys.exit(f"imported {kyokan.__file__} instead of the copy in {copy}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(
        ["django-admin", "makemessages", "-l", "ja", "--no-location", "--no-obsolete"]
    )
    """
)


@pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in GETTEXT_TOOLS),
    reason="GNU gettext (xgettext, msgmerge, msguniq) is not installed, so "
    "makemessages cannot run; the committed catalogues are checked by the other tests",
)
def test_makemessages_finds_no_new_strings(tmp_path):
    copy = tmp_path / "src" / "kyokan"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "static"),
    )
    pythonpath = os.environ.get("PYTHONPATH")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(copy.parent), pythonpath])),
        "DJANGO_SETTINGS_MODULE": "kyokan.config.settings",
        "KYOKAN_ENV": "development",
        "KYOKAN_DATA_DIR": str(tmp_path / "var"),
        "KYOKAN_SECRET_KEY": "makemessages-test",
    }
    result = subprocess.run(
        [sys.executable, "-c", MAKEMESSAGES, str(copy)],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    extracted = polib.pofile(str(copy / "locale" / "ja" / "LC_MESSAGES" / "django.po"))
    committed = {key(e) for e in load_po("ja")}
    new = sorted(e.msgid for e in extracted if key(e) not in committed)
    assert new == [], f"strings missing from the catalogues; {FIX}"
