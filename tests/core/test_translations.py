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


# The project's catalogue, and the catalogues of apps that keep their own (an app with a
# locale/ folder: makemessages writes the app's strings there).
APP_LOCALE_DIRS = sorted(path for path in (PACKAGE_DIR / "apps").glob("*/locale") if path.is_dir())
LOCALE_DIRS = [LOCALE_DIR, *APP_LOCALE_DIRS]
CATALOGUES = [(d, lang) for d in LOCALE_DIRS for lang in LANGUAGES]


def catalogue_id(value) -> str:
    return str(value.relative_to(PACKAGE_DIR)) if isinstance(value, Path) else str(value)


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / "django.po"


def load_po(lang: str, locale_dir: Path = LOCALE_DIR) -> polib.POFile:
    return polib.pofile(str(po_path(lang, locale_dir)))


def key(entry: polib.POEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def catalog_key(entry: polib.POEntry, msgid: str) -> str:
    return f"{entry.msgctxt}\x04{msgid}" if entry.msgctxt else msgid


@pytest.mark.parametrize(("locale_dir", "lang"), CATALOGUES, ids=catalogue_id)
def test_catalogue_has_no_fuzzy_entries(locale_dir, lang):
    po = load_po(lang, locale_dir)
    assert not po.metadata_is_fuzzy, f"{lang}: the header is marked fuzzy"
    assert [e.msgid for e in po.fuzzy_entries()] == [], f"{lang}: fuzzy entries; {FIX}"


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=catalogue_id)
def test_every_japanese_entry_is_translated(locale_dir):
    po = load_po("ja", locale_dir)
    assert len(po) > 0
    assert [e.msgid for e in po.untranslated_entries()] == [], f"untranslated; {FIX}"


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=catalogue_id)
def test_every_japanese_msgid_has_an_english_translation(locale_dir):
    po = load_po("en", locale_dir)
    untranslated = [e.msgid for e in po.untranslated_entries() if JAPANESE.search(e.msgid)]
    assert untranslated == [], f"Japanese msgids without English; {FIX}"


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=catalogue_id)
def test_japanese_has_one_plural_form(locale_dir):
    assert load_po("ja", locale_dir).metadata["Plural-Forms"] == "nplurals=1; plural=0;"


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=catalogue_id)
def test_catalogues_have_the_same_msgids(locale_dir):
    ja, en = load_po("ja", locale_dir), load_po("en", locale_dir)
    assert {key(e) for e in ja} == {key(e) for e in en}, FIX


@pytest.mark.parametrize(("locale_dir", "lang"), CATALOGUES, ids=catalogue_id)
def test_compiled_catalogue_matches_po(locale_dir, lang):
    po = load_po(lang, locale_dir)
    mo_path = po_path(lang, locale_dir).with_suffix(".mo")
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

    new = []
    for locale_dir in LOCALE_DIRS:
        relative = po_path("ja", locale_dir).relative_to(PACKAGE_DIR)
        extracted = polib.pofile(str(copy / relative))
        committed = {key(e) for e in load_po("ja", locale_dir)}
        new += [f"{relative}: {e.msgid}" for e in extracted if key(e) not in committed]
    assert new == [], f"strings missing from the catalogues; {FIX}"


def test_a_pasted_nul_is_named_in_japanese_not_mistranslated():
    # Django's ja catalogue says 「何か文字を入力してください。」 ("type some text") here.
    from django import forms
    from django.utils import translation

    with translation.override("ja"), pytest.raises(forms.ValidationError) as raised:
        forms.CharField().clean("番号札を\x00スマホで")
    assert raised.value.messages == [
        "使えない文字（NUL 文字）が含まれています。取り除いてから送ってください。"
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_string_in_two_catalogues_has_one_translation(lang):
    # Django merges every catalogue into one: LOCALE_PATHS first, then the apps in
    # INSTALLED_APPS order. An app's own translation of a msgid that an earlier catalogue
    # also has is never shown — the procedures table's 「誰が」 column read 「操作者」 (the audit
    # trail's word), the portal's 「人数」 read 「職員・関係者」. Where the sense differs, the app
    # gives its string a context (pgettext, {% translate … context … %}).
    from django.conf import settings

    order = [LOCALE_DIR] + [
        PACKAGE_DIR / "apps" / name.rsplit(".", 1)[1] / "locale"
        for name in settings.INSTALLED_APPS
        if name.startswith("kyokan.apps.")
    ]
    first: dict = {}
    shadowed = []
    for locale_dir in order:
        if not po_path(lang, locale_dir).exists():
            continue
        for entry in load_po(lang, locale_dir):
            if entry.obsolete or not entry.msgstr:
                continue
            where = catalogue_id(locale_dir)
            shown = first.setdefault(key(entry), (where, entry.msgstr))
            if shown[1] != entry.msgstr:
                shadowed.append(f"{where}: {entry.msgid!r} → {entry.msgstr!r}, shown {shown}")
    assert shadowed == [], "\n".join(shadowed)
