"""A rendered document sent as a download: never cached on the way, since only
the people allowed to see its subject may fetch it."""

from __future__ import annotations

from django.http import HttpResponse

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def document_response(data: bytes, *, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
