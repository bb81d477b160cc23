"""Issuing a document of a bloc-year's dossier: the one service the documents
pages and the demo call. It refuses a document whose data are incomplete, then
lets ``document_issue`` render, store and audit it (one audit event)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.documents.builders import DocumentEntry, entry_for
from blocs.enums import Phase
from blocs.models import BlocYear
from emulation.documents.services import document_issue
from emulation.documents.spec import DocumentSpec
from emulation.models import IssuedDocument, User
from emulation.refusals import require_complete


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


def issue_blockers(*, entry: DocumentEntry, spec: DocumentSpec) -> list[str]:
    """Everything that keeps the document from being issued, in Vietnamese, to
    be named in one refusal: data the dossier lacks, the number, and what the
    document itself still misses (times, chair, secretary, date, sections left
    as placeholders). Further checks add to this list."""
    blockers = [entry.missing] if entry.missing else []
    if not spec.number:
        blockers.append(_("the document's number (e.g. %(example)s)") % {"example": "05/BC-KTĐ"})
    blockers += spec.missing()
    return blockers


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
    number = " ".join((number or "").split())
    spec = entry.build(bloc_year, number=number, date=date)
    require_complete(issue_blockers(entry=entry, spec=spec))
    return document_issue(
        actor=actor,
        kind=entry.kind,
        spec=spec,
        title=f"{entry.title} năm {bloc_year.year.year} – {bloc_year.bloc.name}",
        bloc_year=bloc_year,
        target=entry.target,
    )
