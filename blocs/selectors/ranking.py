"""The ranking of a bloc-year, read from the locked final scores.

Order: the higher final total; on equal totals, the tie-breaks in order —
the higher score in the bloc-year's tie-break group (if one is configured),
fewer deduction points, then a collective with at least 70% women staff
(Decree 152/2025). Members still equal after all of them share the rank
("đồng hạng"), and the next rank skips accordingly (1, 2, 2, 4).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from blocs import hooks
from blocs.models import BlocYear, FinalScore
from emulation.bulk import cyclic_gc_paused
from emulation.prepared import PreparedQuery

WOMEN_PREFERENCE_PERCENT = Decimal(70)


class RankingFigures:
    """What a ranking row works out from its figures, for both kinds of row:
    RankingRow, and the country-wide read's CountryRankingRow."""

    __slots__ = ()

    @property
    def women_preference(self) -> bool:
        return self.women_percent is not None and self.women_percent >= WOMEN_PREFERENCE_PERCENT

    @property
    def rank_label(self) -> str:
        """ "2", or "tied 2" when others share the rank."""
        if self.shared_rank:
            return _("tied %(rank)s") % {"rank": self.rank}
        return str(self.rank)

    @property
    def difference(self) -> Decimal | None:
        if self.self_total is None:
            return None
        return self.total - self.self_total


@dataclass(slots=True)
class RankingRow(RankingFigures):
    membership: object
    agency: object
    total: Decimal
    rank: int = 0
    shared_rank: bool = False
    self_total: Decimal | None = None
    tie_break_score: Decimal | None = None
    deduction: Decimal = Decimal("0.00")
    women_percent: Decimal | None = None

    def key(self) -> tuple:
        return (
            -self.total,
            -(self.tie_break_score or Decimal(0)),
            self.deduction,
            0 if self.women_preference else 1,
        )


def rank_rows(rows: list[RankingRow]) -> list[RankingRow]:
    """Sort and give ranks (competition ranking: 1, 2, 2, 4); pure."""
    ordered = sorted(rows, key=lambda r: (r.key(), getattr(r.agency, "name", "")))
    previous_key, previous_rank = None, 0
    for position, row in enumerate(ordered, start=1):
        key = row.key()
        row.rank = previous_rank if key == previous_key else position
        previous_key, previous_rank = key, row.rank
    counts: dict[int, int] = {}
    for row in ordered:
        counts[row.rank] = counts.get(row.rank, 0) + 1
    for row in ordered:
        row.shared_rank = counts[row.rank] > 1
    return ordered


# The ranking page's rows: compiled once per process.
_final_scores = PreparedQuery(
    lambda bloc_year_id: (
        FinalScore.objects.filter(bloc_year_id=bloc_year_id)
        .select_related("membership__agency")
        .order_by("rank", "membership__agency__name")
    )
)


def ranking_for(bloc_year: BlocYear) -> list[RankingRow]:
    """The ranking from the locked final scores; empty until the scores are locked."""
    return [
        RankingRow(
            membership=f.membership,
            agency=f.membership.agency,
            total=f.total,
            rank=f.rank,
            shared_rank=f.shared_rank,
            self_total=f.self_total,
            tie_break_score=f.tie_break_score,
            deduction=f.deduction,
            women_percent=f.women_percent,
        )
        for f in _final_scores(bloc_year.pk)
    ]


class AgencyRef(NamedTuple):
    """The agency of a country-wide ranking row: its id, code and name only."""

    pk: int
    code: str
    name: str

    @property
    def id(self) -> int:
        return self.pk

    def __str__(self) -> str:
        return self.name


class MembershipRef(NamedTuple):
    pk: int
    bloc_year_id: int
    agency_id: int
    rotation_order: int

    @property
    def id(self) -> int:
        return self.pk


class _CountryColumns(NamedTuple):
    """The columns that rankings_for reads, in the order of its query."""

    bloc_year_id: int
    membership_id: int
    agency_id: int
    rotation_order: int
    agency_code: str
    agency_name: str
    total: Decimal
    rank: int
    shared_rank: bool
    self_total: Decimal | None
    tie_break_score: Decimal | None
    deduction: Decimal
    women_percent: Decimal | None


class CountryRankingRow(RankingFigures, _CountryColumns):
    """A row of rankings_for: the database's row, read as a RankingRow is (its
    ``membership`` and ``agency`` are a MembershipRef and an AgencyRef, made
    when asked for)."""

    __slots__ = ()

    @property
    def membership(self) -> MembershipRef:
        return MembershipRef(
            self.membership_id, self.bloc_year_id, self.agency_id, self.rotation_order
        )

    @property
    def agency(self) -> AgencyRef:
        return AgencyRef(self.agency_id, self.agency_code, self.agency_name)


# The database's tuple becomes a CountryRankingRow in C, as values_list(named=True)
# makes its rows: Python code per row (unpacking it, building a row and its
# references) cost a fifth to a half of the query's own time on 32,000 rows.
_country_row = partial(tuple.__new__, CountryRankingRow)


def rankings_for(bloc_years) -> dict[int, list[CountryRankingRow]]:
    """The rankings of many bloc-years in one query (bloc-year id → rows in
    ranking_for's order), for country-wide figures; a bloc-year without final
    scores reads as an empty list.

    ``bloc_years`` is a QuerySet of BlocYear (it becomes a subquery: thousands
    of ids in an IN list cost a third more than the query itself), or bloc-years
    or their ids. The rows are CountryRankingRow tuples, not model instances
    (32,000 rows at national scale): their ``membership`` and ``agency`` are
    MembershipRef/AgencyRef with ids, code and name; use ranking_for for one
    bloc-year's full objects."""
    result: dict[int, list[CountryRankingRow]] = defaultdict(list)
    if isinstance(bloc_years, QuerySet):
        wanted = Q(bloc_year_id__in=bloc_years.order_by().values("pk"))
    else:
        ids = [getattr(by, "pk", by) for by in bloc_years]
        result.update((pk, []) for pk in ids)
        wanted = Q(bloc_year_id__in=ids)
    scores = (
        FinalScore.objects.filter(wanted)
        .order_by("bloc_year_id", "rank", "membership__agency__name")
        .values_list(  # in _CountryColumns' order
            "bloc_year_id",
            "membership_id",
            "membership__agency_id",
            "membership__rotation_order",
            "membership__agency__code",
            "membership__agency__name",
            "total",
            "rank",
            "shared_rank",
            "self_total",
            "tie_break_score",
            "deduction",
            "women_percent",
        )
    )
    with cyclic_gc_paused():
        rows = map(_country_row, scores)
        # The queryset would keep its cache of the database's 32,000 tuples
        # (copied into the rows) for the collector to walk when it resumes.
        del scores
        # The rows come grouped by bloc-year.
        for bloc_year_id, ranking in groupby(rows, key=attrgetter("bloc_year_id")):
            result[bloc_year_id] = list(ranking)
    return result


def women_shares(agency_ids, year: int) -> dict[int, Decimal]:
    """Women's share per agency (0–100) from the year's facts (kept by awards)."""
    return hooks.women_shares(agency_ids=agency_ids, year=year)
