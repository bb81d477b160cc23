"""The council's view of a province's year (phases, lateness, proposals
against quotas, statistics), the agency profile, and the public results."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from awards.enums import AwardSource, ItemDecision, ProposalState, QuotaKind, TaskRating
from awards.models import (
    AgencyYearFact,
    AwardRecord,
    AwardType,
    ProposalItem,
    ProposalQuota,
    ResultsPublication,
)
from awards.selectors.rules import collective_award_types_and_quotas
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
from blocs.selectors import agency_history, lineage_ids, provinces_managed_list, vocabulary_for
from blocs.selectors.deadlines import bloc_year_deadline, bloc_year_extensions_in, with_extensions
from blocs.selectors.organisation import ProvinceChoice
from emulation.figures import kept_figures
from emulation.prepared import PreparedQuery
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

    @property
    def text(self) -> str:
        """“self-assessment: 3 days late (deadline 04/12)”."""
        return ngettext(
            "%(what)s: %(days)s day late (deadline %(date)s)",
            "%(what)s: %(days)s days late (deadline %(date)s)",
            self.days,
        ) % {"what": self.label, "days": self.days, "date": f"{self.deadline:%d/%m}"}


_STEP_OF_DEADLINE = {name: step for step, name in DEADLINE_FIELD_OF_STEP.items()}
# Phase.index, read once: lateness is judged for every bloc and deadline.
_PHASE_INDEX = {phase: phase.index for phase in Phase}


def effective_deadlines(year: EmulationYear, extensions=()) -> _Deadlines:
    """The deadlines of a bloc-year of ``year`` with the council's extensions
    for the whole bloc-year (``extensions``: the bloc-year's, already read)."""
    return _Deadlines(
        **{
            name: bloc_year_deadline(year, _STEP_OF_DEADLINE[name], extensions).date
            if name in _STEP_OF_DEADLINE
            else getattr(year, name)
            for name, _reached in DEADLINES
        }
    )


def lateness_of(bloc_year: BlocYear, year, today: datetime.date) -> Lateness | None:
    """The most overdue deadline the bloc-year has missed in its current phase
    (``year``: the deadlines, e.g. ``effective_deadlines(bloc_year.year, …)``)."""
    phase = _PHASE_INDEX[bloc_year.phase]
    worst = None
    for name, reached in DEADLINES:
        deadline = getattr(year, name)
        if deadline is None or today <= deadline or phase >= _PHASE_INDEX[reached]:
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
    """One bloc's line: its bloc-year's figures, read as values (no model objects)."""

    bloc_year_id: int
    bloc_code: str
    bloc_name: str
    phase: Phase
    member_count: int
    proposal_id: int | None
    proposal_state: ProposalState | None
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
    # The council made the year's decided awards public (ResultsPublication).
    published: bool = False

    @property
    def bloc_count(self) -> int:
        return len(self.rows)


def dashboard_provinces(user) -> list[ProvinceChoice]:
    return provinces_managed_list(user)


class ProvinceRow(NamedTuple):
    """A province's line of the country's overview (a tuple: the page
    unpacks it)."""

    province: ProvinceChoice
    blocs: int
    late: int
    waiting: int  # proposals submitted, not yet received
    decided: int


_DEADLINE_NAMES = [name for name, _reached in DEADLINES]


def _extended():
    """A bloc-year the council gave more time as a whole."""
    return Exists(
        DeadlineExtension.objects.filter(bloc_year=OuterRef("pk"), membership__isnull=True)
    )


def _extended_in():
    """``_extended()`` for many bloc-years: an uncorrelated IN, which the
    database hashes once, not a subquery it runs for each row."""
    return Q(
        pk__in=DeadlineExtension.objects.filter(membership__isnull=True).values("bloc_year_id")
    )


# 1,360 bloc-years a year at national scale: the database counts them per
# province, phase, proposal state and deadlines (a province's deadlines are
# one emulation year's), and lateness is judged once per group. Compiled once
# per process. The province is the emulation year's (a bloc-year's bloc is of
# its year's province: bloc_year_create), so the blocs are not read; whether
# a bloc-year was given more time is an uncorrelated IN that the database
# hashes once, not a subquery run for each of the 1,360 rows.
_overview_groups = PreparedQuery(
    lambda year: (
        BlocYear.objects.filter(year__year=year)
        .order_by()
        .annotate(extended=_extended_in())
        .values_list(
            "year__province_id",
            "phase",
            "proposal__state",
            "extended",
            *[f"year__{n}" for n in _DEADLINE_NAMES],
        )
        .annotate(n=Count("id"))
    )
)


def provinces_overview(
    *, provinces: list[ProvinceChoice], year: int, today=None
) -> list[ProvinceRow]:
    """For a national user: every province's blocs in a year, how many are
    late, wait for the council, are decided (one query for all the blocs,
    kept in the shared cache until one of them changes: emulation.figures)."""
    today = today or timezone.localdate()
    counts = kept_figures(
        f"provinces-overview:{year}:{today.isoformat()}",
        lambda: _country_counts(year, today),
        OVERVIEW_KEPT,
    )
    return [ProvinceRow(p, *counts[p.pk]) for p in provinces if p.pk in counts]


# How long a day's country overview stays in the cache (a new version or a
# new day makes it unread before).
OVERVIEW_KEPT = 24 * 60 * 60


def _country_counts(year: int, today: datetime.date) -> dict[int, tuple[int, int, int, int]]:
    """Each province's (blocs, late, waiting, decided) in ``year``, for the
    provinces with blocs."""
    rows: dict[int, list[int]] = {}
    # A bloc-year the council gave more time is not judged by the year's
    # deadlines: the groups leave those few out, and they are judged one by one.
    any_extended = False
    for province_id, phase, proposal_state, is_extended, *deadlines, n in _overview_groups(year):
        row = rows.setdefault(province_id, [0, 0, 0, 0])
        row[0] += n
        if phase in FINISHED_PHASES:
            row[3] += n
        if proposal_state == ProposalState.SUBMITTED:
            row[2] += n
        if is_extended:
            any_extended = True
        elif lateness_of(
            _Phase(phase), _Deadlines(**dict(zip(_DEADLINE_NAMES, deadlines, strict=True))), today
        ):
            row[1] += n
    if any_extended:
        extended = with_extensions(
            BlocYear.objects.filter(year__year=year).filter(_extended()).select_related("year")
        )
        for bloc_year in extended:
            deadlines = effective_deadlines(bloc_year.year, bloc_year.deadline_extensions.all())
            if lateness_of(bloc_year, deadlines, today):
                rows[bloc_year.year.province_id][1] += 1
    return {province_id: tuple(row) for province_id, row in rows.items()}


@dataclass
class _Phase:
    phase: str


@dataclass
class _Deadlines:
    registration_deadline: datetime.date | None
    self_assessment_deadline: datetime.date | None
    review_deadline: datetime.date | None
    proposal_deadline: datetime.date | None


# The dashboard's reads, compiled once per process (emulation.prepared).
_years_of_province = PreparedQuery(
    lambda province_id: (
        EmulationYear.objects.filter(province_id=province_id)
        .order_by("-year")
        .annotate(
            published=Exists(
                ResultsPublication.objects.filter(
                    province_id=OuterRef("province_id"), year=OuterRef("year")
                )
            )
        )
    )
)


def _member_count():
    """A bloc-year's members, counted by a subquery on the memberships' index:
    no join and no grouping of the bloc-years' rows."""
    members = (
        Membership.objects.filter(bloc_year=OuterRef("pk"))
        .order_by()
        .values("bloc_year")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members), 0)


