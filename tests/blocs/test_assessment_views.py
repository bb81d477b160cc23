"""Self-assessment pages: permission matrix, autosave beside the field, the
lost-update message, evidence download permission, query counts."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from blocs.enums import AssessmentState, DeadlineStep, Phase, ProgressPeriod
from blocs.models import EmulationYear, Evidence, ItemScore, SelfAssessment
from blocs.services.assessment import assessment_submit, evidence_add, item_score_save
from blocs.services.deadlines import deadline_extend
from blocs.services.registration import target_progress_report
from emulation.dashboard import tasks_for
from tests.factories import AgencyFactory, UserFactory, add_member, put_in_phase
from tests.factories.assessment import open_window, set_deadline
from tests.factories.files import PDF, pdf
from tests.factories.registration import register
from tests.factories.scoring import small_table


def page_of(window):
    return reverse("blocs:assessment_detail", args=[window.assessment.pk])


# --- the agency's page ---------------------------------------------------------


def test_the_officer_sees_the_assessment_with_progress_in_vietnamese(cast, window, login):
    response = login(cast.officer).get(page_of(window))

    body = response.content.decode()
    assert response.status_code == 200
    assert "0/2 tiêu chí, thiếu minh chứng: 0" in body
    assert "Hoàn thành chỉ tiêu được giao" in body
    assert "phase-bar" in body
    assert "Bước tiếp theo" in body


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer", 200),
        ("head", 200),
        ("secretariat", 200),
        ("council", 200),
        ("admin", 200),
        ("outsider", 404),
        ("other_council", 404),
    ],
)
def test_assessment_page_permission_matrix(cast, window, login, who, status):
    response = login(getattr(cast, who)).get(page_of(window))

    assert response.status_code == status


def test_another_member_sees_an_assessment_only_once_scores_are_published(cast, window, login):
    url = reverse("blocs:assessment_detail", args=[window.leader_assessment.pk])
    assert login(cast.officer).get(url).status_code == 404

    put_in_phase(cast.bloc_year, Phase.RANKING_PUBLISHED)

    assert login(cast.officer).get(url).status_code == 200


def test_the_print_view_shows_the_score_sheet(cast, window, login):
    item_score_save(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        field="score",
        value=D("7.5"),
        base_version=0,
    )

    response = login(cast.secretariat).get(
        reverse("blocs:assessment_print", args=[window.assessment.pk])
    )

    body = response.content.decode()
    assert "Kết quả tự chấm điểm thi đua năm 2023" in body
    assert "7,5" in body
    assert (
        login(cast.outsider)
        .get(reverse("blocs:assessment_print", args=[window.assessment.pk]))
        .status_code
        == 404
    )


# --- autosave ------------------------------------------------------------------


def item_url(window, code):
    return reverse("blocs:item_save", args=[window.assessment.pk, window.criteria[code].pk])


def test_autosave_of_a_criterion_of_another_table_is_not_found(cast, window, login):
    _other, criteria = small_table(cast.council, window.assessment.table.year, name="Bảng khác")
    url = reverse("blocs:item_save", args=[window.assessment.pk, criteria["1.1"].pk])

    response = login(cast.officer).post(url, {"field": "score", "score": "5", "version": "0"})

    assert response.status_code == 404
    assert not ItemScore.objects.exists()


def test_autosave_stores_the_field_and_answers_the_partial(cast, window, login):
    response = login(cast.officer).post(
        item_url(window, "1.1"), {"field": "score", "score": "8,25", "version": "0"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="8,25"' in body
    assert "1/2 tiêu chí" in body  # the progress, swapped out of band
    assert 'hx-swap-oob="true"' in body
    assert ItemScore.objects.get().score == 8.25


def test_a_validation_error_shows_beside_the_field_and_keeps_the_typed_value(cast, window, login):
    response = login(cast.officer).post(
        item_url(window, "1.1"), {"field": "score", "score": "12", "version": "0"}
    )

    body = response.content.decode()
    assert "is-invalid" in body
    assert "Điểm không được vượt quá mức tối đa 10 điểm." in body
    assert 'value="12"' in body
    assert not ItemScore.objects.filter(score__isnull=False).exists()


def _masked(html: str) -> str:
    """The HTML with its CSRF tokens (masked afresh on every render) blanked."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)


