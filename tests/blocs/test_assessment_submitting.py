"""Submitting a long assessment: the refusal names the criteria that keep it
back, filters show only those, the bar at the top carries progress and the
submit button, and evidence is uploaded several files at once, one file for
several criteria, with the outcome beside the criterion."""

import re
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocs.enums import AssessmentState
from blocs.models import Evidence, SelfAssessment
from blocs.services.assessment import evidence_attach, item_score_save
from emulation.models import AuditEvent
from tests.factories.files import PNG, pdf


def page_of(window, query=""):
    return reverse("blocs:assessment_detail", args=[window.assessment.pk]) + query


def upload_url(window, code="1.1"):
    return reverse("blocs:evidence_upload", args=[window.assessment.pk, window.criteria[code].pk])


def score(cast, window, code, value):
    item_score_save(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria[code],
        field="score",
        value=D(value),
        base_version=0,
    )


def rows_in(body):
    return re.findall(r'class="item-row" id="item-(\d+)"', body)


# --- the refusal and the filters ---------------------------------------------------


def test_a_refused_submission_lists_the_missing_criteria_as_links(cast, window, login):
    score(cast, window, "1.1", "9")  # scored, but its evidence is missing; 1.2 not scored

    response = login(cast.head).post(
        reverse("blocs:assessment_submit", args=[window.assessment.pk]), follow=True
    )

    body = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?show=incomplete#submit-refusal")
    assert "Còn 1 tiêu chí chưa được chấm" in body
    refusal = body[body.index('id="submit-refusal"') :]
    c11, c12 = window.criteria["1.1"], window.criteria["1.2"]
    assert f'Còn 1 tiêu chí chưa chấm: <a href="#item-{c12.pk}">1.2</a>' in refusal
    assert f'Còn 1 tiêu chí thiếu minh chứng: <a href="#item-{c11.pk}">1.1</a>' in refusal
    # Only the criteria that keep the submission back are shown, each linked.
    assert rows_in(body) == [str(c11.pk), str(c12.pk)]
    assert SelfAssessment.objects.get(pk=window.assessment.pk).state == AssessmentState.DRAFT


def test_the_filters_show_unscored_criteria_or_those_missing_evidence(cast, window, login):
    score(cast, window, "1.1", "9")
    client = login(cast.officer)

    unscored = client.get(page_of(window, "?show=unscored")).content.decode()
    missing = client.get(page_of(window, "?show=missing")).content.decode()
    every = client.get(page_of(window)).content.decode()

    assert rows_in(unscored) == [str(window.criteria["1.2"].pk)]
    assert rows_in(missing) == [str(window.criteria["1.1"].pk)]
    assert len(rows_in(every)) == 4
    assert 'href="?show=unscored">chưa chấm (1)</a>' in every
    assert 'href="?show=missing">thiếu minh chứng (1)</a>' in every
    assert 'href="?show=unscored" aria-current="true"' in unscored


def test_an_unknown_filter_shows_every_criterion(cast, window, login):
    body = login(cast.officer).get(page_of(window, "?show=<script>")).content.decode()

    assert len(rows_in(body)) == 4
    assert 'name="show"' not in body


def test_the_bar_at_the_top_carries_progress_and_the_submit_button(cast, window, login):
    body = login(cast.head).get(page_of(window)).content.decode()

    bar = body[body.index('class="assessment-bar') : body.index('id="assessment-items"')]
    assert '<progress max="2" value="0"' in bar
    assert reverse("blocs:assessment_submit", args=[window.assessment.pk]) in bar
    assert body.count(reverse("blocs:assessment_submit", args=[window.assessment.pk])) == 1


def test_the_officer_sees_the_bar_without_the_submit_button(cast, window, login):
    body = login(cast.officer).get(page_of(window)).content.decode()

    assert "assessment-bar" in body
    assert reverse("blocs:assessment_submit", args=[window.assessment.pk]) not in body


