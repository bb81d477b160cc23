"""Ranking from totals with the tie-breaks in order, and shared ranks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from blocs import services
from blocs.selectors import RankingRow, ranking_for, rankings_for
from blocs.selectors.ranking import rank_rows
from tests.factories.meeting import build_conference
from tests.factories.review import D, FinalScoreFactory, make_env, verify_all


@dataclass
class A:
    name: str


def row(name, total, group=None, deduction="0", women=None):
    return RankingRow(
        membership=None,
        agency=A(name),
        total=D(total),
        tie_break_score=None if group is None else D(group),
        deduction=D(deduction),
        women_percent=None if women is None else D(women),
    )


def ranks(rows):
    return [(r.agency.name, r.rank, r.shared_rank) for r in rank_rows(rows)]


def test_plain_totals_rank_in_order():
    assert ranks([row("b", "90"), row("a", "95"), row("c", "80")]) == [
        ("a", 1, False),
        ("b", 2, False),
        ("c", 3, False),
    ]


def test_tie_broken_by_group_score():
    assert ranks([row("a", "90", group="30"), row("b", "90", group="35")])[0] == ("b", 1, False)


def test_tie_broken_by_fewer_deductions_when_group_equal():
    result = ranks([row("a", "90", "30", deduction="1"), row("b", "90", "30", deduction="0.5")])
    assert result == [("b", 1, False), ("a", 2, False)]


def test_tie_broken_by_women_preference_last():
    result = ranks(
        [
            row("a", "90", "30", "0", women="69.99"),
            row("b", "90", "30", "0", women="70"),
        ]
    )
    assert result == [("b", 1, False), ("a", 2, False)]


def test_tie_after_every_break_is_a_shared_rank_and_next_rank_skips():
    result = ranks(
        [
            row("a", "95"),
            row("b", "90", "30", "0", women="80"),
            row("c", "90", "30", "0", women="75"),  # both ≥ 70%: still tied
            row("d", "90", "30", "0.5"),
            row("e", "85"),
            row("f", "85"),
        ]
    )
    assert result == [
        ("a", 1, False),
        ("b", 2, True),
        ("c", 2, True),
        ("d", 4, False),
        ("e", 5, True),
        ("f", 5, True),
    ]


@pytest.mark.parametrize(
    "rows, expected",
    [
        # depth 1: totals differ; depth 2: group; depth 3: deductions; depth 4: women.
        ([row("a", "80"), row("b", "81")], [2, 1]),
        ([row("a", "80", "20"), row("b", "80", "21")], [2, 1]),
        ([row("a", "80", "20", "1"), row("b", "80", "20", "2")], [1, 2]),
        ([row("a", "80", "20", "1", "50"), row("b", "80", "20", "1", "90")], [2, 1]),
        ([row("a", "80", "20", "1", "90"), row("b", "80", "20", "1", "90")], [1, 1]),
    ],
)
def test_ties_at_several_depths(rows, expected):
    by_name = {r.agency.name: r.rank for r in rank_rows(rows)}
    assert [by_name["a"], by_name["b"]] == expected


def test_ranking_empty_until_locked_then_from_snapshot(cast):
    env = make_env(
        cast,
        members=3,
        scores={},
    )
    assert ranking_for(env.bloc_year) == []
    # Equal totals (70); the tie-break group separates the member whose
    # "Công tác chuyên môn" was lowered and the others share the first rank.
    member = env.memberships[2]
    verify_all(env, {member.pk: {"1.1": ("20", "Thiếu minh chứng"), "2.2": ("10", "Có sáng kiến")}})
    services.review_configure(
        actor=env.secretariat,
        bloc_year=env.bloc_year,
        mode="leader",
        tie_break_group=env.table.groups[0],
    )
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    assert ranking_for(env.bloc_year) == []
    services.review_lock(actor=env.secretariat, bloc_year=env.bloc_year)
    result = ranking_for(env.bloc_year)
    assert [(r.total, r.rank, r.shared_rank) for r in result] == [
        (Decimal("70.00"), 1, True),
        (Decimal("70.00"), 1, True),
        (Decimal("70.00"), 3, False),
    ]
    assert result[-1].membership == member
    assert result[-1].tie_break_score == D("40.00")


def test_country_wide_rows_read_as_the_bloc_years_ranking(db):
    conf = build_conference(members=4, prefix="cw")
    first, second, tied, tied_too = conf.memberships
    FinalScoreFactory(membership=tied_too, total=D("80"), rank=3, shared_rank=True)
    FinalScoreFactory(membership=first, total=D("95"), self_total=D("97"), rank=1)
    FinalScoreFactory(
        membership=second, total=D("90"), tie_break_score=D("31.5"), women_percent=D("72"), rank=2
    )
    FinalScoreFactory(membership=tied, total=D("80"), deduction=D("0.5"), rank=3, shared_rank=True)

    def seen(row):
        m, a = row.membership, row.agency
        return (
            (m.pk, m.id, m.bloc_year_id, m.agency_id, m.rotation_order),
            (a.pk, a.id, a.code, a.name, str(a)),
            (row.total, row.rank, row.shared_rank, row.rank_label, row.self_total),
            (row.difference, row.tie_break_score, row.deduction),
            (row.women_percent, row.women_preference),
        )

    rows = rankings_for([conf.bloc_year])[conf.bloc_year.pk]

    assert [seen(row) for row in rows] == [seen(row) for row in ranking_for(conf.bloc_year)]
    assert [row.membership.pk for row in rows] == [m.pk for m in conf.memberships]
