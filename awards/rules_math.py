"""Exact integer arithmetic for quorums and vote thresholds (never floats)."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal


def meets_threshold(*, votes: int, base: int, percent: int | None) -> bool:
    """``votes × 100 ≥ percent × base``; no threshold (None) always passes.
    A base of zero never passes a threshold: nobody can be elected by nobody."""
    if percent is None:
        return True
    if base <= 0:
        return False
    return votes * 100 >= percent * base


def has_quorum(*, represented: int, members: int, numerator: int, denominator: int) -> bool:
    """``represented / members ≥ numerator / denominator``, cross-multiplied."""
    if members <= 0:
        return False
    return represented * denominator >= numerator * members


def quorum_needed(*, members: int, numerator: int, denominator: int) -> int:
    """The smallest number of members that makes the quorum (ceiling division)."""
    return -(-numerator * members // denominator)


def percent_of(*, votes: int, base: int) -> Decimal:
    """The share in percent with two decimal places, for display only."""
    if base <= 0:
        return Decimal("0.00")
    return (Decimal(votes) * 100 / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def threshold_met(votes: int, base: int, percent: int | None) -> bool:
    """The helper of the eligibility rules (positional form of ``meets_threshold``)."""
    return meets_threshold(votes=int(votes), base=int(base), percent=percent)


_ROUNDING = {
    "down": ROUND_FLOOR,
    "up": ROUND_CEILING,
    "nearest": ROUND_HALF_UP,
}


def share_of_count(count: int, percent: Decimal | int, rounding: str) -> int:
    """``percent`` % of ``count`` as a whole number, rounded as the rule says
    (down / up / nearest, half up), exactly with Decimal."""
    value = Decimal(count) * Decimal(percent) / Decimal(100)
    return int(value.quantize(Decimal(1), rounding=_ROUNDING[str(rounding)]))
