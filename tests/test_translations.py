"""Every user-facing string has a Russian and an Uzbek translation."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path for path in ROOT.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in path.parts
)


def untranslated(po_path: Path) -> list[str]:
    """msgids whose msgstr is empty or marked fuzzy (catalogues are written --no-wrap)."""
    missing, msgid, flagged_fuzzy, entry_fuzzy = [], None, False, False
    lines = po_path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("#,"):
            flagged_fuzzy = "fuzzy" in line
        elif line.startswith("msgid "):
            msgid, entry_fuzzy, flagged_fuzzy = line[6:], flagged_fuzzy, False
        elif line.startswith("msgstr") and msgid not in (None, '""'):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            empty = line.endswith('""') and not following.startswith('"')
            if (empty or entry_fuzzy) and msgid not in missing:
                missing.append(msgid)
    return missing


def test_there_are_catalogues_for_both_languages():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert languages == {"ru", "uz"}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(po_path):
    assert untranslated(po_path) == []