# The bloc-years of a province's year. The bloc's province is the year's
# (bloc_year_create refuses a bloc of another province, carrying forward keeps
# the bloc and the province, and the model's clean() holds it for the admin):
# filtering on it too lets the database read the province's few blocs by
# their index instead of hashing all the country's.
_bloc_rows = PreparedQuery(
    lambda year_id, province_id: (
        BlocYear.objects.filter(year_id=year_id, bloc__province_id=province_id)
        .values_list("pk", "bloc__code", "bloc__name", "phase", "proposal__pk", "proposal__state")
        .annotate(member_count=_member_count(), extended=_extended_in())
        .order_by("bloc__name")
    ),
    arity=2,
)
_decided = Q(decision=ItemDecision.APPROVED, proposal__state=ProposalState.DECIDED)
_item_counts = PreparedQuery(
    lambda year_id: (
        ProposalItem.objects.filter(proposal__bloc_year__year_id=year_id)
        .exclude(proposal__state=ProposalState.DRAFT)
        # No default order: it would join the award types and the members.
        .order_by()
        .values_list("proposal__bloc_year_id", "award_type_id")
        .annotate(
            proposed=Count("id"),
            approved=Count("id", filter=_decided),
            prize=Sum("prize_amount", filter=_decided),
        )
    )
)
_fixed_quotas = PreparedQuery(
    lambda year_id: (
        ProposalQuota.objects.filter(proposal__bloc_year__year_id=year_id)
        .exclude(proposal__state=ProposalState.DRAFT)
        .values_list("proposal__bloc_year_id", "award_type_id", "quota")
    )
)


