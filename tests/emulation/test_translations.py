"""Vietnamese is the default language: every user-facing string must have a
Vietnamese translation, and every string in the code must be in the catalogue."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import in_ci

ROOT = Path(__file__).resolve().parents[2]


def untranslated(po_path: Path) -> list[str]:
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale="vi")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def test_the_vietnamese_catalogue_is_complete():
    assert untranslated(ROOT / "locale/vi/LC_MESSAGES/django.po") == []


def test_every_string_in_the_code_is_in_the_vietnamese_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        if in_ci():
            pytest.fail("gettext (xgettext) is missing: apt-get install -y gettext")
        pytest.skip("gettext (xgettext) is not installed: apt-get install -y gettext")
    # makemessages writes to the catalogue beside the code it reads: give it a
    # tree of links to the code and a copy of the catalogue, so the real one
    # stays untouched.
    tree = tmp_path / "src"
    tree.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in {"locale", "tests", "scripts", "var", ".venv", ".git"}:
            (tree / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "locale", tree / "locale")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-location",
            "--symlinks",
            "--ignore=.venv",
            "--ignore=var",
            "--ignore=tests",
            "--ignore=scripts",
        ],
        cwd=tree,
        env={**os.environ, "LOCALE_DIR": str(tree / "locale")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

    missing = untranslated(tree / "locale/vi/LC_MESSAGES/django.po")

    assert missing == [], (
        "Strings without a Vietnamese translation; run makemessages and "
        "scripts/po.py (see CONTRIBUTING in README): " + "; ".join(missing[:30])
    )
