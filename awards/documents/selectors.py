"""Who may download an issued document."""

from __future__ import annotations

from django.http import Http404

from blocs.selectors import bloc_years_visible_to
from emulation.models import IssuedDocument, User
from emulation.rules import is_superuser, sees_all_provinces


def get_issued_document_for(user: User, pk: int) -> IssuedDocument:
    """An issued document the user may read; 404 for missing and forbidden alike.

    A document of a bloc-year is readable by whoever sees the bloc-year.
    A document that belongs to no bloc-year names no province, so only users
    who see every province may read it: national council staff and
    superusers.
    """
    try:
        document = IssuedDocument.objects.select_related("bloc_year").get(pk=pk)
    except IssuedDocument.DoesNotExist:
        raise Http404 from None
    if is_superuser(user):
        return document
    if document.bloc_year_id is not None:
        if bloc_years_visible_to(user).filter(pk=document.bloc_year_id).exists():
            return document
        raise Http404
    if sees_all_provinces(user):
        return document
    raise Http404
