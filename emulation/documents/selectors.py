"""Reads of issued documents, and who may download them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from emulation.models import IssuedDocument, User


def issued_documents_for(*, kind: str, bloc_year=None, target=None) -> QuerySet[IssuedDocument]:
    """The issued versions of one document, newest first."""
    from emulation.documents.services import subject_key_for

    return (
        IssuedDocument.objects.filter(
            kind=kind, subject_key=subject_key_for(bloc_year=bloc_year, target=target)
        )
        .select_related("issued_by")
        .order_by("-version")
    )


def get_issued_document_for(user: User, pk: int) -> IssuedDocument:
    """An issued document the user may read; 404 for missing and forbidden alike.

    A document of a bloc-year is readable by whoever sees the bloc-year.
    A document that belongs to no bloc-year names no province, so only users
    who see every province may read it: national council staff and
    superusers.
    """
    from blocs.selectors import bloc_years_visible_to

    try:
        document = IssuedDocument.objects.select_related("bloc_year").get(pk=pk)
    except IssuedDocument.DoesNotExist:
        raise Http404 from None
    if user.is_superuser:
        return document
    if document.bloc_year_id is not None:
        if bloc_years_visible_to(user).filter(pk=document.bloc_year_id).exists():
            return document
        raise Http404
    if user.is_council_staff and user.is_national:
        return document
    raise Http404