def test_the_autosave_answers_the_pages_own_row_and_the_totals_only(cast, window, login):
    client = login(cast.officer)
    evidence_add(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        file=pdf(),
    )

    response = client.post(
        item_url(window, "1.1"), {"field": "score", "score": "9", "version": "1"}
    )

    body = _masked(response.content.decode())
    row, summary = body.split('<div id="assessment-summary"')
    assert body.count('class="item-row') == 1
    assert "Tổng điểm: 9/22 điểm" in summary
    assert row.strip() in _masked(client.get(page_of(window)).content.decode())


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        ("1.1", {"field": "score", "score": "abc"}, "“abc” không phải là số."),
        ("1.1", {"field": "score", "score": "3,1"}, "Điểm phải là bội số của 0,25."),
        ("1.1", {"field": "not_applicable", "not_applicable": "on"}, "không được chọn"),
        ("1.1", {"field": "note", "note": "x" * 5001}, "Ghi chú quá dài"),
        ("1.1", {"field": "rank", "rank": "1"}, "Vui lòng tải lại trang."),
        ("1.1", {"field": "score", "score": "5", "version": "bản cũ"}, "Vui lòng tải lại trang."),
    ],
)
def test_an_invalid_save_is_explained_in_the_row_and_nothing_is_saved(
    cast, window, login, code, data, message
):
    response = login(cast.officer).post(item_url(window, code), {"version": "0", **data})

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert body.count('class="item-row') == 1
    assert not ItemScore.objects.exists()


def test_the_not_applicable_box_saves_as_a_boolean_and_disables_the_score(cast, window, login):
    client = login(cast.officer)
    client.post(item_url(window, "1.2"), {"field": "score", "score": "5", "version": "0"})

    response = client.post(
        item_url(window, "1.2"), {"field": "not_applicable", "not_applicable": "on", "version": "1"}
    )

    item = ItemScore.objects.get()
    assert item.not_applicable is True and item.score is None
    assert 'name="score" value="" disabled' in (response.content.decode())
    client.post(item_url(window, "1.2"), {"field": "not_applicable", "version": "2"})
    assert ItemScore.objects.get().not_applicable is False


@pytest.mark.parametrize("n", [1, 5])
def test_autosave_query_count_does_not_grow(cast, window, login, django_assert_num_queries, n):
    """Neither the table's size nor the row's evidence files cost a query each."""
    for _ in range(n):
        evidence_add(
            actor=cast.officer,
            assessment=window.assessment,
            criterion=window.criteria["1.1"],
            file=pdf(),
        )
    for code in list(window.criteria)[1:n]:
        item_score_save(
            actor=cast.officer,
            assessment=window.assessment,
            criterion=window.criteria[code],
            field="note",
            value="Đã rà soát",
            base_version=0,
        )
    client = login(cast.officer)
    client.get(page_of(window))
    version = ItemScore.objects.get(criterion=window.criteria["1.1"]).version
    # A running server has the audit's content types cached after its first write.
    ContentType.objects.get_for_model(ItemScore)

    with django_assert_num_queries(11):
        response = client.post(
            item_url(window, "1.1"), {"field": "score", "score": "9", "version": str(version)}
        )
    assert ItemScore.objects.get(criterion=window.criteria["1.1"]).score == 9
    assert response.content.decode().count("minh-chung") == n


def test_autosave_of_a_row_without_files_reads_no_files_and_answers_the_saved_row(
    cast, window, login, django_assert_num_queries
):
    """The row answered is the item as the service saved it (its new version,
    who saved it), and a row with no file attached asks for none."""
    colleague = UserFactory(agency=cast.member.agency, agency_role="officer")
    item_score_save(
        actor=colleague,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        field="note",
        value="Đã rà soát",
        base_version=0,
    )
    cast.officer.full_name = "Lê Văn Chấm"
    cast.officer.save(update_fields=["full_name"])
    client = login(cast.officer)
    client.get(page_of(window))
    ContentType.objects.get_for_model(ItemScore)

    with django_assert_num_queries(10):
        response = client.post(
            item_url(window, "1.1"), {"field": "score", "score": "9", "version": "1"}
        )

    body = response.content.decode()
    assert ItemScore.objects.get(criterion=window.criteria["1.1"]).version == 2
    assert """hx-vals='{"version":2}'""" in body
    assert "Lê Văn Chấm" in body
    assert 'id="assessment-summary"' in body


