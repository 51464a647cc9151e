"""Every user-facing string has a Russian and an Uzbek translation."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in path.parts
)


def untranslated(po_path: Path) -> list[str]:
    """msgids whose msgstr is empty or marked fuzzy (catalogues are written --no-wrap)."""
    missing, msgid, fuzzy = [], None, False
    lines = po_path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid = line[6:]
        elif line.startswith("msgstr") and msgid not in (None, '""'):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            empty = line.endswith('""') and not following.startswith('"')
            if empty or fuzzy:
                missing.append(msgid)
            if not line.startswith("msgstr["):
                msgid, fuzzy = None, False
        elif line == "":
            msgid, fuzzy = None, False
    return missing


def test_there_are_catalogues_for_both_languages():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert languages == {"ru", "uz"}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(po_path):
    assert untranslated(po_path) == []
