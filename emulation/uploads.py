"""Uploaded files: checked by content, stored under random names, and served
only through views that have checked permission (never a public MEDIA URL)."""

from __future__ import annotations

import io
import os
import re
import unicodedata
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

DEFAULT_KINDS = ("pdf", "docx", "xlsx", "jpg", "png")
EXTENSIONS = {
    "pdf": {".pdf"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
    "jpg": {".jpg", ".jpeg"},
    "png": {".png"},
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
_UNSAFE_NAME = re.compile(r"[/\\\x00]|(^|[/\\])\.\.($|[/\\])")


def sniff(head: bytes, data_for_zip=None) -> str | None:
    """The kind of a file from its first bytes (and, for zip-based Office files,
    the names inside): pdf, png, jpg, docx, xlsx, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04") and data_for_zip is not None:
        try:
            with zipfile.ZipFile(data_for_zip) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def validate_upload(file, *, allowed=DEFAULT_KINDS, max_bytes: int | None = None) -> str:
    """Check an uploaded file and return its kind; raise ValidationError otherwise.

    The name must carry no path; the size must be within the limit (settings.
    EVIDENCE_MAX_BYTES by default); the content must be one of ``allowed``
    and agree with the file's extension.
    """
    name = getattr(file, "name", "") or ""
    if not name or _UNSAFE_NAME.search(name):
        raise ValidationError(_("The file name must not contain a path."), code="path")
    limit = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)},
            code="size",
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    zip_source = None
    if head.startswith(b"PK\x03\x04"):
        zip_source = io.BytesIO(file.read())
        file.seek(0)
    kind = sniff(head, zip_source)
    allowed_text = ", ".join(k.upper() for k in allowed)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("This file type is not accepted. Accepted: %(kinds)s.") % {"kinds": allowed_text},
            code="type",
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(
            _("The file's content (%(kind)s) does not match its name “%(name)s”.")
            % {"kind": kind.upper(), "name": safe_original_name(name)},
            code="mismatch",
        )
    return kind


def safe_original_name(name: str, max_length: int = 150) -> str:
    """The user's file name for display and download: no path, no control characters."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable())
    base = base.strip().strip(".") or "tep"
    stem, ext = os.path.splitext(base)
    return stem[: max_length - len(ext)] + ext


@deconstructible
class RandomName:
    """``upload_to`` that stores a file under ``<prefix>/<year>/<random hex><ext>``."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        ext = os.path.splitext(filename)[1].lower()
        if not re.fullmatch(r"\.[a-z0-9]{1,5}", ext or ".x"):
            ext = ""
        return f"{self.prefix}/{timezone.now():%Y}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.prefix == self.prefix


def protected_download(file_field, filename: str, *, inline: bool = False) -> FileResponse:
    """Stream a stored file. Call it only after the view has checked permission."""
    name = safe_original_name(filename or os.path.basename(file_field.name))
    ext = os.path.splitext(name)[1].lower()
    kind = next((k for k, exts in EXTENSIONS.items() if ext in exts), None)
    response = FileResponse(
        file_field.open("rb"),
        as_attachment=not inline,
        filename=name,
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