def test_evidence_is_removed_without_javascript_through_one_form(cast, window, login):
    evidence = evidence_add(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        file=pdf(),
    )
    client = login(cast.officer)
    page = client.get(page_of(window)).content.decode()
    delete_url = reverse("blocs:evidence_delete", args=[window.assessment.pk, evidence.pk])
    assert '<form id="evidence-delete" method="post"' in page
    assert f'form="evidence-delete" formaction="{delete_url}"' in page

    client.post(delete_url, {"csrfmiddlewaretoken": "ignored by the test client"})

    assert not Evidence.objects.exists()


def test_a_stale_save_is_refused_with_the_current_value(cast, window, login):
    client = login(cast.officer)
    client.post(item_url(window, "1.1"), {"field": "score", "score": "8", "version": "0"})

    client = login(cast.head)
    response = client.post(
        item_url(window, "1.1"), {"field": "score", "score": "6", "version": "0"}
    )

    body = response.content.decode()
    assert "giá trị hiện tại là “8”" in body
    assert "Thay đổi của bạn chưa được lưu" in body
    assert ItemScore.objects.get().score == 8


@pytest.mark.parametrize(("who", "status"), [("secretariat", 403), ("outsider", 404)])
def test_autosave_refused_for_others(cast, window, login, who, status):
    response = login(getattr(cast, who)).post(
        item_url(window, "1.1"), {"field": "score", "score": "8", "version": "0"}
    )

    assert response.status_code == status
    assert not ItemScore.objects.exists()


def test_autosave_of_an_invalid_value_refused_for_others(cast, window, login):
    """A value the form refuses never reaches the service: the view itself
    answers 403 to a user who may not change the row, not the row's errors."""
    response = login(cast.secretariat).post(
        item_url(window, "1.1"), {"field": "score", "score": "abc", "version": "0"}
    )

    assert response.status_code == 403
    assert not ItemScore.objects.exists()


def test_autosave_is_post_only(cast, window, login):
    assert login(cast.officer).get(item_url(window, "1.1")).status_code == 405


def test_autosave_after_submission_is_forbidden(cast, window, login):
    fill(cast, window)
    assessment_submit(actor=cast.head, assessment=window.assessment)

    response = login(cast.officer).post(
        item_url(window, "T.1"), {"field": "score", "score": "1", "version": "0"}
    )

    assert response.status_code == 403


def test_the_report_autosaves(cast, window, login):
    response = login(cast.officer).post(
        reverse("blocs:report_save", args=[window.assessment.pk]),
        {"report": "Năm 2023 đơn vị hoàn thành xuất sắc nhiệm vụ.", "report_version": "0"},
    )

    assert response.status_code == 200
    assert SelfAssessment.objects.get(pk=window.assessment.pk).report.startswith("Năm 2023")


