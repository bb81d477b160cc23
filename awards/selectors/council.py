"""The council's view of a province's year (phases, lateness, proposals
against quotas, statistics), the agency profile, and the public results."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from awards.enums import AwardSource, ItemDecision, ProposalState, QuotaKind, TaskRating
from awards.models import (
    AgencyYearFact,
    AwardRecord,
    AwardType,
    ProposalItem,
    ProposalQuota,
    ResultsPublication,
)
from awards.selectors.rules import rule_set_for
from blocs.enums import DEADLINE_FIELD_OF_STEP, FINISHED_PHASES, Phase
from blocs.models import (
    Agency,
    BlocYear,
    DeadlineExtension,
    EmulationYear,
    FinalScore,
    Membership,
    Province,
)
from blocs.rules import is_council_of
from blocs.selectors import agency_history, lineage_ids, provinces_managed_by, vocabulary_for
from blocs.selectors.deadlines import effective_deadline, with_extensions
from emulation.rules import is_council

# Each deadline of the year, and the phase a bloc-year should have reached by then.
DEADLINES = (
    ("registration_deadline", Phase.IN_PROGRESS),
    ("self_assessment_deadline", Phase.REVIEW),
    ("review_deadline", Phase.RANKING_PUBLISHED),
    ("proposal_deadline", Phase.PROPOSAL_SUBMITTED),
)
DEADLINE_LABELS = {
    "registration_deadline": gettext_lazy("registration"),
    "self_assessment_deadline": gettext_lazy("self-assessment"),
    "review_deadline": gettext_lazy("review"),
    "proposal_deadline": gettext_lazy("proposal to the council"),
}


@dataclass
class Lateness:
    deadline_name: str
    deadline: datetime.date
    days: int

    @property
    def label(self) -> str:
        return str(DEADLINE_LABELS[self.deadline_name])


def effective_deadlines(bloc_year: BlocYear) -> _Deadlines:
    """The bloc-year's deadlines with the council's extensions for the whole
    bloc-year (free when the extensions were prefetched)."""
    step_of = {name: step for step, name in DEADLINE_FIELD_OF_STEP.items()}
    year = bloc_year.year
    return _Deadlines(
        **{
            name: effective_deadline(bloc_year, step_of[name])
            if name in step_of
            else getattr(year, name)
            for name, _reached in DEADLINES
        }
    )


def lateness_of(bloc_year: BlocYear, year, today: datetime.date) -> Lateness | None:
    """The most overdue deadline the bloc-year has missed in its current phase
    (``year``: the deadlines, e.g. ``effective_deadlines(bloc_year)``)."""
    phase = Phase(bloc_year.phase)
    worst = None
    for name, reached in DEADLINES:
        deadline = getattr(year, name)
        if deadline is None or today <= deadline or phase.index >= reached.index:
            continue
        days = (today - deadline).days
        if worst is None or days > worst.days:
            worst = Lateness(name, deadline, days)
    return worst


@dataclass
class Cell:
    proposed: int = 0
    approved: int = 0
    quota: int | None = None
    # The prize money of the awarded (whole đồng), fixed by the decisions.
    prize: int = 0
    # The quota is a share of those eligible for another award, known once
    # the proposal is submitted (ProposalQuota): not a number yet.
    pending: bool = False

    @property
    def over_quota(self) -> bool:
        return self.quota is not None and self.proposed > self.quota


@dataclass
class BlocRow:
    bloc_year: BlocYear
    member_count: int
    proposal: object | None
    lateness: Lateness | None
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Dashboard:
    province: Province
    year: EmulationYear | None
    award_types: list[AwardType]
    rows: list[BlocRow]
    totals: list[Cell]
    phase_counts: list[tuple[Phase, int]]
    late_count: int
    decided_count: int

    @property
    def bloc_count(self) -> int:
        return len(self.rows)


def dashboard_provinces(user) -> list[Province]:
    return list(provinces_managed_by(user).order_by("name"))


@dataclass
class ProvinceRow:
    province: Province
    blocs: int = 0
    late: int = 0
    waiting: int = 0  # proposals submitted, not yet received
    decided: int = 0


def provinces_overview(*, provinces: list[Province], year: int, today=None) -> list[ProvinceRow]:
    """For a national user: every province's blocs in a year, how many are
    late, wait for the council, are decided (one query for all the blocs)."""
    today = today or timezone.localdate()
    rows = {p.pk: ProvinceRow(p) for p in provinces}
    # 1,360 bloc-years a year at national scale: the database counts them per
    # province, phase, proposal state and deadlines (a province's deadlines
    # are one emulation year's), and lateness is judged once per group.
    names = [name for name, _reached in DEADLINES]
    in_scope = BlocYear.objects.filter(year__year=year, bloc__province_id__in=list(rows))
    # A bloc-year the council gave more time is not judged by the year's
    # deadlines: the groups leave those few out, and they are judged one by one.
    extended = Exists(
        DeadlineExtension.objects.filter(bloc_year=OuterRef("pk"), membership__isnull=True)
    )
    groups = (
        in_scope.order_by()
        .annotate(extended=extended)
        .values_list(
            "bloc__province_id",
            "phase",
            "proposal__state",
            "extended",
            *[f"year__{n}" for n in names],
        )
        .annotate(n=Count("id"))
    )
    any_extended = False
    for province_id, phase, proposal_state, is_extended, *deadlines, n in groups:
        row = rows[province_id]
        row.blocs += n
        if phase in FINISHED_PHASES:
            row.decided += n
        if proposal_state == ProposalState.SUBMITTED:
            row.waiting += n
        if is_extended:
            any_extended = True
        elif lateness_of(
            _Phase(phase), _Deadlines(**dict(zip(names, deadlines, strict=True))), today
        ):
            row.late += n
    if any_extended:
        for bloc_year in with_extensions(in_scope.filter(extended).select_related("year", "bloc")):
            if lateness_of(bloc_year, effective_deadlines(bloc_year), today):
                rows[bloc_year.bloc.province_id].late += 1
    return [r for r in rows.values() if r.blocs]


@dataclass
class _Phase:
    phase: str


@dataclass
class _Deadlines:
    registration_deadline: datetime.date | None
    self_assessment_deadline: datetime.date | None
    review_deadline: datetime.date | None
    proposal_deadline: datetime.date | None


def dashboard_years(province: Province) -> list[int]:
    return list(
        EmulationYear.objects.filter(province=province)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def council_dashboard(*, province: Province, year: int, today=None) -> Dashboard:
    """Each bloc's phase and lateness, proposals per award type against the
    quotas, and totals: a fixed number of queries whatever the number of blocs."""
    today = today or timezone.localdate()
    emulation_year = EmulationYear.objects.filter(province=province, year=year).first()
    award_types = list(AwardType.objects.filter(is_active=True, for_collective=True))
    if emulation_year is None:
        return Dashboard(province, None, award_types, [], [Cell() for _t in award_types], [], 0, 0)
    bloc_years = list(
        with_extensions(BlocYear.objects.filter(year=emulation_year))
        .select_related("bloc", "year", "proposal")
        .annotate(member_count=Count("memberships"))
        .order_by("bloc__name")
    )
    counts: dict[tuple[int, int], Cell] = {}
    for row in (
        ProposalItem.objects.filter(proposal__bloc_year__year=emulation_year)
        .exclude(proposal__state=ProposalState.DRAFT)
        .values("proposal__bloc_year_id", "award_type_id")
        .annotate(
            proposed=Count("id"),
            approved=Count(
                "id",
                filter=Q(decision=ItemDecision.APPROVED, proposal__state=ProposalState.DECIDED),
            ),
            prize=Sum(
                "prize_amount",
                filter=Q(decision=ItemDecision.APPROVED, proposal__state=ProposalState.DECIDED),
            ),
        )
    ):
        counts[(row["proposal__bloc_year_id"], row["award_type_id"])] = Cell(
            row["proposed"], row["approved"], prize=row["prize"] or 0
        )
    fixed = {
        (bloc_year_id, award_type_id): quota
        for bloc_year_id, award_type_id, quota in ProposalQuota.objects.filter(
            proposal__bloc_year__year=emulation_year
        )
        .exclude(proposal__state=ProposalState.DRAFT)
        .values_list("proposal__bloc_year_id", "award_type_id", "quota")
    }
    rule_set = rule_set_for(year=year, province_id=province.pk)
    rules = {r.award_type_id: r for r in rule_set.rules.all()} if rule_set else {}
    rows, totals = [], [Cell(quota=0) for _t in award_types]
    phase_counts: dict[str, int] = {}
    for bloc_year in bloc_years:
        proposal = getattr(bloc_year, "proposal", None) if _has_proposal(bloc_year) else None
        row = BlocRow(
            bloc_year,
            bloc_year.member_count,
            proposal,
            lateness_of(bloc_year, effective_deadlines(bloc_year), today),
        )
        for index, award_type in enumerate(award_types):
            found = counts.get((bloc_year.pk, award_type.pk), Cell())
            cell = Cell(found.proposed, found.approved, prize=found.prize)
            cell.quota, cell.pending = _quota(
                fixed.get((bloc_year.pk, award_type.pk)),
                rules.get(award_type.pk),
                bloc_year.member_count,
            )
            row.cells.append(cell)
            total = totals[index]
            total.proposed += cell.proposed
            total.approved += cell.approved
            total.prize += cell.prize
            total.pending = total.pending or cell.pending
            if cell.quota is None:
                total.quota = None
            elif total.quota is not None:
                total.quota += cell.quota
        rows.append(row)
        phase_counts[bloc_year.phase] = phase_counts.get(bloc_year.phase, 0) + 1
    return Dashboard(
        province=province,
        year=emulation_year,
        award_types=award_types,
        rows=rows,
        totals=totals if rows else [Cell() for _t in award_types],
        phase_counts=[(p, phase_counts[p.value]) for p in Phase if p.value in phase_counts],
        late_count=sum(1 for r in rows if r.lateness),
        decided_count=sum(1 for r in rows if r.bloc_year.phase in FINISHED_PHASES),
    )


def _quota(fixed: int | None, rule, member_count: int) -> tuple[int | None, bool]:
    """(quota, pending) of one bloc and award type: the one fixed when the
    proposal was submitted; else the rule's share of the members; a share of
    those eligible for another award is pending until the submission."""
    if fixed is not None:
        return fixed, False
    if rule is None:
        return None, False
    if rule.quota_of_id is not None and rule.quota_kind == QuotaKind.PERCENT:
        return None, True
    return rule.quota_for(member_count), False


def _has_proposal(bloc_year: BlocYear) -> bool:
    try:
        bloc_year.proposal  # noqa: B018 - reads the select_related cache
    except BlocYear.proposal.RelatedObjectDoesNotExist:
        return False
    return True


def statistics_rows(dashboard: Dashboard) -> tuple[list[str], list[list]]:
    """The year's figures in the shape of the annual statistical report on
    emulation and commendation (biểu thống kê thi đua, khen thưởng): one line
    per title and commendation form for collectives."""
    headers = [
        pgettext("row number", "No."),
        _("Title or commendation form"),
        _("Kind"),
        _("Level"),
        _("Blocs"),
        _("Quota (sum of the blocs)"),
        _("Collectives proposed"),
        _("Collectives awarded"),
        _("Prize money (VND)"),
        _("Note"),
    ]
    rows = []
    for number, (award_type, total) in enumerate(
        zip(dashboard.award_types, dashboard.totals, strict=True), start=1
    ):
        note = ""
        if total.over_quota:
            note = _("over the quota")
        elif total.pending:
            note = _("some quotas are fixed only when the proposal is submitted")
        rows.append(
            [
                number,
                award_type.name,
                award_type.get_kind_display(),
                award_type.get_level_display(),
                dashboard.bloc_count,
                total.quota if total.quota is not None else "",
                total.proposed,
                total.approved,
                total.prize,
                note,
            ]
        )
    rows.append(
        [
            "",
            _("Total"),
            "",
            "",
            dashboard.bloc_count,
            "",
            sum(t.proposed for t in dashboard.totals),
            sum(t.approved for t in dashboard.totals),
            sum(t.prize for t in dashboard.totals),
            "",
        ]
    )
    return [str(h) for h in headers], rows


# --- the agency profile -------------------------------------------------------


def profile_visible_to(user, agency: Agency) -> bool:
    """Council staff of the agency's province (national: all), and the
    agency's own users — including those of its successor."""
    if not user.is_authenticated:
        return False
    if is_council(user):
        return is_council_of(user, agency)
    if user.agency_id:
        if user.agency_id == agency.pk:
            return True
        return agency.pk in lineage_ids(user.agency)
    return False


