"""Rows read inside another query as one JSON text come back as
``values_list()`` gives them, value for value and type for type, on SQLite
and on PostgreSQL: decimals to their places, booleans, aware datetimes,
dates, text and numbers, and None where a column is empty."""

import datetime
from decimal import Decimal as D

from django.utils import timezone

from blocs.enums import DeadlineStep
from blocs.models import BlocYear, DeadlineExtension, ItemScore, SelfAssessment
from blocs.services.assessment import evidence_add, item_score_save
from blocs.services.deadlines import deadline_extend
from emulation.json_rows import JSONRows
from tests.factories.assessment import open_window
from tests.factories.files import pdf

ITEM_COLUMNS = (
    "pk",
    "criterion_id",
    "score",
    "not_applicable",
    "note",
    "version",
    "updated_at",
    "updated_by__full_name",
    "updated_by__username",
    "evidence__id",
    "evidence__file",
    "evidence__size",
    "evidence__uploaded_at",
)


def typed(rows):
    """Each row's values with their types, in a fixed order."""
    return sorted(
        (tuple((type(value).__name__, value) for value in row) for row in rows),
        key=repr,
    )


def read_with(model, json_rows, outer_key, pk):
    text = (
        model.objects.filter(pk=pk)
        .annotate(read=json_rows.read_with(outer_key))
        .values_list("read", flat=True)
        .get()
    )
    assert text is None or isinstance(text, str)  # the text, to key by
    return json_rows.decode(text)


def test_an_assessments_items_read_as_json_are_its_values(cast):
    window = open_window(cast)
    assessment, criteria = window.assessment, window.criteria
    save = {"actor": cast.officer, "assessment": assessment}
    item_score_save(
        **save, criterion=criteria["1.1"], field="score", value=D("7.25"), base_version=0
    )
    item_score_save(
        **save, criterion=criteria["1.1"], field="note", value="Có “biên bản”\n", base_version=1
    )
    item_score_save(
        **save, criterion=criteria["1.2"], field="not_applicable", value=True, base_version=0
    )
    item_score_save(**save, criterion=criteria["T.1"], field="score", value=D(2), base_version=0)
    item_score_save(**save, criterion=criteria["Tr.1"], field="note", value="", base_version=0)
    for name in ("a.pdf", "b.pdf"):
        evidence_add(**save, criterion=criteria["1.1"], file=pdf(name))
    expected = list(ItemScore.objects.filter(assessment=assessment).values_list(*ITEM_COLUMNS))
    assert len(expected) == 5 and any(row[2] is None for row in expected)

    found = read_with(
        SelfAssessment, JSONRows(ItemScore, ITEM_COLUMNS), "assessment_id", assessment.pk
    )

    assert typed(found) == typed(expected)
    assert all(row[6].utcoffset() == datetime.timedelta(0) for row in found)


def test_a_read_with_no_rows_decodes_to_no_rows(cast):
    window = open_window(cast)
    json_rows = JSONRows(ItemScore, ITEM_COLUMNS)

    assert read_with(SelfAssessment, json_rows, "assessment_id", window.assessment.pk) == []


def test_dates_read_as_json_are_their_values(cast):
    open_window(cast)
    deadline_extend(
        actor=cast.council,
        bloc_year=cast.bloc_year,
        step=DeadlineStep.SELF_ASSESSMENT,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        reason="Bão số 3",
        membership=cast.member,
    )
    columns = ("id", "deadline", "reason", "membership_id", "step")
    expected = list(
        DeadlineExtension.objects.filter(bloc_year=cast.bloc_year).values_list(*columns)
    )

    found = read_with(
        BlocYear, JSONRows(DeadlineExtension, columns), "bloc_year_id", cast.bloc_year.pk
    )

    assert typed(found) == typed(expected)