@pytest.mark.parametrize(
    ("version", "message"),
    [("", "tải lại trang"), ("abc", "tải lại trang"), ("7", "Người khác vừa sửa báo cáo")],
)
def test_a_refused_report_keeps_the_text_typed_and_says_why(cast, window, login, version, message):
    typed = "Báo cáo chưa lưu được."

    response = login(cast.officer).post(
        reverse("blocs:report_save", args=[window.assessment.pk]),
        {"report": typed, "report_version": version},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message.lower() in page.lower()
    assert typed in page
    assert 'id="assessment-report"' in page and "<html" not in page
    assert SelfAssessment.objects.get(pk=window.assessment.pk).report == ""


# --- transitions -----------------------------------------------------------------


def fill(cast, window):
    item_score_save(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        field="score",
        value=D("9"),
        base_version=0,
    )
    evidence_add(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        file=pdf(),
    )
    item_score_save(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.2"],
        field="not_applicable",
        value=True,
        base_version=0,
    )


def test_the_head_submits_on_the_page(cast, window, login):
    fill(cast, window)

    response = login(cast.head).post(
        reverse("blocs:assessment_submit", args=[window.assessment.pk]), follow=True
    )

    assert "Đã nộp bản tự chấm điểm cho Thường trực Khối." in response.content.decode()
    assert SelfAssessment.objects.get(pk=window.assessment.pk).state == AssessmentState.SUBMITTED


@pytest.mark.parametrize(
    ("who", "status"), [("officer", 403), ("secretariat", 403), ("outsider", 404)]
)
def test_submit_permission(cast, window, login, who, status):
    fill(cast, window)

    response = login(getattr(cast, who)).post(
        reverse("blocs:assessment_submit", args=[window.assessment.pk])
    )

    assert response.status_code == status
    assert SelfAssessment.objects.get(pk=window.assessment.pk).state == AssessmentState.DRAFT


def test_submit_is_post_only(cast, window, login):
    url = reverse("blocs:assessment_submit", args=[window.assessment.pk])
    assert login(cast.head).get(url).status_code == 405


def test_the_secretariat_returns_with_a_reason(cast, window, login):
    fill(cast, window)
    assessment_submit(actor=cast.head, assessment=window.assessment)
    url = reverse("blocs:assessment_return", args=[window.assessment.pk])

    assert login(cast.head).post(url, {"reason": "x"}).status_code == 403
    assert login(cast.outsider).post(url, {"reason": "x"}).status_code == 404
    assert login(cast.secretariat).get(url).status_code == 405
    response = login(cast.secretariat).post(
        url, {"reason": "Bổ sung minh chứng tiêu chí 1.1"}, follow=True
    )

    assert "Đã trả lại bản tự chấm điểm cho đơn vị." in response.content.decode()
    page = login(cast.officer).get(page_of(window)).content.decode()
    assert "Thường trực Khối trả lại: Bổ sung minh chứng tiêu chí 1.1" in page


def test_the_secretariat_reopens_after_the_deadline(cast, window, login):
    set_deadline(cast.bloc_year, -2)
    url = reverse("blocs:assessment_reopen", args=[window.assessment.pk])
    assert login(cast.officer).post(url, {"reason": "x"}).status_code == 403

    response = login(cast.secretariat).post(url, {"reason": ""}, follow=True)
    assert "Vui lòng nêu lý do." in response.content.decode()
    login(cast.secretariat).post(url, {"reason": "Đơn vị gặp sự cố mạng"})

    saved = login(cast.officer).post(
        item_url(window, "1.1"), {"field": "score", "score": "5", "version": "0"}
    )
    assert saved.status_code == 200
    assert ItemScore.objects.get().score == 5


def test_the_head_delegates_submission(cast, window, login):
    url = reverse("blocs:delegation_grant", args=[window.assessment.pk])
    assert login(cast.officer).post(url, {"delegate": cast.officer.pk}).status_code == 403

    login(cast.head).post(url, {"delegate": cast.officer.pk})
    fill(cast, window)
    login(cast.officer).post(reverse("blocs:assessment_submit", args=[window.assessment.pk]))

    assert SelfAssessment.objects.get(pk=window.assessment.pk).state == AssessmentState.SUBMITTED


# --- evidence ------------------------------------------------------------------


def upload_url(window, code="1.1"):
    return reverse("blocs:evidence_upload", args=[window.assessment.pk, window.criteria[code].pk])


def test_an_evidence_upload_is_attached_and_downloaded_through_the_view(cast, window, login):
    client = login(cast.officer)
    response = client.post(upload_url(window), {"file": pdf("Kế hoạch.pdf")}, follow=True)
    assert "Đã đính kèm 1 tệp minh chứng cho tiêu chí 1.1." in response.content.decode()
    evidence = Evidence.objects.get()

    download = client.get(reverse("blocs:evidence_download", args=[evidence.pk]))

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    download.close()


def test_a_disguised_upload_is_refused_with_a_message(cast, window, login):
    response = login(cast.officer).post(
        upload_url(window), {"file": pdf("bao-cao.pdf", b"<html>not a pdf</html>")}, follow=True
    )

    body = response.content.decode()
    # Beside the criterion the upload came from, where the page lands.
    outcome = body.index('id="upload-outcome"')
    assert outcome < body.index(f'id="item-{window.criteria["1.1"].pk}"')
    assert "bao-cao.pdf: " in body[outcome:]
    assert response.redirect_chain[-1][0].endswith("#upload-outcome")
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer", 200),
        ("head", 200),
        ("secretariat", 200),
        ("council", 200),
        ("outsider", 404),
        ("other_council", 404),
    ],
)
def test_evidence_download_permission(cast, window, login, who, status):
    evidence = evidence_add(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        file=pdf(),
    )

    response = login(getattr(cast, who)).get(reverse("blocs:evidence_download", args=[evidence.pk]))

    assert response.status_code == status
    response.close()


