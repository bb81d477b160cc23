"""The assessment page stays lean: a 35-criterion table worded like the
demo's, two thirds scored, a third with a note and a fifth with a file, is at
most 40 KB of HTML (one upload form and
one token for the page, not one per row), and its rows come from the cache
once drawn, without leaking from an editor to a reader. A view read again
with nothing changed is the one built before; whatever it shows changes, it
is built anew."""

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
from blocs.selectors.assessment import assessment_view
from blocs.services.assessment import evidence_add, evidence_delete, item_score_save
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


def test_a_view_read_again_unchanged_is_the_one_built_before(cast, big_window):
    first = assessment_view(big_window)
    again = SelfAssessment.objects.select_related("table").get(pk=big_window.pk)

    second = assessment_view(again)

    assert second.rows == first.rows and second.rows[next(iter(first.rows))] is not None
    assert all(a is b for a, b in zip(first.rows.values(), second.rows.values(), strict=True))
    assert second.drawn is first.drawn
    assert second.assessment is again  # the caller's own assessment, not the first's


def test_what_a_kept_view_shows_changes_with_each_save_and_file(cast, big_window, login):
    client = login(cast.officer)
    url = reverse("blocs:assessment_detail", args=[big_window.pk])
    client.get(url)  # the view and its rows are kept
    unscored = Criterion.objects.filter(table=big_window.table, code="1.3").get()

    item_score_save(
        actor=cast.officer,
        assessment=big_window,
        criterion=unscored,
        field="score",
        value=D("0.5"),
        base_version=0,
    )
    scored = client.get(url).content.decode()
    evidence = Evidence.objects.filter(item__assessment=big_window).first()
    name = evidence.original_name
    evidence_delete(actor=cast.officer, evidence=evidence)
    without_file = client.get(url).content.decode()

    assert 'name="score" value="0,5"' in scored
    assert name in scored and name not in without_file


def test_a_savers_new_name_shows_on_the_next_page(cast, big_window, login):
    """The saver's name is read with the items: renaming them changes
    nothing of the assessment, and the page shows the new name at once."""
    client = login(cast.secretariat)
    url = reverse("blocs:assessment_detail", args=[big_window.pk])
    before = client.get(url).content.decode()
    cast.officer.full_name = "Nguyễn Thị Đổi Tên"
    cast.officer.save(update_fields=["full_name"])

    after = client.get(url).content.decode()

    assert "Nguyễn Thị Đổi Tên" not in before
    assert after.count("Nguyễn Thị Đổi Tên") >= 20


def test_a_kept_view_is_drawn_in_each_language(cast, big_window, login):
    client = login(cast.secretariat)
    url = reverse("blocs:assessment_detail", args=[big_window.pk])

    vietnamese = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'value="1,75"' in vietnamese and 'value="1,75"' not in english
    assert 'value="1.75"' in english
