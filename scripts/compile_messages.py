"""Compile every catalogue (kyokan/locale/, and each app's own locale/) to .mo with polib.

No GNU msgfmt is needed.

Run from anywhere: ``python scripts/compile_messages.py``. Exits non-zero, naming the file
and the messages, when a catalogue is not ready:

- any .po with a fuzzy entry (or a fuzzy header);
- ja: any untranslated entry (the Japanese UI must be complete);
- other languages (en): any untranslated entry whose msgid contains Japanese characters.
  English msgids may stay untranslated there, because gettext falls back to the msgid.

Nothing is written unless every catalogue passes.
"""

import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "kyokan"
LOCALE_DIR = PACKAGE_DIR / "locale"

# Hiragana, katakana (incl. phonetic extensions and half-width forms), CJK ideographs.
JAPANESE = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)
# Languages whose every msgid must be translated (the msgids are English).
COMPLETE_LANGUAGES = {"ja"}


def has_japanese(text: str) -> bool:
    return bool(JAPANESE.search(text))


def language_of(po_path: Path) -> str:
    """kyokan/locale/<lang>/LC_MESSAGES/django.po → <lang>."""
    return po_path.parent.parent.name


def po_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The project's catalogue and those of apps that keep their own (kyokan/apps/X/locale/:
    makemessages writes an app's strings there once the folder exists)."""
    return sorted(package_dir.glob("**/locale/*/LC_MESSAGES/*.po"))


def problems(po_path: Path, po: polib.POFile | None = None) -> list[str]:
    """What keeps this catalogue from being compiled; empty when it is ready."""
    po = po if po is not None else polib.pofile(str(po_path))
    lang = language_of(po_path)
    found = []
    if po.metadata_is_fuzzy:
        found.append("the header is marked fuzzy")
    for entry in po.fuzzy_entries():
        found.append(f"fuzzy: {entry.msgid!r}")
    for entry in po.untranslated_entries():
        if lang in COMPLETE_LANGUAGES or has_japanese(entry.msgid):
            found.append(f"untranslated: {entry.msgid!r}")
    return found


def main() -> int:
    paths = po_files()
    if not paths:
        print(f"No .po files under {PACKAGE_DIR}", file=sys.stderr)
        return 1
    catalogues = []
    failed = False
    for po_path in paths:
        po = polib.pofile(str(po_path))
        found = problems(po_path, po)
        if found:
            failed = True
            print(f"{po_path.relative_to(ROOT)}: {len(found)} problem(s)", file=sys.stderr)
            for problem in found:
                print(f"  {problem}", file=sys.stderr)
        catalogues.append((po_path, po))
    if failed:
        return 1
    for po_path, po in catalogues:
        mo_path = po_path.with_suffix(".mo")
        po.save_as_mofile(str(mo_path))
        print(f"{mo_path.relative_to(ROOT)}: {len(po.translated_entries())} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
