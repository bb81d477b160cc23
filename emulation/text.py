"""Text helpers shared by every app: the file names of downloads.

``vietnamese_slug("Tờ trình đề nghị khen thưởng")`` is
"to-trinh-de-nghi-khen-thuong": the marks dropped and "đ" read as "d", where
Django's ``slugify`` would drop the letter altogether ("e-nghi")."""

from __future__ import annotations

import re

from django.utils.text import slugify

from emulation.search import fold


def vietnamese_slug(text: str, *, fallback: str = "van-ban") -> str:
    """``text`` as a file-name stem: lower case ASCII words joined by hyphens."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(str(text or "")))
    return slugify(words) or fallback


def download_name(*parts: object, extension: str, fallback: str = "van-ban") -> str:
    """A download's file name from its Vietnamese words: ``download_name("Dự thảo",
    "Biên bản họp", 2023, extension="pdf")`` is "du-thao-bien-ban-hop-2023.pdf"."""
    words = " ".join(str(part) for part in parts if part not in (None, ""))
    stem = vietnamese_slug(words, fallback=fallback)
    return f"{stem}.{extension.lstrip('.')}"
