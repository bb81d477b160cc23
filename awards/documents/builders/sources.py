"""What the documents of a bloc-year say, read from the data of the other areas.

Each reader returns plain rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from awards.enums import PollPurpose
from awards.models import CountingCommitteeMember, NextLeadership, Poll, Result
from awards.rules import polls_with_visible_tally, tally_is_shown
from awards.selectors.meeting import attendance_rows, meeting_of, quorum_of
from awards.selectors.voting import polls_with_results
from blocs import scoring_math
from blocs.documents import lower_first
from blocs.enums import REGISTRATION_COUNTED_STATES, MemberRole
from blocs.models import (
    BlocYear,
    BlocYearMovement,
    Criterion,
    CriterionGroup,
    ItemScore,
    Membership,
    Registration,
    SelfAssessment,
)
from blocs.selectors import ranking_for, targets_with_achievement, vocabulary_for
from emulation.enums import AgencyRole
from emulation.models import User
from emulation.vocabulary import Vocabulary

TWO = Decimal("0.01")


def fmt_points(value: Decimal | None) -> str:
    """A score as an official writes it: 95,5 / 100 / 0,25."""
    if value is None:
        return "—"
    text = f"{Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def fmt_deduction(words: Vocabulary, value: Decimal | None) -> str:
    """Points taken off (a positive amount) with the province's sign
    convention, as its pages write them: "−2,5" or "2,5 (trừ)"."""
    if value is None:
        return "—"
    return words.deduction(value, fmt_points(abs(value)))


def fmt_signed_points(words: Vocabulary, value: Decimal | None) -> str:
    """A total that may be negative (a group of deductions) in that convention."""
    if value is not None and value < 0:
        return fmt_deduction(words, -value)
    return fmt_points(value)


def fmt_percent(votes: int, base: int) -> str:
    """votes / base as a percentage with two decimals, Vietnamese comma ("77,78%")."""
    if not base:
        return "—"
    value = (Decimal(votes) * 100 / Decimal(base)).quantize(TWO, rounding=ROUND_HALF_UP)
    return f"{value:f}".replace(".", ",") + "%"


def fmt_date(date: datetime.date | None) -> str:
    return f"{date:%d/%m/%Y}" if date else ""


def long_date(date: datetime.date) -> str:
    """ "ngày 18 tháng 01 năm 2024" (leading zeros as Decree 30/2020 prescribes)."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"ngày {day} tháng {month} năm {date.year}"


def council_name(bloc_year: BlocYear) -> str:
    return f"Hội đồng Thi đua – Khen thưởng {lower_first(bloc_year.bloc.province.name)}"


@dataclass
class Members:
    """The bloc-year's members in rotation order, with the leading agencies and
    the name of each agency's head (for signatures)."""

    memberships: list[Membership]
    heads: dict[int, str] = field(default_factory=dict)  # agency id → head's name

    @property
    def leader(self) -> Membership | None:
        return next((m for m in self.memberships if m.role == MemberRole.LEADER), None)

    @property
    def deputy(self) -> Membership | None:
        return next((m for m in self.memberships if m.role == MemberRole.DEPUTY), None)

    def head_of(self, membership: Membership | None) -> str:
        if membership is None:
            return ""
        return self.heads.get(membership.agency_id, "")


def members_of(bloc_year: BlocYear) -> Members:
    """Two queries."""
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("agency")
        .order_by("rotation_order", "agency__name")
    )
    heads: dict[int, str] = {}
    for agency_id, full_name, username in (
        User.objects.filter(
            agency_id__in=[m.agency_id for m in memberships],
            agency_role=AgencyRole.HEAD,
            is_active=True,
        )
        .order_by("id")
        .values_list("agency_id", "full_name", "username")
    ):
        heads.setdefault(agency_id, full_name or username)
    return Members(memberships, heads)


def vocabulary_of(bloc_year: BlocYear) -> Vocabulary:
    """The words of the bloc's province, as its pages write them: the positions,
    the symbols, the sign of a deduction."""
    return vocabulary_for(bloc_year.bloc.province)


def unit_of(bloc_year: BlocYear) -> str:
    """The bloc's abbreviation in its documents' numbers and "- Lưu: VT, …"."""
    return vocabulary_of(bloc_year).unit(bloc_year.bloc.abbreviation)


# --- movements and registrations -------------------------------------------------


@dataclass(frozen=True)
class MovementRow:
    title: str
    launched_by: str
    note: str


def movements_of(bloc_year: BlocYear) -> list[MovementRow]:
    """The movements the bloc took up."""
    return [
        MovementRow(link.movement.title, str(link.movement.get_launched_by_display()), link.note)
        for link in BlocYearMovement.objects.filter(bloc_year=bloc_year)
        .select_related("movement")
        .order_by("movement__starts_on", "movement__title")
    ]