def test_other_members_download_evidence_only_after_publication(cast, window, login):
    other = add_member(cast.bloc_year, AgencyFactory(province=cast.province))
    from emulation.enums import AgencyRole

    user = UserFactory(agency=other.agency, agency_role=AgencyRole.OFFICER)
    evidence = evidence_add(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.1"],
        file=pdf(),
    )
    url = reverse("blocs:evidence_download", args=[evidence.pk])
    assert login(user).get(url).status_code == 404

    put_in_phase(cast.bloc_year, Phase.RANKING_PUBLISHED)

    response = login(user).get(url)
    assert response.status_code == 200
    response.close()


def test_upload_by_another_agency_is_forbidden(cast, window, login):
    assert login(cast.secretariat).post(upload_url(window), {"file": pdf()}).status_code == 403
    assert login(cast.outsider).post(upload_url(window), {"file": pdf()}).status_code == 404
    assert login(cast.officer).get(upload_url(window)).status_code == 405


# --- overview ----------------------------------------------------------------------


def overview_url(cast):
    return reverse("blocs:assessment_overview", args=[cast.bloc_year.pk])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("council", 200),
        ("admin", 200),
        ("officer", 403),
        ("outsider", 404),
        ("other_council", 404),
    ],
)
def test_overview_permission_matrix(cast, window, login, who, status):
    assert login(getattr(cast, who)).get(overview_url(cast)).status_code == status


def test_overview_shows_states_progress_and_totals(cast, window, login):
    fill(cast, window)
    assessment_submit(actor=cast.head, assessment=window.assessment)

    body = login(cast.secretariat).get(overview_url(cast)).content.decode()

    assert "1/2 đơn vị đã nộp." in body
    assert "Đã nộp" in body
    assert "2/2 tiêu chí, thiếu minh chứng: 0" in body


def test_open_window_from_the_overview(cast, login):
    small_table(cast.council, cast.bloc_year.year)
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    url = reverse("blocs:self_assessment_open", args=[cast.bloc_year.pk])
    assert login(cast.officer).post(url).status_code == 403
    assert login(cast.outsider).post(url).status_code == 404
    assert login(cast.secretariat).get(url).status_code == 405

    response = login(cast.secretariat).post(url, follow=True)

    assert "Đã mở đợt tự chấm điểm" in response.content.decode()
    assert SelfAssessment.objects.filter(membership__bloc_year=cast.bloc_year).count() == 2


def test_opening_the_window_before_its_date_asks_for_confirmation(cast, login):
    small_table(cast.council, cast.bloc_year.year)
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    EmulationYear.objects.filter(pk=cast.bloc_year.year_id).update(
        self_assessment_opens=timezone.localdate() + datetime.timedelta(days=4)
    )
    url = reverse("blocs:self_assessment_open", args=[cast.bloc_year.pk])
    client = login(cast.secretariat)

    page = client.post(url, follow=True).content.decode()

    assert "Mở tự chấm điểm sớm cho Khối này?" in page
    assert 'name="confirm"' in page
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.IN_PROGRESS
    assert not SelfAssessment.objects.filter(membership__bloc_year=cast.bloc_year).exists()

    client.post(url, {"confirm": "on"})

    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.SELF_ASSESSMENT
    assert SelfAssessment.objects.filter(membership__bloc_year=cast.bloc_year).count() == 2