def get_profile_agency_for(user, pk: int) -> Agency:
    agency = Agency.objects.select_related("province").filter(pk=pk).first()
    if agency is None or not profile_visible_to(user, agency):
        raise Http404
    return agency


@dataclass
class ProfileYear:
    year: int
    agency: Agency | None = None
    bloc_name: str = ""
    role: str = ""
    rating: str = ""
    rating_level: int | None = None  # 1 = excellent … 4 = not completed
    score: Decimal | None = None
    rank: int | None = None
    member_count: int | None = None
    awards: list = field(default_factory=list)


@dataclass
class Profile:
    agency: Agency
    agencies: list
    links: list
    years: list[ProfileYear]
    records: list
    chart: dict | None


def agency_profile(agency: Agency) -> Profile:
    """History over the years, predecessors included: awards, ratings, scores
    and ranks; a fixed number of queries."""
    agencies, links = agency_history(agency)
    ids = [a.pk for a in agencies]
    records = list(
        AwardRecord.objects.filter(agency_id__in=ids)
        .select_related("agency", "award_type")
        .order_by("-year", "award_type__order")
    )
    by_year: dict[int, ProfileYear] = {}

    def year_row(year: int) -> ProfileYear:
        return by_year.setdefault(year, ProfileYear(year=year))

    for membership in (
        Membership.objects.filter(agency_id__in=ids)
        .select_related("agency", "bloc_year__bloc__province", "bloc_year__year")
        .annotate(member_count=Count("bloc_year__memberships"))
    ):
        row = year_row(membership.bloc_year.year.year)
        row.agency = membership.agency
        row.bloc_name = membership.bloc_year.bloc.name
        row.role = vocabulary_for(membership.bloc_year.bloc.province).role(membership.role)
        row.member_count = membership.member_count
    for fact in AgencyYearFact.objects.filter(agency_id__in=ids):
        if fact.rating:
            row = year_row(fact.year)
            row.rating = fact.get_rating_display()
            row.rating_level = TaskRating(fact.rating).rank + 1
    for final in FinalScore.objects.filter(membership__agency_id__in=ids).select_related(
        "membership__bloc_year__year"
    ):
        row = year_row(final.membership.bloc_year.year.year)
        row.score, row.rank = final.total, final.rank
    for record in records:
        year_row(record.year).awards.append(record)
    years = [by_year[y] for y in sorted(by_year, reverse=True)]
    return Profile(agency, agencies, links, years, records, trend_chart(years))


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 320, 120, 24