def test_an_autosave_keeps_the_filter_of_the_page(cast, window, login):
    item = window.criteria["1.1"]
    response = login(cast.officer).post(
        reverse("blocs:item_save", args=[window.assessment.pk, item.pk]),
        {"field": "score", "score": "9", "version": "0"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver" + page_of(window, "?show=missing"),
    )

    body = response.content.decode()
    assert 'href="?show=missing" aria-current="true">thiếu minh chứng (1)</a>' in body


def test_the_totals_say_what_the_maximum_is_made_of(cast, window, login):
    body = login(cast.officer).get(page_of(window)).content.decode()

    # 20 standard + 2 bonus; the deduction group's 5 is taken off, never earned.
    assert "Tổng điểm: 0/22 điểm" in body
    assert "điểm chuẩn 0/20, điểm thưởng 0/2" in body


def test_not_applicable_criteria_say_how_much_they_take_off_the_maximum(cast, window, login):
    item_score_save(
        actor=cast.officer,
        assessment=window.assessment,
        criterion=window.criteria["1.2"],
        field="not_applicable",
        value=True,
        base_version=0,
    )

    body = login(cast.officer).get(page_of(window)).content.decode()

    assert "điểm chuẩn 0/10" in body
    assert "các tiêu chí “Không áp dụng” làm giảm 10 điểm tối đa" in body


# --- evidence: several files, one file for several criteria --------------------------


def test_several_files_are_attached_at_once_to_several_criteria(cast, window, login):
    response = login(cast.officer).post(
        upload_url(window),
        {
            "file": [pdf("Kế hoạch.pdf"), pdf("Báo cáo.pdf")],
            "criteria": [window.criteria["1.2"].pk],
        },
        follow=True,
    )

    body = response.content.decode()
    assert "Đã đính kèm 2 tệp minh chứng cho tiêu chí 1.1, 1.2." in body
    attachments = Evidence.objects.all()
    assert sorted(e.item.criterion.code for e in attachments) == ["1.1", "1.1", "1.2", "1.2"]
    assert len({e.file.name for e in attachments}) == 2  # each file stored once
    assert "(dùng chung cho 1.2)" in body and "(dùng chung cho 1.1)" in body
    event = AuditEvent.objects.get(action="assessment.evidence_add")
    assert event.data["criteria"] == ["1.1", "1.2"]
    assert [f["name"] for f in event.data["files"]] == ["Kế hoạch.pdf", "Báo cáo.pdf"]


def test_a_bad_file_is_refused_beside_the_criterion_and_the_good_one_kept(cast, window, login):
    response = login(cast.officer).post(
        upload_url(window),
        {"file": [pdf("Kế hoạch.pdf"), pdf("giả.pdf", b"<html></html>")]},
        follow=True,
    )

    body = response.content.decode()
    outcome = body[body.index('id="upload-outcome"') :]
    assert outcome.index("giả.pdf: ") < outcome.index('class="item-row"')
    assert "Đã đính kèm 1 tệp minh chứng cho tiêu chí 1.1." in outcome
    assert [e.original_name for e in Evidence.objects.all()] == ["Kế hoạch.pdf"]


def test_an_upload_without_a_file_says_so_beside_the_criterion(cast, window, login):
    response = login(cast.officer).post(upload_url(window), {}, follow=True)

    body = response.content.decode()
    assert "Vui lòng chọn tệp." in body[body.index('id="upload-outcome"') :]
    assert not Evidence.objects.exists()


def test_too_many_files_at_once_are_refused(cast, window, login):
    login(cast.officer).post(upload_url(window), {"file": [pdf(f"{i}.pdf") for i in range(11)]})

    assert not Evidence.objects.exists()


def test_a_criterion_of_another_table_cannot_be_ticked(cast, window, login):
    response = login(cast.officer).post(
        upload_url(window), {"file": [pdf()], "criteria": [999999]}, follow=True
    )

    assert 'id="upload-outcome"' in response.content.decode()
    assert not Evidence.objects.exists()


def test_removing_a_shared_file_from_one_criterion_keeps_it_on_the_other(
    cast, window, login, django_capture_on_commit_callbacks
):
    upload = evidence_attach(
        actor=cast.officer,
        assessment=window.assessment,
        criteria=[window.criteria["1.1"], window.criteria["1.2"]],
        files=[pdf()],
    )
    first, second = upload.attached
    storage = Evidence._meta.get_field("file").storage
    client = login(cast.officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("blocs:evidence_delete", args=[window.assessment.pk, first.pk]), follow=True
        )

    assert "Đã gỡ tệp khỏi tiêu chí 1.1; tệp vẫn là minh chứng của tiêu chí 1.2." in (
        response.content.decode()
    )
    assert list(Evidence.objects.all()) == [second]
    assert storage.exists(second.file.name)
    event = AuditEvent.objects.get(action="assessment.evidence_delete")
    assert event.data["still_attached_to"] == ["1.2"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("blocs:evidence_delete", args=[window.assessment.pk, second.pk]))

    assert not Evidence.objects.exists()
    assert not storage.exists(second.file.name)


def test_a_shared_file_is_still_downloaded_from_each_criterion(cast, window, login):
    upload = evidence_attach(
        actor=cast.officer,
        assessment=window.assessment,
        criteria=[window.criteria["1.1"], window.criteria["1.2"]],
        files=[SimpleUploadedFile("anh.png", PNG, "image/png")],
    )
    client = login(cast.officer)

    downloads = [
        client.get(reverse("blocs:evidence_download", args=[e.pk])) for e in upload.attached
    ]

    # Closed only at the end: closing a response ends the request, and its
    # database connection with it.
    assert [b"".join(d.streaming_content) for d in downloads] == [PNG, PNG]
    for download in downloads:
        download.close()


@pytest.mark.parametrize(("who", "status"), [("secretariat", 403), ("outsider", 404)])
def test_upload_permission(cast, window, login, who, status):
    response = login(getattr(cast, who)).post(upload_url(window), {"file": [pdf()]})

    assert response.status_code == status
    assert not Evidence.objects.exists()


def test_upload_is_post_only(cast, window, login):
    assert login(cast.officer).get(upload_url(window)).status_code == 405


def test_the_scoring_table_reads_the_same_maximum_as_an_assessment(cast, window, login):
    """A deduction group's maximum is what can be taken off: the table page no
    longer adds it to the groups' total (115 beside an assessment's 105)."""
    table_page = login(cast.council).get(
        reverse("blocs:scoring_table_detail", args=[window.table.pk])
    )
    assessment_page = login(cast.officer).get(page_of(window))

    assert "4 tiêu chí, thang điểm 22 (điểm chuẩn 20, điểm thưởng 2)" in (
        table_page.content.decode()
    )
    assert "Tổng điểm: 0/22 điểm" in assessment_page.content.decode()
