"""The cross-scoring assignment generator (pure: no database).

Each reviewee gets exactly one reviewer, such that

- nobody reviews itself;
- no two members review each other (a reciprocal pair) unless that cannot be
  avoided (e.g. three members of whom only two review);
- the load is balanced: every reviewer has ⌊n/m⌋ or ⌈n/m⌉ reviewees;
- the result depends only on the inputs and the seed.

Reviewers are usually all the members; in the "both" mode the leading agency,
which decides last, does not cross-score, so one reviewer may get one more.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence


class AssignmentImpossible(ValueError):
    pass


def _search(
    reviewees: list, capacity: dict, *, allow_reciprocal: bool, rng: random.Random, budget: list
) -> dict | None:
    result: dict = {}
    reviewers = list(capacity)

    def backtrack(index: int) -> bool:
        if index == len(reviewees):
            return True
        budget[0] -= 1
        if budget[0] < 0:
            return False
        reviewee = reviewees[index]
        order = reviewers[:]
        rng.shuffle(order)
        for reviewer in order:
            if reviewer == reviewee or capacity[reviewer] == 0:
                continue
            if not allow_reciprocal and result.get(reviewer) == reviewee:
                continue
            result[reviewee] = reviewer
            capacity[reviewer] -= 1
            if backtrack(index + 1):
                return True
            capacity[reviewer] += 1
            del result[reviewee]
        return False

    return result if backtrack(0) else None


def generate_assignment(
    reviewees: Sequence[Hashable],
    reviewers: Sequence[Hashable] | None = None,
    *,
    seed: int = 0,
) -> dict[Hashable, Hashable]:
    """Map each reviewee to its reviewer (see the module's docstring)."""
    reviewees = sorted(set(reviewees))
    reviewers = sorted(set(reviewees if reviewers is None else reviewers))
    if not reviewees:
        return {}
    if not reviewers or (len(reviewers) == 1 and reviewers[0] in reviewees):
        raise AssignmentImpossible("not enough reviewers")
    rng = random.Random(seed)
    n, m = len(reviewees), len(reviewers)
    base, extra = divmod(n, m)
    for allow_reciprocal in (False, True):
        for _attempt in range(30):
            heavier = set(rng.sample(reviewers, extra))
            capacity = {r: base + (1 if r in heavier else 0) for r in reviewers}
            order = reviewees[:]
            rng.shuffle(order)
            # Reviewees that are not reviewers are the easiest: place the others first.
            order.sort(key=lambda r: r not in capacity)
            found = _search(
                order, capacity, allow_reciprocal=allow_reciprocal, rng=rng, budget=[20_000]
            )
            if found is not None:
                return found
    raise AssignmentImpossible("no assignment satisfies the constraints")


def reciprocal_pairs(assignment: dict) -> set[frozenset]:
    """The pairs of members that review each other."""
    return {
        frozenset((reviewee, reviewer))
        for reviewee, reviewer in assignment.items()
        if assignment.get(reviewer) == reviewee
    }


def loads(assignment: dict, reviewers: Sequence[Hashable]) -> dict:
    counts = dict.fromkeys(reviewers, 0)
    for reviewer in assignment.values():
        counts[reviewer] = counts.get(reviewer, 0) + 1
    return counts