def registrations_of(bloc_year: BlocYear) -> dict[int, list[str]]:
    """{membership id: names of the titles registered for}, counted registrations
    only. Two queries."""
    result: dict[int, list[str]] = {}
    for registration in (
        Registration.objects.filter(
            membership__bloc_year=bloc_year, state__in=REGISTRATION_COUNTED_STATES
        )
        .prefetch_related("award_types")
        .order_by("id")
    ):
        names = [t.name for t in sorted(registration.award_types.all(), key=lambda t: t.order)]
        result[registration.membership_id] = names
    return result


def targets_of(membership: Membership) -> list:
    """The agency's registered targets with what it achieved."""
    return targets_with_achievement(membership)


# --- scores and ranking ----------------------------------------------------------


@dataclass
class ScoreRow:
    membership: Membership
    self_total: Decimal | None = None
    final_total: Decimal | None = None
    rank: int | None = None
    shared_rank: bool = False
    state: str = ""
    groups: list[Decimal | None] = field(default_factory=list)
    # Points taken off: the verified ones once ranked, else the self-assessed ones.
    deduction: Decimal | None = None

    @property
    def agency(self):
        return self.membership.agency

    @property
    def rank_text(self) -> str:
        if self.rank is None:
            return "—"
        return f"{self.rank} (đồng hạng)" if self.shared_rank else str(self.rank)


@dataclass
class Scores:
    rows: list[ScoreRow]  # ranking order when ranked, else rotation order
    group_names: list[str]
    ranked: bool

    def row_of(self, membership_id: int) -> ScoreRow | None:
        return next((r for r in self.rows if r.membership.pk == membership_id), None)


def scores_of(bloc_year: BlocYear, members: Members) -> Scores:
    """Self-assessed totals per member (and per criterion group) and, once the
    scores are locked, the final totals and ranks. A fixed number of queries."""

    assessments = {
        a.membership_id: a
        for a in SelfAssessment.objects.filter(membership__bloc_year=bloc_year).select_related(
            "table"
        )
    }
    table_ids = {a.table_id for a in assessments.values()}
    groups = list(CriterionGroup.objects.filter(table_id__in=table_ids).order_by("order", "id"))
    criteria = list(Criterion.objects.filter(table_id__in=table_ids))
    values: dict[int, dict[int, scoring_math.ItemValue]] = {a.pk: {} for a in assessments.values()}
    if values:
        for aid, cid, score, na in ItemScore.objects.filter(
            assessment_id__in=list(values)
        ).values_list("assessment_id", "criterion_id", "score", "not_applicable"):
            values[aid][cid] = scoring_math.ItemValue(score, na)
    # The group columns are those of the (most used) table; one table per bloc-year in practice.
    main_table = max(
        table_ids,
        key=lambda t: sum(1 for a in assessments.values() if a.table_id == t),
        default=None,
    )
    main_groups = [g for g in groups if g.table_id == main_table]
    rows: dict[int, ScoreRow] = {}
    for membership in members.memberships:
        row = ScoreRow(membership)
        assessment = assessments.get(membership.pk)
        if assessment is not None:
            totals = scoring_math.compute_totals(
                [g for g in groups if g.table_id == assessment.table_id],
                [c for c in criteria if c.table_id == assessment.table_id],
                values[assessment.pk],
            )
            row.self_total = totals.total
            row.deduction = totals.deduction
            row.state = str(assessment.get_state_display())
            row.groups = [
                totals.groups[g.id].total if g.id in totals.groups else None for g in main_groups
            ]
        else:
            row.groups = [None] * len(main_groups)
        rows[membership.pk] = row
    ranking = list(ranking_for(bloc_year))
    if ranking:
        ordered = []
        for r in ranking:
            row = rows.get(r.membership.pk)
            if row is None:
                continue
            row.final_total, row.rank, row.shared_rank = r.total, r.rank, r.shared_rank
            row.deduction = r.deduction
            if getattr(r, "self_total", None) is not None:
                row.self_total = r.self_total
            ordered.append(row)
        ordered += [row for pk, row in rows.items() if row not in ordered]
        return Scores(ordered, [g.name for g in main_groups], ranked=True)
    return Scores(list(rows.values()), [g.name for g in main_groups], ranked=False)


def self_report_of(membership: Membership) -> str:

    return (
        SelfAssessment.objects.filter(membership=membership)
        .values_list("report", flat=True)
        .first()
        or ""
    )


# --- the conference: attendance, polls, results ----------------------------------


