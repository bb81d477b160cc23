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
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-location",
            "--ignore=.venv",
            "--ignore=var",
            "--ignore=tests",
            "--ignore=scripts",
        ],
        cwd=ROOT,
        env={**os.environ, "LOCALE_DIR": str(tmp_path / "locale")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

    missing = untranslated(tmp_path / "locale/vi/LC_MESSAGES/django.po")

    assert missing == [], (
        "Strings without a Vietnamese translation; run makemessages and "
        "scripts/po.py (see CONTRIBUTING in README): " + "; ".join(missing[:30])
    )