def dashboard_years(province: Province) -> list[EmulationYear]:
    """The province's years, newest first, each knowing whether the council
    made its results public (``published``)."""
    return _years_of_province(province.pk)


def council_dashboard(
    *, province: Province, year: int, years: list[EmulationYear] | None = None, today=None
) -> Dashboard:
    """Each bloc's phase and lateness, proposals per award type against the
    quotas, and totals: a fixed number of queries whatever the number of blocs
    (``years``: ``dashboard_years(province)``, when the caller has read them)."""
    today = today or timezone.localdate()
    if years is None:
        years = dashboard_years(province)
    emulation_year = next((y for y in years if y.year == year), None)
    award_types, rules = collective_award_types_and_quotas(year=year, province_id=province.pk)
    if emulation_year is None:
        return Dashboard(
            province,
            None,
            award_types,
            [],
            [Cell() for _t in award_types],
            [],
            0,
            0,
            published=year in publications_of(province),
        )
    bloc_rows = _bloc_rows(emulation_year.pk, province.pk)
    # A year where no bloc has sent its proposal has no items nor fixed
    # quotas to count, and one where the council gave no bloc-year more time
    # no extensions to read: the queries are left out.
    sent = any(state and state != ProposalState.DRAFT for *_r, state, _n, _e in bloc_rows)
    counts = {
        (bloc_year_id, award_type_id): (proposed, approved, prize or 0)
        for bloc_year_id, award_type_id, proposed, approved, prize in (
            _item_counts(emulation_year.pk) if sent else ()
        )
    }
    fixed = {
        (bloc_year_id, award_type_id): quota
        for bloc_year_id, award_type_id, quota in (_fixed_quotas(emulation_year.pk) if sent else ())
    }
    extended = any(is_extended for *_r, is_extended in bloc_rows)
    extensions = bloc_year_extensions_in(emulation_year) if extended else {}
    deadlines = effective_deadlines(emulation_year)
    columns = [(award_type.pk, rules.get(award_type.pk)) for award_type in award_types]
    rows, totals = [], [Cell(quota=0) for _t in award_types]
    phase_counts: dict[str, int] = {}
    for pk, code, name, phase, proposal_id, proposal_state, member_count, _e in bloc_rows:
        phase = Phase(phase)
        row = BlocRow(
            pk,
            code,
            name,
            phase,
            member_count,
            proposal_id,
            ProposalState(proposal_state) if proposal_state else None,
            lateness_of(
                _Phase(phase),
                effective_deadlines(emulation_year, extensions[pk])
                if pk in extensions
                else deadlines,
                today,
            ),
        )
        for total, (award_type_id, rule) in zip(totals, columns, strict=True):
            proposed, approved, prize = counts.get((pk, award_type_id), (0, 0, 0))
            quota, pending = _quota(fixed.get((pk, award_type_id)), rule, member_count)
            row.cells.append(Cell(proposed, approved, quota, prize, pending))
            total.proposed += proposed
            total.approved += approved
            total.prize += prize
            total.pending = total.pending or pending
            if quota is None:
                total.quota = None
            elif total.quota is not None:
                total.quota += quota
        rows.append(row)
        phase_counts[phase] = phase_counts.get(phase, 0) + 1
    return Dashboard(
        province=province,
        year=emulation_year,
        award_types=award_types,
        rows=rows,
        totals=totals if rows else [Cell() for _t in award_types],
        phase_counts=[(p, phase_counts[p]) for p in Phase if p in phase_counts],
        late_count=sum(1 for r in rows if r.lateness),
        decided_count=sum(1 for r in rows if r.phase in FINISHED_PHASES),
        published=emulation_year.published,
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
