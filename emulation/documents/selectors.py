"""Reads of issued documents."""

from __future__ import annotations

from django.db.models import QuerySet

from emulation.documents.services import subject_key_for
from emulation.models import IssuedDocument


def issued_documents_for(*, kind: str, bloc_year=None, target=None) -> QuerySet[IssuedDocument]:
    """The issued versions of one document, newest first."""
    return (
        IssuedDocument.objects.filter(
            kind=kind, subject_key=subject_key_for(bloc_year=bloc_year, target=target)
        )
        .select_related("issued_by")
        .order_by("-version")
    )