@pytest.mark.parametrize("members", [1, 5])
def test_overview_query_count_does_not_grow(cast, login, django_assert_num_queries, members):
    for _ in range(members):
        add_member(cast.bloc_year, AgencyFactory(province=cast.province))
    window = open_window(cast)
    for a in SelfAssessment.objects.all():
        item_score_save(
            actor=UserFactory(agency=a.membership.agency, agency_role="officer"),
            assessment=a,
            criterion=window.criteria["1.1"],
            field="score",
            value=D("5"),
            base_version=0,
        )
    client = login(cast.secretariat)

    with django_assert_num_queries(14):
        client.get(overview_url(cast))


def _files_and_notes(cast, window, n):
    """n files on the first criterion, and a note on each of the first n
    criteria, each written by another colleague (a row names who saved it)."""
    for _ in range(n):
        evidence_add(
            actor=cast.officer,
            assessment=window.assessment,
            criterion=window.criteria["1.1"],
            file=pdf(),
        )
    for code in list(window.criteria)[:n]:
        item_score_save(
            actor=UserFactory(agency=cast.member.agency, agency_role="officer"),
            assessment=window.assessment,
            criterion=window.criteria[code],
            field="note",
            value=f"Ghi chú {code}",
            # The first criterion's item exists already: its files created it.
            base_version=ItemScore.objects.filter(
                assessment=window.assessment, criterion=window.criteria[code]
            )
            .values_list("version", flat=True)
            .first()
            or 0,
        )


@pytest.mark.parametrize("n", [1, 5])
def test_assessment_page_query_count_does_not_grow(
    cast, window, login, django_assert_num_queries, n
):
    """Neither the evidence files nor the people who last changed each row
    (shown beside it) cost a query each."""
    _files_and_notes(cast, window, n)
    client = login(cast.officer)

    with django_assert_num_queries(5):  # incl. the stage tabs
        response = client.get(page_of(window))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 5])
def test_assessment_print_query_count_does_not_grow(
    cast, window, login, django_assert_num_queries, n
):
    """The printed report counts each row's evidence files and shows its note
    without a query per row."""
    _files_and_notes(cast, window, n)
    client = login(cast.officer)
    url = reverse("blocs:assessment_print", args=[window.assessment.pk])
    client.get(url)

    with django_assert_num_queries(ASSESSMENT_PRINT_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert f"{n} tài liệu kiểm chứng" in body
    assert body.count("Ghi chú ") == min(n, len(window.criteria))


ASSESSMENT_PRINT_QUERIES = 5


# --- dashboard -----------------------------------------------------------------------


def test_dashboard_tells_officer_head_and_secretariat_what_to_do(cast, window):
    officer = [t for t in tasks_for(cast.officer) if "Tự chấm điểm năm 2023" in t.title]
    head = [t for t in tasks_for(cast.head) if "Trình ký/nộp" in t.title]
    secretariat = [t for t in tasks_for(cast.secretariat) if "đơn vị đã nộp" in t.title]

    assert officer and officer[0].detail == "0/2 tiêu chí, thiếu minh chứng: 0"
    assert officer[0].due == cast.bloc_year.year.self_assessment_deadline
    assert head
    assert secretariat and secretariat[0].title.startswith("0/2 đơn vị đã nộp")


def test_the_dashboard_page_shows_the_task(cast, window, login):
    body = login(cast.officer).get("/").content.decode()

    assert "Tự chấm điểm năm 2023" in body
    assert "còn 10 ngày" in body


def test_dashboard_asks_the_secretariat_to_open_the_window(cast):
    import datetime

    from django.utils import timezone

    from blocs.models import EmulationYear

    EmulationYear.objects.filter(pk=cast.bloc_year.year_id).update(
        self_assessment_opens=timezone.localdate() + datetime.timedelta(days=3)
    )
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)

    titles = [t.title for t in tasks_for(cast.secretariat)]

    assert "Mở đợt tự chấm điểm năm 2023" in titles
    assert "Mở đợt tự chấm điểm năm 2023" not in [t.title for t in tasks_for(cast.officer)]


@pytest.mark.parametrize("members", [1, 5])
def test_dashboard_provider_query_count_does_not_grow(cast, django_assert_num_queries, members):
    from blocs.selectors.assessment import dashboard_tasks

    for _ in range(members):
        add_member(cast.bloc_year, AgencyFactory(province=cast.province))
    open_window(cast)

    with django_assert_num_queries(6):  # memberships, progress (3), delegations
        dashboard_tasks(cast.officer)
    with django_assert_num_queries(1):
        dashboard_tasks(cast.outsider)


