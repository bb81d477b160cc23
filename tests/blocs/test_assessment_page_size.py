"""The assessment page stays lean: a 35-criterion table worded like the
demo's, two thirds scored, a third with a note and a fifth with a file, is at
most 40 KB of HTML (one upload form and
one token for the page, not one per row), and its rows come from the cache
once drawn, without leaking from an editor to a reader."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from blocs.enums import Phase
from blocs.models import (
    Criterion,
    CriterionGroup,
    Evidence,
    ItemScore,
    ScoringTable,
    SelfAssessment,
)
from blocs.services.assessment import evidence_add, item_score_save
from blocs.services.scoring import bloc_year_open_self_assessment
from tests.factories import put_in_phase
from tests.factories.assessment import set_deadline
from tests.factories.files import pdf
from tests.factories.scoring import CriterionFactory, CriterionGroupFactory, ScoringTableFactory

MAX_BYTES = 40_000

# A province's database after a few years holds millions of rows: the page is
# weighed with seven-digit keys, not with the two-digit keys of a fresh test
# database (whose length would depend on how many tests ran before).
FIRST_ID = 1_000_000


def start_ids_at(first_id, *models):
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                    [table, first_id],
                )
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                    [table, first_id - 1],
                )


@pytest.fixture
def big_window(cast):
    """Five groups of seven criteria, worded and scored like a real agency's."""
    start_ids_at(
        FIRST_ID, ScoringTable, CriterionGroup, Criterion, SelfAssessment, ItemScore, Evidence
    )
    set_deadline(cast.bloc_year, 10)
    table = ScoringTableFactory(actor=cast.council, year=cast.bloc_year.year)
    criteria = []
    for g in range(1, 6):
        group = CriterionGroupFactory(
            actor=cast.council,
            table=table,
            name=f"Công tác chuyên môn, nghiệp vụ nhóm {g}",
            max_points=D(20),
            order=g,
        )
        for n in range(1, 8):
            criteria.append(
                CriterionFactory(
                    actor=cast.council,
                    group=group,
                    code=f"{g}.{n}",
                    text=f"Triển khai kịp thời các văn bản chỉ đạo của Tỉnh ủy về nhiệm vụ {g}.{n}",
                    guidance="Ban hành trước ngày 31/01." if n % 3 == 1 else "",
                    max_points=D(2),
                    step=D("0.25"),
                    evidence_required=n % 2 == 1,
                    na_allowed=n == 7,
                    order=n,
                )
            )
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    bloc_year_open_self_assessment(actor=cast.council, bloc_year=cast.bloc_year)
    assessment = SelfAssessment.objects.get(membership=cast.member)
    for i, criterion in enumerate(criteria):
        if i % 3 == 2:
            continue
        item_score_save(
            actor=cast.officer,
            assessment=assessment,
            criterion=criterion,
            field="score",
            value=D("1.75"),
            base_version=0,
        )
        if i % 3 == 0:
            item_score_save(
                actor=cast.officer,
                assessment=assessment,
                criterion=criterion,
                field="note",
                value="Đã ban hành đúng hạn, có văn bản kèm theo.",
                base_version=1,
            )
        if i % 5 == 0:
            evidence_add(
                actor=cast.officer,
                assessment=assessment,
                criterion=criterion,
                file=pdf(f"minh-chung-{criterion.code}.pdf"),
            )
    return assessment


def test_the_page_of_35_criteria_is_at_most_40_kb(cast, big_window, login):
    response = login(cast.officer).get(
        reverse("blocs:assessment_detail", args=[big_window.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="item-row"') == 35
    assert body.count("csrfmiddlewaretoken") <= 4  # the page's forms, none per row
    assert body.count('id="evidence-upload"') == 1
    assert len(response.content) <= MAX_BYTES, len(response.content)


def test_a_cached_row_is_drawn_for_what_the_viewer_may_do(cast, big_window, login):
    cache.clear()
    url = reverse("blocs:assessment_detail", args=[big_window.pk])
    editor = login(cast.officer).get(url).content.decode()
    reader = login(cast.secretariat).get(url).content.decode()

    assert editor.count("data-upload>") == 35
    assert "data-upload" not in reader
    assert reader.count('name="score"') == reader.count('name="score" value=') == 35
    assert reader.count(" disabled") >= 35


def test_a_saved_field_names_itself_and_shows_on_the_page_at_once(cast, big_window, login):
    client = login(cast.officer)
    url = reverse("blocs:assessment_detail", args=[big_window.pk])
    client.get(url)  # the rows are drawn and kept
    item = ItemScore.objects.get(assessment=big_window, criterion__code="1.1")

    response = client.post(
        reverse("blocs:item_save", args=[big_window.pk, item.criterion_id]),
        {"note": "Đã bổ sung biên bản.", "version": item.version},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="note",
    )

    assert response.status_code == 200 and 'role="alert"' not in response.content.decode()
    assert ItemScore.objects.get(pk=item.pk).note == "Đã bổ sung biên bản."
    assert "Đã bổ sung biên bản." in client.get(url).content.decode()
