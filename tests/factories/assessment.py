"""An open self-assessment window on the `cast` bloc-year, built through the
services: the small scoring table, frozen, and one assessment per member."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone

from blocs.enums import AssessmentState, Phase
from blocs.models import EmulationYear, ItemScore, SelfAssessment
from blocs.services.assessment import assessment_submit, evidence_add, item_score_save
from blocs.services.scoring import bloc_year_open_self_assessment
from tests.factories.files import pdf
from tests.factories.organisation import put_in_phase
from tests.factories.scoring import small_table


@dataclass
class Window:
    table: object
    criteria: dict  # code → Criterion
    assessment: SelfAssessment  # the ordinary member's
    leader_assessment: SelfAssessment


def set_deadline(bloc_year, days_from_today: int) -> datetime.date:
    """Move the year's self-assessment deadline to ``days_from_today``."""
    deadline = timezone.localdate() + datetime.timedelta(days=days_from_today)
    EmulationYear.objects.filter(pk=bloc_year.year_id).update(self_assessment_deadline=deadline)
    bloc_year.year.refresh_from_db()
    return deadline


def open_window(cast, *, days_left: int = 10) -> Window:
    set_deadline(cast.bloc_year, days_left)
    table, criteria = small_table(cast.council, cast.bloc_year.year)
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    bloc_year_open_self_assessment(actor=cast.council, bloc_year=cast.bloc_year)
    return Window(
        table=table,
        criteria=criteria,
        assessment=SelfAssessment.objects.get(membership=cast.member),
        leader_assessment=SelfAssessment.objects.get(membership=cast.leader),
    )


class SelfAssessmentFactory(factory.django.DjangoModelFactory):
    """A self-assessment arranged directly in a given state: for tests of what
    is built from scores (documents, rankings), not of how they are entered."""

    class Meta:
        model = SelfAssessment

    membership = None
    table = None
    state = AssessmentState.SUBMITTED
    report = ""


class ItemScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemScore

    assessment = factory.SubFactory(SelfAssessmentFactory)
    criterion = None
    score = None


def score_item(cast, window: Window, code: str, value, *, field: str = "score") -> None:
    """The cast member's officer saves one field of criterion ``code``."""
    item_score_save(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria[code],
        field=field,
        value=value,
        base_version=0,
    )


def submitted_assessment(cast) -> SelfAssessment:
    """The cast member's self-assessment, opened, completed and submitted by its head."""
    window = open_window(cast)
    score_item(cast, window, "1.1", Decimal("9.75"))
    score_item(cast, window, "1.2", True, field="not_applicable")
    evidence_add(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        file=pdf(),
    )
    assessment_submit(actor=cast.head, assessment=window.assessment)
    return window.assessment
