"""The council's numbers in force on a date: the vote threshold of each award
type, the prize money coefficient and the base salary. A province's own row
wins over the national default; one query per kind, whatever the items."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.db.models import Q

from awards.models import BaseSalary, CouncilVoteThreshold, PrizeCoefficient


def _in_force(qs, *, province_id: int | None, day: datetime.date):
    qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    if province_id is None:
        return qs.filter(province__isnull=True)
    return qs.filter(Q(province_id=province_id) | Q(province__isnull=True))


def _by_award_type(rows) -> dict:
    """One row per award type: the province's before the national one, then
    the latest start."""
    best: dict[int, object] = {}
    for row in rows:
        key = (row.province_id is None, -(row.valid_from or datetime.date.min).toordinal())
        current = best.get(row.award_type_id)
        if current is None or key < current[0]:
            best[row.award_type_id] = (key, row)
    return {award_type_id: row for award_type_id, (_key, row) in best.items()}


def council_thresholds(
    *, province_id: int | None, day: datetime.date, award_type_ids=None
) -> dict[int, CouncilVoteThreshold]:
    """award type id → the council's vote threshold in force on ``day``."""
    qs = _in_force(CouncilVoteThreshold.objects.all(), province_id=province_id, day=day)
    if award_type_ids is not None:
        qs = qs.filter(award_type_id__in=list(award_type_ids))
    return _by_award_type(qs)


def prize_coefficients(
    *, province_id: int | None, day: datetime.date, award_type_ids=None
) -> dict[int, PrizeCoefficient]:
    """award type id → the prize money coefficient in force on ``day``."""
    qs = _in_force(PrizeCoefficient.objects.all(), province_id=province_id, day=day)
    if award_type_ids is not None:
        qs = qs.filter(award_type_id__in=list(award_type_ids))
    return _by_award_type(qs)


def base_salary_on(day: datetime.date) -> BaseSalary | None:
    """The base salary in force on ``day`` (the latest one started by then)."""
    return BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


# Decree 91/2017 Art. 68(2): the amount "được làm tròn số lên hàng chục ngàn
# đồng" — rounded up to the ten thousand đồng (confirmed by the Central
# Emulation and Commendation Board's published answer of 02/07/2018). Decrees
# 98/2023 and 152/2025 are read as keeping the rule; README lists that as an
# open question.
PRIZE_ROUNDING_UNIT = 10_000


def prize_amount(*, coefficient: Decimal, base_salary: int) -> int:
    """coefficient × base salary, rounded up to the ten thousand đồng."""
    units = (Decimal(coefficient) * base_salary / PRIZE_ROUNDING_UNIT).to_integral_value(
        rounding=ROUND_CEILING
    )
    return int(units) * PRIZE_ROUNDING_UNIT


def vote_needed(*, members: int, percent: int) -> int:
    """The smallest number of votes for that reaches ``percent`` of ``members``."""
    return -(-percent * members // 100)


@dataclass(frozen=True)
class VoteCount:
    """The council's vote on one item as entered: for, against, and how many
    of those were written votes of absent members."""

    votes_for: int
    votes_against: int
    written: int = 0


@dataclass
class CouncilNumbers:
    thresholds: list
    coefficients: list
    base_salaries: list


def council_numbers_for(provinces) -> CouncilNumbers:
    """Every threshold, coefficient and base salary that applies to the
    provinces (theirs and the national ones), newest first; three queries."""
    scope = Q(province__isnull=True) | Q(province__in=[p.pk for p in provinces])
    return CouncilNumbers(
        thresholds=list(
            CouncilVoteThreshold.objects.filter(scope)
            .select_related("award_type", "province")
            .order_by("award_type__order", "province_id", "-valid_from")
        ),
        coefficients=list(
            PrizeCoefficient.objects.filter(scope)
            .select_related("award_type", "province")
            .order_by("award_type__order", "province_id", "-valid_from")
        ),
        base_salaries=list(BaseSalary.objects.order_by("-valid_from")),
    )
