"""Issuing a document of a bloc-year's dossier: the one service the documents
pages and the demo call. It refuses a document whose data are incomplete, then
lets ``document_issue`` render, store and audit it (one audit event)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.documents.builders import entry_for
from blocs.enums import Phase
from blocs.models import BlocYear
from emulation.documents.services import document_issue
from emulation.models import IssuedDocument, User


def dossier_document_issue(
    *,
    actor: User,
    bloc_year: BlocYear,
    slug: str,
    number: str,
    date: datetime.date,
) -> IssuedDocument:
    """Issue version n+1 of the bloc-year's document ``slug`` with its number and date."""
    with transaction.atomic():
        return _issue(actor=actor, bloc_year=bloc_year, slug=slug, number=number, date=date)


def _issue(*, actor, bloc_year, slug, number, date) -> IssuedDocument:
    # Lock the bloc-year first, so that the readiness read below and the new
    # version are consistent (document_issue takes the same lock).
    locked = BlocYear.objects.select_for_update().filter(pk=bloc_year.pk).first()
    if locked.phase == Phase.CLOSED:
        raise ValidationError(
            _("This bloc-year is closed; its documents can no longer be changed.")
        )
    entry = entry_for(bloc_year, slug)
    if entry is None:
        raise ValidationError(_("This document is not part of the bloc-year's dossier."))
    if entry.missing:
        raise ValidationError(
            _("This document cannot be issued yet: %(why)s") % {"why": entry.missing}
        )
    number = " ".join((number or "").split())
    if not number:
        raise ValidationError(_("Give the document's number, e.g. 05/BC-KTĐ."))
    return document_issue(
        actor=actor,
        kind=entry.kind,
        spec=entry.build(bloc_year, number=number, date=date),
        title=f"{entry.title} năm {bloc_year.year.year} – {bloc_year.bloc.name}",
        bloc_year=bloc_year,
        target=entry.target,
    )