@dataclass
class PollData:
    poll: object
    results: list  # Result rows, by position

    @property
    def title(self) -> str:
        title = self.poll.title
        if self.poll.round > 1:
            title += f" (bỏ phiếu lại, vòng {self.poll.round})"
        return title

    @property
    def elected(self) -> list:
        return [r for r in self.results if r.elected]


@dataclass
class Conference:
    meeting: object | None
    attendance: list  # AttendanceRow (membership, attendance)
    quorum: object | None
    polls: list[PollData]
    counters: list  # users of the counting committee
    next_leadership: object | None = None  # awards.NextLeadership, when settled

    @property
    def published_polls(self) -> list[PollData]:

        return [p for p in self.polls if tally_is_shown(p.poll)]


def conference_of(bloc_year: BlocYear) -> Conference:

    meeting = meeting_of(bloc_year)
    if meeting is None:
        return Conference(None, [], None, [], [])
    # A poll's results enter a document (issued or previewed) only under the
    # rule every surface asks (awards.rules: once published, never cancelled).
    polls = [PollData(p, list(p.results.all())) for p in polls_with_results(meeting)]
    counters = [
        c.user
        for c in CountingCommitteeMember.objects.filter(meeting=meeting)
        .select_related("user", "user__agency")
        .order_by("id")
    ]

    next_leadership = (
        NextLeadership.objects.filter(meeting=meeting).select_related("leader", "deputy").first()
    )
    return Conference(
        meeting, attendance_rows(meeting), quorum_of(meeting), polls, counters, next_leadership
    )


@dataclass(frozen=True)
class Proposed:
    """One agency proposed for one award: the result of the published vote."""

    membership: Membership
    award_type: object
    votes: int
    base: int
    score: ScoreRow | None

    @property
    def agency(self):
        return self.membership.agency


def proposals_of(conference: Conference, scores: Scores) -> list[Proposed]:
    """Elected candidates of the published award polls, award by award (a later
    round of the same award replaces nothing: its elected are added)."""

    items = []
    for poll in conference.published_polls:
        if poll.poll.purpose != PollPurpose.AWARD:
            continue
        for result in poll.elected:
            membership = result.candidate.membership
            items.append(
                Proposed(
                    membership,
                    poll.poll.award_type,
                    result.votes,
                    result.base,
                    scores.row_of(membership.pk),
                )
            )
    return items


def proposed_memberships(bloc_year: BlocYear) -> list[tuple[Membership, list]]:
    """[(membership, [award types])] proposed by the published vote; two queries."""

    by_membership: dict[int, tuple[Membership, list]] = {}
    for result in (
        Result.objects.filter(
            poll__in=polls_with_visible_tally(Poll.objects.filter(meeting__bloc_year=bloc_year)),
            poll__purpose=PollPurpose.AWARD,
            elected=True,
        )
        .select_related("candidate__membership__agency", "poll__award_type")
        .order_by("candidate__membership__rotation_order", "poll__award_type__order", "poll__round")
    ):
        membership = result.candidate.membership
        entry = by_membership.setdefault(membership.pk, (membership, []))
        if result.poll.award_type not in entry[1]:
            entry[1].append(result.poll.award_type)
    return list(by_membership.values())


# --- legal bases -------------------------------------------------------------------

LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022"
DECREE_98 = (
    "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết "
    "thi hành một số điều của Luật Thi đua, khen thưởng"
)
DECREE_152 = (
    "Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều "
    "của Luật Thi đua, khen thưởng"
)
DECREE_152_FROM = datetime.date(2025, 7, 1)


LAW_2003 = (
    "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều "
    "của Luật Thi đua, khen thưởng ngày 16 tháng 11 năm 2013"
)
DECREE_91 = (
    "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi "
    "hành một số điều của Luật Thi đua, khen thưởng"
)
LAW_2022_FROM = datetime.date(2024, 1, 1)


def _when(date: datetime.date | None, year: int) -> datetime.date:
    """The document's date or, undated, the usual time of the year's review."""
    return date or datetime.date(year + 1, 1, 15)


def law_for(date: datetime.date | None, year: int) -> str:
    """The Law on Emulation and Commendation in force on the document's date."""
    return LAW if _when(date, year) >= LAW_2022_FROM else LAW_2003


def decree_for(date: datetime.date | None, year: int) -> str:
    """The decree in force on the document's date (or, undated, at the year's review)."""
    when = _when(date, year)
    if when < LAW_2022_FROM:
        return DECREE_91
    return DECREE_152 if when >= DECREE_152_FROM else DECREE_98


def local_government_law(date: datetime.date | None, year: int) -> str:
    when = _when(date, year)
    if when >= DECREE_152_FROM:
        return "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
    return "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
