"""Arrangement shared by the scoring and self-assessment tests: a small table
built through the services and an open self-assessment window on the `cast`
bloc-year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from blocs.enums import CriterionKind
from blocs.models import EmulationYear, SelfAssessment
from blocs.services.scoring import (
    bloc_year_open_self_assessment,
    criterion_create,
    criterion_group_create,
    scoring_table_create,
)

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass
class Window:
    table: object
    criteria: dict  # code → Criterion
    assessment: SelfAssessment  # the ordinary member's
    leader_assessment: SelfAssessment


def make_table(council, year, *, name="Bảng chấm điểm thử"):
    table = scoring_table_create(actor=council, year=year, name=name)
    g1 = criterion_group_create(
        actor=council, table=table, name="Thực hiện nhiệm vụ chuyên môn", max_points=D(20), order=1
    )
    g2 = criterion_group_create(
        actor=council, table=table, name="Điểm thưởng", max_points=D(2), order=2
    )
    g3 = criterion_group_create(
        actor=council, table=table, name="Điểm trừ", max_points=D(5), order=3
    )
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
    for order, (group, code, text, kind, maximum, step, evidence, na) in enumerate(spec):
        criteria[code] = criterion_create(
            actor=council,
            group=group,
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


def set_deadline(bloc_year, days_from_today: int):
    deadline = timezone.localdate() + datetime.timedelta(days=days_from_today)
    EmulationYear.objects.filter(pk=bloc_year.year_id).update(self_assessment_deadline=deadline)
    bloc_year.year.refresh_from_db()
    return deadline


def open_window(cast, *, days_left: int = 10) -> Window:
    set_deadline(cast.bloc_year, days_left)
    table, criteria = make_table(cast.council, cast.bloc_year.year)
    bloc_year_open_self_assessment(actor=cast.council, bloc_year=cast.bloc_year)
    return Window(
        table=table,
        criteria=criteria,
        assessment=SelfAssessment.objects.get(membership=cast.member),
        leader_assessment=SelfAssessment.objects.get(membership=cast.leader),
    )


def pdf(name="minh-chung.pdf", content=PDF):
    return SimpleUploadedFile(name, content, "application/pdf")