# --- deadline extensions, read with the assessment ---------------------------------


def _extend(cast, deadline, membership=None, reason="Đơn vị bị ảnh hưởng bởi bão số 3"):
    return deadline_extend(
        actor=cast.council,
        bloc_year=cast.bloc_year,
        step=DeadlineStep.SELF_ASSESSMENT,
        deadline=deadline,
        reason=reason,
        membership=membership,
    )


def test_the_page_and_its_autosave_honour_the_agencys_extension_past_the_years_deadline(
    cast, login, django_assert_num_queries
):
    window = open_window(cast, days_left=-1)
    later = timezone.localdate() + datetime.timedelta(days=3)
    _extend(cast, later - datetime.timedelta(days=1), reason="Cả khối gia hạn")
    _extend(cast, later, membership=cast.member, reason="Riêng đơn vị gia hạn")
    client = login(cast.officer)
    client.get(page_of(window))
    ContentType.objects.get_for_model(ItemScore)

    # The session, the user, the assessment with its extensions, items and targets.
    with django_assert_num_queries(3):
        body = client.get(page_of(window)).content.decode()
    # No query of the extensions either (the criterion's first save creates its item).
    with django_assert_num_queries(14):
        saved = client.post(
            item_url(window, "1.1"), {"field": "score", "score": "9", "version": "0"}
        )

    assert later.strftime("%d/%m/%Y") in body and "Riêng đơn vị gia hạn" in body
    assert "Cả khối gia hạn" not in body
    assert saved.status_code == 200
    assert ItemScore.objects.get(criterion=window.criteria["1.1"]).score == 9


def test_without_the_agencys_extension_the_page_and_its_autosave_are_closed(cast, login):
    window = open_window(cast, days_left=-1)
    _extend(
        cast,
        timezone.localdate() + datetime.timedelta(days=3),
        membership=cast.leader,
        reason="Riêng đơn vị khác",
    )
    client = login(cast.officer)

    body = client.get(page_of(window)).content.decode()
    saved = client.post(item_url(window, "1.1"), {"field": "score", "score": "9", "version": "0"})

    assert "Riêng đơn vị khác" not in body and "gia hạn" in body
    assert saved.status_code == 403
    assert not ItemScore.objects.exists()


@pytest.mark.parametrize(("extended", "status"), [(True, 200), (False, 403)])
def test_an_invalid_value_past_the_years_deadline_is_shown_only_under_an_extension(
    cast, login, extended, status
):
    """The edit check of a value the form refuses reads the deadline and its
    extensions itself: an autosave's read before the service has neither."""
    window = open_window(cast, days_left=-1)
    if extended:
        _extend(cast, timezone.localdate() + datetime.timedelta(days=3), membership=cast.member)

    response = login(cast.officer).post(
        item_url(window, "1.1"), {"field": "score", "score": "abc", "version": "0"}
    )

    assert response.status_code == status
    assert ('class="is-invalid"' in response.content.decode()) is extended
    assert not ItemScore.objects.exists()


def test_the_page_shows_the_members_targets_with_what_it_reported(cast, login):
    """The registered targets stand beside the assessment, read with it:
    each with its reports and what it achieved, in the targets' order."""
    registration = register(cast, targets=2)
    first, second = registration.targets.order_by("order", "id")
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    target_progress_report(
        actor=cast.officer,
        membership=cast.member,
        period=ProgressPeriod.MID_YEAR,
        values={first.pk: (first.target_value / 2, "Đạt một nửa"), second.pk: (None, "")},
    )
    window = open_window(cast)

    body = login(cast.officer).get(page_of(window)).content.decode()

    rows = re.findall(r'<tr class="target-achievement">(.*?)</tr>', body, re.S)
    assert len(rows) == 2
    assert first.indicator in rows[0] and "Đạt một nửa" in rows[0] and "50%" in rows[0]
    assert second.indicator in rows[1] and rows[1].count('<td class="text-end">–</td>') == 2