def trend_chart(years: list[ProfileYear]) -> dict | None:
    """Points of a small SVG line chart, computed on the server: the rank in
    the bloc by year (1 at the top) when two or more years are ranked, else
    the task-completion rating (best at the top); None without two points."""
    ranked = sorted((y for y in years if y.rank), key=lambda y: y.year)
    if len(ranked) >= 2:
        worst = max(max(y.member_count or y.rank for y in ranked), 2)
        series = [(y.year, y.rank, str(y.rank)) for y in ranked]
        title = _("Rank in the bloc by year (1 at the top)")
    else:
        rated = sorted((y for y in years if y.rating_level), key=lambda y: y.year)
        if len(rated) < 2:
            return None
        worst = len(TaskRating)
        series = [(y.year, y.rating_level, y.rating) for y in rated]
        title = _("Task-completion rating by year (best at the top)")
    span_x = CHART_WIDTH - 2 * CHART_PAD
    span_y = CHART_HEIGHT - 2 * CHART_PAD
    points = []
    for index, (year, level, label) in enumerate(series):
        x = CHART_PAD + span_x * index / (len(series) - 1)
        y = CHART_PAD + span_y * (level - 1) / (worst - 1)
        # Strings, so that the template never localises them ("24,0" is no SVG length).
        points.append({"x": f"{x:.1f}", "y": f"{y:.1f}", "year": year, "label": label})
    return {
        "title": title,
        "kind": "rank" if len(ranked) >= 2 else "rating",
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "label_y": CHART_HEIGHT - 4,
    }


# --- the public results page ----------------------------------------------------


def public_results(*, province_code: str, year: int):
    """The decided awards of a province's year, if the council published them;
    404 otherwise (two queries)."""
    publication = (
        ResultsPublication.objects.select_related("province")
        .filter(province__code=province_code, year=year)
        .first()
    )
    if publication is None:
        raise Http404
    items = list(
        ProposalItem.objects.filter(
            proposal__bloc_year__bloc__province=publication.province,
            proposal__bloc_year__year__year=year,
            proposal__state=ProposalState.DECIDED,
            decision=ItemDecision.APPROVED,
            award_record__source=AwardSource.DECISION,
        )
        .select_related("agency", "award_type", "proposal__bloc_year__bloc", "proposal__decision")
        .order_by("award_type__order", "proposal__bloc_year__bloc__name", "agency__name")
    )
    return publication, items


def publications_of(province: Province) -> set[int]:
    return set(ResultsPublication.objects.filter(province=province).values_list("year", flat=True))
