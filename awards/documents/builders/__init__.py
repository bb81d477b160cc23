"""The documents of a bloc-year's dossier, one builder module per document, and
the registry that lists them for a bloc-year.

Each builder is ``build_<doc>(bloc_year, ..., number=, date=, draft=) ->
DocumentSpec``; ``documents_for(bloc_year)`` gives the DocumentEntry of every
document the bloc-year has (an achievement report per proposed agency)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from awards.documents.builders.achievement_report import build_achievement_report
from awards.documents.builders.draft_decision import build_draft_decision
from awards.documents.builders.meeting_minutes import build_meeting_minutes
from awards.documents.builders.proposal_letter import build_proposal_letter
from awards.documents.builders.score_summary import build_score_summary
from awards.documents.builders.sources import proposed_memberships, vocabulary_of
from awards.documents.builders.vote_count import build_vote_count
from awards.documents.builders.year_report import build_year_report
from awards.models import Meeting, Poll
from awards.rules import polls_with_visible_tally
from blocs.models import BlocYear, Membership
from blocs.selectors import ranking_for
from emulation.documents.spec import DocumentSpec
from emulation.enums import DocumentKind
from emulation.text import download_name


@dataclass(frozen=True)
class DocumentEntry:
    """One document of a bloc-year: what it is, how it is numbered, how it is built."""

    slug: str  # "year_end_report", "achievement_report-12" (12: the membership)
    kind: DocumentKind
    title: str  # "Báo cáo thành tích – Sở Tư pháp"
    # "/BC-KTMTH": the number's symbol, as Decree 30/2020 abbreviates it (the
    # province's symbol of the kind, the bloc's abbreviation).
    number_suffix: str
    builder: Callable[..., DocumentSpec]
    membership: Membership | None = None
    award_names: tuple[str, ...] = ()
    # Why the document cannot be issued yet (its data are incomplete); "" when it can.
    missing: str = ""

    def build(
        self,
        bloc_year: BlocYear,
        *,
        number: str = "",
        date: datetime.date | None = None,
        draft: bool = False,
    ) -> DocumentSpec:
        # Documents are Vietnamese whatever the user's language (choice labels too).
        with translation.override("vi"):
            if self.membership is not None:
                return self.builder(
                    bloc_year,
                    self.membership,
                    award_names=list(self.award_names),
                    number=number,
                    date=date,
                    draft=draft,
                )
            return self.builder(bloc_year, number=number, date=date, draft=draft)

    @property
    def target(self):
        """What the issued versions are about besides the bloc-year (document_issue's target)."""
        return self.membership

    def filename(self, extension: str, *, draft: bool = False) -> str:
        """ "bien-ban-hop.pdf", "du-thao-bao-cao-thanh-tich-so-tu-phap.docx"."""
        marked = draft and not self.title.startswith("Dự thảo")
        return download_name("Dự thảo" if marked else "", self.title, extension=extension)


# (kind, title, builder) of the documents every bloc-year has, in dossier order;
# their numbers' symbols are the province's (emulation.vocabulary).
BLOC_DOCUMENTS = [
    (DocumentKind.YEAR_END_REPORT, "Báo cáo tổng kết", build_year_report),
    (DocumentKind.SCORE_SUMMARY, "Bảng tổng hợp điểm", build_score_summary),
    (DocumentKind.MEETING_MINUTES, "Biên bản họp", build_meeting_minutes),
    (DocumentKind.VOTE_COUNT, "Biên bản kiểm phiếu", build_vote_count),
    (DocumentKind.PROPOSAL_LETTER, "Tờ trình đề nghị khen thưởng", build_proposal_letter),
    (DocumentKind.DRAFT_DECISION, "Dự thảo quyết định", build_draft_decision),
]


def _missing(bloc_year: BlocYear, proposed: list) -> dict[DocumentKind, str]:
    """Why each bloc document cannot be issued yet (absent: it can); three queries."""

    ranked = bool(ranking_for(bloc_year))
    has_meeting = Meeting.objects.filter(bloc_year=bloc_year).exists()
    published = polls_with_visible_tally(Poll.objects.filter(meeting__bloc_year=bloc_year)).exists()
    missing: dict[DocumentKind, str] = {}
    if not ranked:
        missing[DocumentKind.SCORE_SUMMARY] = str(
            _("The scores have not been locked and ranked yet.")
        )
    if not has_meeting:
        missing[DocumentKind.MEETING_MINUTES] = str(
            _("The year-end conference has not been recorded yet.")
        )
    elif not published:
        missing[DocumentKind.MEETING_MINUTES] = str(
            _("No poll of the conference has published its results yet.")
        )
    if not published:
        missing[DocumentKind.VOTE_COUNT] = str(
            _("No poll of the conference has published its results yet.")
        )
    if not proposed:
        for kind in (DocumentKind.PROPOSAL_LETTER, DocumentKind.DRAFT_DECISION):
            missing[kind] = str(_("No published vote has proposed an agency for an award yet."))
    return missing


def documents_for(bloc_year: BlocYear) -> list[DocumentEntry]:
    """Every document of the bloc-year, each saying whether it can be issued yet
    (a fixed number of queries)."""
    proposed = proposed_memberships(bloc_year)
    missing = _missing(bloc_year, proposed)
    words = vocabulary_of(bloc_year)
    unit = bloc_year.bloc.abbreviation
    entries = [
        DocumentEntry(
            slug=str(kind.value),
            kind=kind,
            title=title,
            number_suffix=words.symbol(kind, unit),
            builder=b,
            missing=missing.get(kind, ""),
        )
        for kind, title, b in BLOC_DOCUMENTS
    ]
    for membership, award_types in proposed:
        entries.append(
            DocumentEntry(
                slug=f"{DocumentKind.ACHIEVEMENT_REPORT.value}-{membership.pk}",
                kind=DocumentKind.ACHIEVEMENT_REPORT,
                title=f"Báo cáo thành tích – {membership.agency.name}",
                number_suffix=words.symbol(DocumentKind.ACHIEVEMENT_REPORT),
                builder=build_achievement_report,
                membership=membership,
                award_names=tuple(t.name for t in award_types),
            )
        )
    return entries


def entry_for(bloc_year: BlocYear, slug: str) -> DocumentEntry | None:
    return next((e for e in documents_for(bloc_year) if e.slug == slug), None)


__all__ = [
    "DocumentEntry",
    "build_achievement_report",
    "build_draft_decision",
    "build_meeting_minutes",
    "build_proposal_letter",
    "build_score_summary",
    "build_vote_count",
    "build_year_report",
    "documents_for",
    "entry_for",
]
