"""The scoring arithmetic: examples and hypothesis properties over random
tables and scores."""

from dataclasses import dataclass
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from blocs import scoring_math
from blocs.scoring_math import ItemValue, compute_totals, score_error

D = Decimal


@dataclass(frozen=True)
class G:
    id: int
    max_points: Decimal


@dataclass(frozen=True)
class C:
    id: int
    group_id: int
    kind: str
    max_points: Decimal
    step: Decimal = D("0.25")


def test_totals_cap_standard_by_group_and_subtract_deductions():
    groups = [G(1, D(10)), G(2, D(5)), G(3, D(10))]
    criteria = [
        C(1, 1, "standard", D(6)),
        C(2, 1, "standard", D(6)),  # items add up to 12 > group max 10
        C(3, 2, "bonus", D(3)),
        C(4, 2, "bonus", D(3)),
        C(5, 3, "deduction", D(2)),
    ]
    values = {
        1: ItemValue(D(6)),
        2: ItemValue(D("5.5")),
        3: ItemValue(D(3)),
        4: ItemValue(D(3)),
        5: ItemValue(D("1.25")),
    }

    totals = compute_totals(groups, criteria, values)

    assert totals.standard == D("10.00")  # capped at the group's 10
    assert totals.bonus == D("5.00")  # capped at the bonus group's 5
    assert totals.deduction == D("1.25")
    assert totals.total == D("13.75")
    assert totals.maximum == D("15.00")


def test_not_applicable_lowers_the_maximum_and_leaves_the_total():
    groups = [G(1, D(20))]
    criteria = [C(1, 1, "standard", D(10)), C(2, 1, "standard", D(10))]

    totals = compute_totals(groups, criteria, {1: ItemValue(D(8)), 2: ItemValue(None, True)})

    assert totals.maximum == D("10.00")
    assert totals.total == D("8.00")


def test_the_total_never_falls_below_zero():
    groups = [G(1, D(5)), G(2, D(10))]
    criteria = [C(1, 1, "standard", D(5)), C(2, 2, "deduction", D(10))]

    totals = compute_totals(groups, criteria, {1: ItemValue(D(1)), 2: ItemValue(D(10))})

    assert totals.total == D("0.00")


def test_score_errors_are_vietnamese_and_specific(settings):
    from django.utils import translation

    with translation.override("vi"):
        assert "vượt" in score_error(D(11), kind="standard", max_points=D(10), step=D("0.25"))
        assert "bội số" in score_error(D("1.1"), kind="standard", max_points=D(10), step=D("0.25"))
        assert "số dương" in score_error(D(-1), kind="deduction", max_points=D(3), step=D(1))
    assert score_error(D("9.75"), kind="standard", max_points=D(10), step=D("0.25")) is None


def test_fmt_writes_points_as_vietnamese_documents_do():
    assert scoring_math.fmt(D("12.50")) == "12,5"
    assert scoring_math.fmt(D("10.00")) == "10"
    assert scoring_math.fmt(D("0.25")) == "0,25"


# --- properties ------------------------------------------------------------

steps = st.sampled_from([D("0.25"), D("0.5"), D("1")])
kinds = st.sampled_from(["standard", "standard", "bonus", "deduction"])


@st.composite
def tables(draw):
    n_groups = draw(st.integers(1, 5))
    groups, criteria, values = [], [], {}
    cid = 0
    for gid in range(1, n_groups + 1):
        groups.append(G(gid, D(draw(st.integers(1, 40)))))
        for _ in range(draw(st.integers(1, 6))):
            cid += 1
            step = draw(steps)
            max_points = step * draw(st.integers(1, 40))
            kind = draw(kinds)
            criteria.append(C(cid, gid, kind, max_points, step))
            score = step * draw(st.integers(0, int(max_points / step)))
            na = kind == "standard" and draw(st.booleans()) and draw(st.booleans())
            if draw(st.booleans()) or na:
                values[cid] = ItemValue(None if na else score, na)
    return groups, criteria, values


@settings(max_examples=300, deadline=None)
@given(tables())
def test_property_a_total_never_exceeds_the_maximum(table):
    groups, criteria, values = table

    totals = compute_totals(groups, criteria, values)

    assert D(0) <= totals.total <= totals.maximum
    assert totals.total == totals.total.quantize(D("0.01"))
    for g in totals.groups.values():
        assert g.standard <= g.standard_max and g.bonus <= g.bonus_max


@settings(max_examples=300, deadline=None)
@given(tables(), st.data())
def test_property_a_deduction_never_raises_a_total(table, data):
    groups, criteria, values = table
    deductions = [c for c in criteria if c.kind == "deduction"]
    assume(deductions)
    c = data.draw(st.sampled_from(deductions))
    more = c.step * data.draw(st.integers(0, int(c.max_points / c.step)))
    before = compute_totals(groups, criteria, values).total

    after = compute_totals(groups, criteria, {**values, c.id: ItemValue(more)}).total
    removed = compute_totals(groups, criteria, {**values, c.id: ItemValue(D(0))}).total

    assert before <= removed
    assert after <= removed


@settings(max_examples=300, deadline=None)
@given(tables(), st.data())
def test_property_not_applicable_lowers_the_maximum_by_exactly_the_items_max(table, data):
    groups, criteria, values = table
    candidates = [
        c
        for c in criteria
        if c.kind == "standard" and not values.get(c.id, ItemValue()).not_applicable
    ]
    assume(candidates)
    c = data.draw(st.sampled_from(candidates))
    before = compute_totals(groups, criteria, values)
    group_before = before.groups[c.group_id]
    # Exact whenever the group's own standard maximum can absorb the item
    # (it is never lowered below zero).
    assume(group_before.standard_max >= c.max_points)

    after = compute_totals(groups, criteria, {**values, c.id: ItemValue(None, True)})

    assert before.maximum - after.maximum == c.max_points
    assert after.total <= before.total
