"""The Government's emulation flag, chosen province-wide by the council
(Law 06/2022 Art. 25): the collectives leading the province's blocs in a
year, each judged by the eligibility engine on the council's date of
consideration, with what its bloc proposed and what the council chose."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from awards.eligibility import EligibilityResult, leading_members_of
from awards.models import AwardType, GovernmentFlagChoice, ProposalItem
from blocs.models import BlocYear

FLAG = "co_chinh_phu"


@dataclass
class Leader:
    """A member leading its bloc, its verdict, and the Government flag its
    bloc proposed for it (None: not proposed)."""

    result: EligibilityResult
    proposed: ProposalItem | None = None


@dataclass
class BlocLeaders:
    """One bloc-year and its leading members (none before the ranking)."""

    bloc_year: BlocYear
    leaders: list[Leader] = field(default_factory=list)


@dataclass
class FlagBoard:
    year: int
    considered_on: datetime.date
    award_type: AwardType | None
    blocs: list[BlocLeaders]
    choice: GovernmentFlagChoice | None
    chosen_ids: set[int]

    @property
    def eligible(self) -> list[EligibilityResult]:
        return [x.result for row in self.blocs for x in row.leaders if x.result.eligible]

    @property
    def leaders(self) -> list[EligibilityResult]:
        return [x.result for row in self.blocs for x in row.leaders]


def flag_board(*, province, year: int, considered_on: datetime.date) -> FlagBoard:
    """Every bloc of the province in ``year`` with its leaders judged for the
    Government's flag on ``considered_on``, and the council's recorded choice.

    The engine loads every bloc-year's leaders at once: a fixed number of
    queries, whatever the number of blocs and members."""
    award_type = AwardType.objects.filter(code=FLAG).first()
    choice = (
        GovernmentFlagChoice.objects.filter(province=province, year=year)
        .select_related("chosen_by")
        .first()
    )
    chosen_ids = set(choice.memberships.values_list("pk", flat=True)) if choice else set()
    bloc_years = list(
        BlocYear.objects.filter(bloc__province=province, year__year=year)
        .select_related("bloc", "year")
        .order_by("bloc__name")
    )
    proposed: dict[int, dict[int, ProposalItem]] = {}
    if award_type is not None:
        for item in ProposalItem.objects.filter(
            proposal__bloc_year__in=bloc_years, award_type=award_type
        ).select_related("proposal"):
            proposed.setdefault(item.proposal.bloc_year_id, {})[item.membership_id] = item
    leaders = (
        leading_members_of(
            bloc_years=bloc_years, award_type=award_type, considered_on=considered_on
        )
        if award_type is not None
        else {}
    )
    rows = []
    for bloc_year in bloc_years:
        items = proposed.get(bloc_year.pk, {})
        rows.append(
            BlocLeaders(
                bloc_year,
                [Leader(r, items.get(r.membership.pk)) for r in leaders.get(bloc_year.pk, [])],
            )
        )
    return FlagBoard(year, considered_on, award_type, rows, choice, chosen_ids)


def chosen_for_flag(*, province_id: int, year: int) -> set[int] | None:
    """The memberships the council chose for the Government's flag in the
    province's year (None: no choice recorded yet)."""
    choice = GovernmentFlagChoice.objects.filter(province_id=province_id, year=year).first()
    if choice is None:
        return None
    return set(choice.memberships.values_list("pk", flat=True))
