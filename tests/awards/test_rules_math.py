from decimal import Decimal

import pytest

from awards.enums import QuotaKind, Rounding
from awards.models import AwardRule
from awards.rules_math import share_of_count, threshold_met


@pytest.mark.parametrize(
    ("votes", "base", "percent", "expected"),
    [
        (4, 5, 80, True),  # exactly 80 %
        (3, 5, 80, False),
        (7, 9, 80, False),  # 77.7 %
        (8, 9, 80, True),
        (5, 10, 50, True),  # exactly half
        (4, 9, 50, False),  # 44.4 %
        (0, 0, 50, False),  # nobody voted
        (0, 9, None, True),  # no threshold
        (2, 3, 67, False),  # 66.67 % < 67 %: integers, no float rounding
        (9, 9, 100, True),
    ],
)
def test_threshold_met_is_exact(votes, base, percent, expected):
    assert threshold_met(votes, base, percent) is expected


@pytest.mark.parametrize(
    ("count", "percent", "rounding", "expected"),
    [
        (9, Decimal("30"), Rounding.DOWN, 2),  # 2.7
        (9, Decimal("30"), Rounding.UP, 3),
        (9, Decimal("30"), Rounding.NEAREST, 3),
        (10, Decimal("25"), Rounding.NEAREST, 3),  # 2.5 rounds half up
        (10, Decimal("25"), Rounding.DOWN, 2),
        (10, Decimal("30"), Rounding.UP, 3),  # exact, no rounding up
        (4, Decimal("20"), Rounding.DOWN, 0),
        (7, Decimal("33.33"), Rounding.DOWN, 2),
    ],
)
def test_share_of_count_rounds_as_the_rule_says(count, percent, rounding, expected):
    assert share_of_count(count, percent, rounding) == expected


@pytest.mark.parametrize(
    ("kind", "count", "percent", "rounding", "members", "expected"),
    [
        (QuotaKind.NONE, None, None, Rounding.DOWN, 9, None),
        (QuotaKind.COUNT, 1, None, Rounding.DOWN, 9, 1),
        (QuotaKind.PERCENT, None, Decimal("30"), Rounding.DOWN, 9, 2),
        (QuotaKind.PERCENT, None, Decimal("30"), Rounding.UP, 9, 3),
        (QuotaKind.PERCENT, None, Decimal("20"), Rounding.DOWN, 4, 0),
    ],
)
def test_quota_for(kind, count, percent, rounding, members, expected):
    rule = AwardRule(
        quota_kind=kind, quota_count=count, quota_percent=percent, quota_rounding=rounding
    )
    assert rule.quota_for(members) == expected
