"""Who may download an issued document; what the bloc-year's dossier holds."""

from __future__ import annotations

from django.http import Http404

from awards.models import DossierExport
from blocs.models import BlocYear, Evidence
from blocs.selectors import bloc_years_visible_to, get_bloc_year_for
from emulation.enums import DocumentKind
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


# The order in which a council files a bloc's dossier: the proposal letter and
# the draft decision on top, then the minutes and the vote count that ground
# them, the year-end report and its score summary, and the achievement reports.
FILING_ORDER = (
    DocumentKind.PROPOSAL_LETTER,
    DocumentKind.DRAFT_DECISION,
    DocumentKind.MEETING_MINUTES,
    DocumentKind.VOTE_COUNT,
    DocumentKind.YEAR_END_REPORT,
    DocumentKind.SCORE_SUMMARY,
    DocumentKind.ACHIEVEMENT_REPORT,
    DocumentKind.COVENANT,
)


def dossier_documents(bloc_year: BlocYear) -> list[IssuedDocument]:
    """The newest issued version of each of the bloc-year's documents, in the
    order a council files them (one query)."""
    newest: dict[tuple[str, str], IssuedDocument] = {}
    for document in (
        IssuedDocument.objects.filter(bloc_year=bloc_year)
        .select_related("issued_by")
        .order_by("kind", "subject_key", "-version")
    ):
        newest.setdefault((document.kind, document.subject_key), document)
    rank = {kind.value: index for index, kind in enumerate(FILING_ORDER)}
    return sorted(
        newest.values(),
        key=lambda d: (rank.get(d.kind, len(rank)), d.title, d.subject_key),
    )


def dossier_evidence(bloc_year: BlocYear) -> list[Evidence]:
    """Every evidence file the members attached to their self-assessments, by
    agency and criterion (one query)."""
    return list(
        Evidence.objects.filter(item__assessment__membership__bloc_year=bloc_year)
        .select_related("item__criterion", "item__assessment__membership__agency")
        .order_by(
            "item__assessment__membership__agency__name",
            "item__criterion__group__order",
            "item__criterion__order",
            "uploaded_at",
            "id",
        )
    )


def latest_dossier_export(bloc_year: BlocYear) -> DossierExport | None:
    return (
        DossierExport.objects.filter(bloc_year=bloc_year)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
        .first()
    )


def get_dossier_export_for(user: User, bloc_year_pk: int, pk: int) -> DossierExport:
    """An assembled dossier of a bloc-year the user may see; 404 otherwise."""
    bloc_year = get_bloc_year_for(user, bloc_year_pk)
    try:
        return DossierExport.objects.select_related("bloc_year__bloc", "bloc_year__year").get(
            pk=pk, bloc_year=bloc_year
        )
    except DossierExport.DoesNotExist:
        raise Http404 from None
