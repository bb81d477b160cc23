"""The cross-scoring assignment generator, for 3 to 15 members."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blocs.assignment import (
    AssignmentImpossible,
    generate_assignment,
    loads,
    reciprocal_pairs,
)


def _reciprocal_free_exists(reviewees, reviewers) -> bool:
    """Brute force: is there a balanced assignment without a reciprocal pair?"""
    n, m = len(reviewees), len(reviewers)
    low, high = n // m, -(-n // m)
    choices = [[r for r in reviewers if r != e] for e in reviewees]
    for combo in itertools.product(*choices):
        assignment = dict(zip(reviewees, combo, strict=True))
        counts = loads(assignment, reviewers)
        if min(counts.values()) < low or max(counts.values()) > high:
            continue
        if not reciprocal_pairs(assignment):
            return True
    return False


def _check(reviewees, reviewers, seed):
    assignment = generate_assignment(reviewees, reviewers, seed=seed)
    assert set(assignment) == set(reviewees)
    assert all(reviewer != reviewee for reviewee, reviewer in assignment.items())
    assert set(assignment.values()) <= set(reviewers)
    counts = loads(assignment, reviewers)
    assert max(counts.values()) - min(counts.values()) <= 1
    if reciprocal_pairs(assignment):
        assert len(reviewees) <= 6, "reciprocal pair in a bloc large enough to avoid it"
        assert not _reciprocal_free_exists(reviewees, reviewers)
    return assignment


@pytest.mark.parametrize("n", range(3, 16))
@pytest.mark.parametrize("leader_excluded", [False, True])
def test_generator_properties_for_every_size(n, leader_excluded):
    reviewees = list(range(100, 100 + n))
    reviewers = reviewees[1:] if leader_excluded else reviewees
    for seed in range(25):
        _check(reviewees, reviewers, seed)


@settings(max_examples=200, deadline=None)
@given(
    members=st.sets(st.integers(min_value=1, max_value=10_000), min_size=3, max_size=15),
    seed=st.integers(min_value=0, max_value=2**31),
    exclude_one=st.booleans(),
)
def test_generator_properties_hypothesis(members, seed, exclude_one):
    reviewees = sorted(members)
    reviewers = reviewees[1:] if exclude_one else reviewees
    _check(reviewees, reviewers, seed)


def test_generator_is_deterministic_given_a_seed():
    members = list(range(1, 10))
    assert generate_assignment(members, seed=42) == generate_assignment(
        list(reversed(members)), seed=42
    )
    outcomes = {tuple(sorted(generate_assignment(members, seed=s).items())) for s in range(10)}
    assert len(outcomes) > 1


def test_three_members_one_reviewing_nothing_is_unavoidably_reciprocal():
    assignment = _check([1, 2, 3], [2, 3], seed=0)
    assert reciprocal_pairs(assignment) == {frozenset({2, 3})}


def test_generator_refuses_when_nobody_can_review():
    with pytest.raises(AssignmentImpossible):
        generate_assignment([1, 2], [1], seed=0)
