"""The arithmetic of a scoring table, in one pure module (no database).

Used by the self-assessment selectors and services, and by the review and
ranking (which pass verified scores instead of self scores).

Rules (Decimal, two places, half-up):

- A group's **standard** items add up, capped by the group's maximum. Its
  standard maximum is ``min(group max, Σ standard item max)`` less the maximum
  of every item marked not applicable (never below zero): a not-applicable
  item leaves the total and lowers the maximum by exactly its own maximum.
- A group's **bonus** items add up, capped by ``min(group max, Σ bonus item
  max)``; the bonus maximum counts in the table's maximum.
- The table's maximum is the standard maximum plus the bonus maximum: a
  deduction group's "maximum" caps what can be taken off, never what can be
  earned, so it is not in the maximum an assessment is scored out of.
- **Deduction** items are entered as the (positive) number of points taken
  off, and are subtracted; the total never falls below zero.

Objects are duck-typed: a criterion needs ``id``, ``group_id``, ``kind``,
``max_points`` (and ``step`` for validation); a group needs ``id`` and
``max_points``. The Django models fit, and so do plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

TWO_PLACES = Decimal("0.01")
ZERO = Decimal("0.00")

STANDARD, BONUS, DEDUCTION = "standard", "bonus", "deduction"


def q2(value: Decimal | int | str) -> Decimal:
    """Quantise to two places, half-up."""
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemValue:
    score: Decimal | None = None
    not_applicable: bool = False


@dataclass
class GroupTotal:
    standard: Decimal = ZERO
    standard_max: Decimal = ZERO
    bonus: Decimal = ZERO
    bonus_max: Decimal = ZERO
    deduction: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return q2(self.standard + self.bonus - self.deduction)

    @property
    def maximum(self) -> Decimal:
        return q2(self.standard_max + self.bonus_max)


@dataclass
class Totals:
    standard: Decimal = ZERO
    standard_max: Decimal = ZERO
    bonus: Decimal = ZERO
    bonus_max: Decimal = ZERO
    deduction: Decimal = ZERO
    # How far criteria marked not applicable lowered the standard maximum.
    not_applicable_max: Decimal = ZERO
    groups: dict[Any, GroupTotal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        """Standard plus bonus less deductions, never below zero."""
        return max(ZERO, q2(self.standard + self.bonus - self.deduction))

    @property
    def maximum(self) -> Decimal:
        return q2(self.standard_max + self.bonus_max)


def compute_totals(
    groups: Iterable[Any], criteria: Iterable[Any], values: Mapping[Any, ItemValue]
) -> Totals:
    """Totals of one assessment. ``values`` maps criterion id → ItemValue
    (or anything with its ``score`` and ``not_applicable``); a missing entry
    counts as not yet scored (zero, applicable)."""
    by_group: dict[Any, list[Any]] = {}
    for criterion in criteria:
        by_group.setdefault(criterion.group_id, []).append(criterion)
    totals = Totals()
    for group in groups:
        items = by_group.get(group.id, [])
        g = GroupTotal()
        group_max = Decimal(group.max_points)
        std_sum = bonus_sum = ded_sum = ZERO
        std_items_max = bonus_items_max = na_max = ZERO
        for c in items:
            value = values.get(c.id) or ItemValue()
            score = Decimal(value.score) if value.score is not None else ZERO
            item_max = Decimal(c.max_points)
            if c.kind == STANDARD:
                std_items_max += item_max
                if value.not_applicable:
                    na_max += item_max
                else:
                    std_sum += score
            elif c.kind == BONUS:
                bonus_items_max += item_max
                bonus_sum += score
            elif c.kind == DEDUCTION:
                ded_sum += score
        g.standard_max = q2(max(ZERO, min(group_max, std_items_max) - na_max))
        totals.not_applicable_max += min(group_max, std_items_max) - g.standard_max
        g.standard = q2(min(std_sum, g.standard_max))
        g.bonus_max = q2(min(group_max, bonus_items_max))
        g.bonus = q2(min(bonus_sum, g.bonus_max))
        g.deduction = q2(ded_sum)
        totals.groups[group.id] = g
        totals.standard += g.standard
        totals.standard_max += g.standard_max
        totals.bonus += g.bonus
        totals.bonus_max += g.bonus_max
        totals.deduction += g.deduction
    totals.standard = q2(totals.standard)
    totals.standard_max = q2(totals.standard_max)
    totals.bonus = q2(totals.bonus)
    totals.bonus_max = q2(totals.bonus_max)
    totals.deduction = q2(totals.deduction)
    totals.not_applicable_max = q2(totals.not_applicable_max)
    return totals


def parse_score(raw: Any) -> Decimal:
    """Read a score as typed (comma or point); raise ValueError with a message."""
    text = str(raw).strip().replace(",", ".")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": str(raw)[:20]}) from None
    if not value.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": str(raw)[:20]})
    return value


def score_error(value: Decimal, *, kind: str, max_points: Decimal, step: Decimal) -> str | None:
    """Why ``value`` is not a valid score for a criterion, or None."""
    max_points, step = Decimal(max_points), Decimal(step)
    if value < 0:
        if kind == DEDUCTION:
            return _("Enter the points deducted as a positive number (e.g. 0.5).")
        return _("The score cannot be negative.")
    if value > max_points:
        return _("The score cannot exceed the maximum of %(max)s points.") % {
            "max": fmt(max_points)
        }
    if value != value.quantize(TWO_PLACES):
        return _("Use at most two decimal places.")
    if step > 0 and value % step != 0:
        return _("The score must be a multiple of %(step)s.") % {"step": fmt(step)}
    return None


def fmt(value: Decimal | None, decimal_separator: str = ",") -> str:
    """A score as an official writes it: 12,5 / 10 / 0,25 (no trailing zeros);
    pages pass their language's separator (12.5 in English)."""
    if value is None or value == "":
        return ""
    text = f"{q2(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", decimal_separator)
