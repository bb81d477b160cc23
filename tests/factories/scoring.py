"""Scoring tables, built through the scoring services (versions numbered,
audit written, as the pages build them): a factory per row, and the two
tables the tests score against."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import factory

from blocs.enums import CriterionKind
from blocs.models import Criterion, CriterionGroup, ScoringTable
from blocs.services.scoring import criterion_create, criterion_group_create, scoring_table_create
from tests.factories.organisation import EmulationYearFactory

D = Decimal


class ScoringTableFactory(factory.Factory):
    class Meta:
        model = ScoringTable

    actor = None
    year = factory.SubFactory(EmulationYearFactory)
    bloc = None
    name = "Bảng chấm điểm thử"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return scoring_table_create(**kwargs)


class CriterionGroupFactory(factory.Factory):
    class Meta:
        model = CriterionGroup

    actor = None
    table = factory.SubFactory(ScoringTableFactory)
    name = factory.Sequence(lambda n: f"Nhóm tiêu chí {n}")
    max_points = D(20)
    order = factory.Sequence(int)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return criterion_group_create(**kwargs)


class CriterionFactory(factory.Factory):
    class Meta:
        model = Criterion

    actor = None
    group = factory.SubFactory(CriterionGroupFactory)
    code = factory.Sequence(lambda n: f"{n}.1")
    text = factory.LazyAttribute(lambda o: f"Tiêu chí {o.code}")
    max_points = D(10)
    kind = CriterionKind.STANDARD
    step = D("0.5")
    evidence_required = False
    na_allowed = False
    order = 0

    @classmethod
    def _create(cls, model_class, *, actor, group, **fields):
        return criterion_create(actor=actor, group=group, **fields)


def small_table(council, year, *, name: str = "Bảng chấm điểm thử"):
    """Three groups: 1.1 (10 points, step 0,25, evidence required), 1.2 (10,
    may be not applicable), the bonus T.1 (2) and the deduction Tr.1 (3).
    Returns (table, {code: criterion})."""
    table = ScoringTableFactory(actor=council, year=year, name=name)

    def group(name, max_points, order):
        return CriterionGroupFactory(
            actor=council, table=table, name=name, max_points=D(max_points), order=order
        )

    g1 = group("Thực hiện nhiệm vụ chuyên môn", 20, 1)
    g2 = group("Điểm thưởng", 2, 2)
    g3 = group("Điểm trừ", 5, 3)
    spec = [
        (
            g1,
            "1.1",
            "Hoàn thành chỉ tiêu được giao",
            CriterionKind.STANDARD,
            10,
            "0.25",
            True,
            False,
        ),
        (g1, "1.2", "Thực hiện nhiệm vụ đối ngoại", CriterionKind.STANDARD, 10, "0.5", False, True),
        (g2, "T.1", "Sáng kiến được công nhận", CriterionKind.BONUS, 2, "0.5", False, False),
        (g3, "Tr.1", "Bị phê bình bằng văn bản", CriterionKind.DEDUCTION, 3, "1", False, False),
    ]
    criteria = {}
    for order, (g, code, text, kind, maximum, step, evidence, na) in enumerate(spec):
        criteria[code] = CriterionFactory(
            actor=council,
            group=g,
            code=code,
            text=text,
            max_points=D(maximum),
            kind=kind,
            step=D(step),
            evidence_required=evidence,
            na_allowed=na,
            order=order,
        )
    return table, criteria


@dataclass
class Table:
    table: ScoringTable
    groups: list
    criteria: dict  # code → Criterion


def review_table(council, bloc_year) -> Table:
    """Two groups of 60 and 40 points: 1.1, 1.2 and 2.1 (30 each), the bonus
    2.2 (10) and the deduction 2.3 (5), all in steps of 0,5."""
    table = ScoringTableFactory(actor=council, year=bloc_year.year, name="Bảng chấm điểm")
    g1 = CriterionGroupFactory(
        actor=council, table=table, name="Công tác chuyên môn", max_points=D(60), order=1
    )
    g2 = CriterionGroupFactory(
        actor=council, table=table, name="Công tác thi đua, khen thưởng", max_points=D(40), order=2
    )
    spec = [
        (g1, "1.1", CriterionKind.STANDARD, 30),
        (g1, "1.2", CriterionKind.STANDARD, 30),
        (g2, "2.1", CriterionKind.STANDARD, 30),
        (g2, "2.2", CriterionKind.BONUS, 10),
        (g2, "2.3", CriterionKind.DEDUCTION, 5),
    ]
    criteria = {
        code: CriterionFactory(
            actor=council,
            group=g,
            code=code,
            max_points=D(max_points),
            kind=kind,
            step=D("0.5"),
            order=order,
        )
        for order, (g, code, kind, max_points) in enumerate(spec)
    }
    return Table(table, [g1, g2], criteria)
