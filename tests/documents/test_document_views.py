"""The documents pages of a bloc-year: who sees, previews, issues and downloads."""

import datetime

import pytest
from django.urls import reverse

from awards.documents.narratives import narrative_save, narratives_of
from blocs.enums import Phase
from emulation.models import AuditEvent, DocumentNarrative, IssuedDocument
from tests.documents.conftest import docx_text
from tests.factories import put_in_phase

pytestmark = pytest.mark.django_db

SLUG = "year_end_report"


def url(name, cast, *args):
    return reverse(f"awards:{name}", args=[cast.bloc_year.pk, *args])


REPORT_TEXTS = {
    "situation": "Tình hình chung của năm.",
    "achievements": "Các kết quả nổi bật.",
    "assessment": "Ưu điểm và hạn chế.",
    "plan": "Phương hướng năm tới.",
}


@pytest.fixture
def written(cast):
    """The year-end report's sections written, so that it can be issued."""
    narrative_save(actor=cast.secretariat, bloc_year=cast.bloc_year, texts=REPORT_TEXTS)


def issue(client, cast, number="05/BC-KTĐ", date="2024-01-19", slug=SLUG):
    return client.post(url("document_issue", cast, slug), {"number": number, "date": date})


# --- the list -----------------------------------------------------------------------


def test_secretariat_sees_every_document_with_preview_links(cast, login):
    response = login(cast.secretariat).get(url("document_list", cast))

    body = response.content.decode()
    assert response.status_code == 200
    for title in [
        "Báo cáo tổng kết",
        "Bảng tổng hợp điểm",
        "Biên bản họp",
        "Biên bản kiểm phiếu",
        "Tờ trình đề nghị khen thưởng",
        "Dự thảo quyết định",
    ]:
        assert title in body
    assert url("document_preview", cast, SLUG) in body
    assert "phase-bar" in body


@pytest.mark.parametrize("who", ["officer", "council"])
def test_members_and_council_see_the_list_without_preview(cast, login, who):
    response = login(getattr(cast, who)).get(url("document_list", cast))

    assert response.status_code == 200
    assert url("document_preview", cast, SLUG) not in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "other_council"])
def test_outsiders_get_404_for_the_list(cast, login, who):
    assert login(getattr(cast, who)).get(url("document_list", cast)).status_code == 404


def test_the_list_is_get_only(cast, login):
    assert login(cast.secretariat).post(url("document_list", cast)).status_code == 405


@pytest.mark.parametrize("issued", [1, 5])
def test_the_list_query_count_does_not_grow_with_the_issued_documents(
    cast, written, login, django_assert_num_queries, issued
):
    client = login(cast.secretariat)
    for i in range(issued):
        issue(client, cast, number=f"{i + 1}/BC-KTĐ")
    assert IssuedDocument.objects.count() == issued

    with django_assert_num_queries(10):  # one of them: the latest assembled dossier
        response = client.get(url("document_list", cast))
    assert response.content.decode().count("issued-version") == issued


# --- preview and drafts -------------------------------------------------------------


def test_secretariat_previews_a_draft(cast, written, login):
    response = login(cast.secretariat).get(url("document_preview", cast, SLUG))

    body = response.content.decode()
    assert response.status_code == 200
    assert "DỰ THẢO" in body
    assert "Tổng kết công tác thi đua, khen thưởng năm 2023" in body
    assert 'name="number"' in body and 'value="/BC-KTĐ"' in body


@pytest.mark.parametrize("who", ["officer", "head", "council"])
def test_other_roles_get_403_for_the_preview(cast, login, who):
    client = login(getattr(cast, who))

    assert client.get(url("document_preview", cast, SLUG)).status_code == 403
    assert client.get(url("document_draft_download", cast, SLUG, "docx")).status_code == 403


def test_outsider_gets_404_for_the_preview_and_drafts(cast, login):
    client = login(cast.outsider)

    assert client.get(url("document_preview", cast, SLUG)).status_code == 404
    assert client.get(url("document_draft_download", cast, SLUG, "pdf")).status_code == 404


def test_unknown_document_or_format_is_404(cast, login):
    client = login(cast.secretariat)

    assert client.get(url("document_preview", cast, "nothing")).status_code == 404
    assert client.get(url("document_draft_download", cast, SLUG, "odt")).status_code == 404


def test_preview_and_drafts_are_get_only(cast, login):
    client = login(cast.secretariat)

    assert client.post(url("document_preview", cast, SLUG)).status_code == 405
    assert client.post(url("document_draft_download", cast, SLUG, "pdf")).status_code == 405


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_draft_download_is_marked_draft_and_stores_nothing(cast, login, fmt):
    response = login(cast.secretariat).get(url("document_draft_download", cast, SLUG, fmt))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="du-thao-bao-cao-tong-ket.{fmt}"'
    )
    assert response["Cache-Control"] == "private, no-store"
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF-")
    else:
        assert "DỰ THẢO" in docx_text(response.content)
    assert not IssuedDocument.objects.exists()


# --- issuing ------------------------------------------------------------------------


def test_secretariat_issues_a_document_and_issuing_again_makes_a_new_version(cast, written, login):
    client = login(cast.secretariat)

    first = issue(client, cast)
    second = issue(client, cast, number="06/BC-KTĐ", date="2024-01-20")

    assert first.status_code == 302 and second.status_code == 302
    versions = list(
        IssuedDocument.objects.order_by("version").values_list("version", "number", "date")
    )
    assert versions == [
        (1, "05/BC-KTĐ", datetime.date(2024, 1, 19)),
        (2, "06/BC-KTĐ", datetime.date(2024, 1, 20)),
    ]
    document = IssuedDocument.objects.get(version=1)
    assert document.kind == "year_end_report" and document.bloc_year == cast.bloc_year
    with document.docx.open("rb") as f:
        text = docx_text(f.read())
    assert "Số: 05/BC-KTĐ" in text and "ngày 19 tháng 01 năm 2024" in text
    assert "DỰ THẢO" not in text
    assert AuditEvent.objects.filter(action="document.issue").count() == 2
    page = client.get(url("document_list", cast)).content.decode()
    assert "05/BC-KTĐ" in page and "06/BC-KTĐ" in page


def test_issuing_without_a_number_is_refused_in_vietnamese(cast, written, login):
    response = issue(login(cast.secretariat), cast, number="  ")

    assert response.status_code == 400
    assert "Trường này là bắt buộc." in response.content.decode()
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize("who", ["officer", "head", "council"])
def test_other_roles_get_403_when_issuing(cast, login, who):
    assert issue(login(getattr(cast, who)), cast).status_code == 403
    assert not IssuedDocument.objects.exists()


def test_outsider_gets_404_when_issuing(cast, login):
    assert issue(login(cast.outsider), cast).status_code == 404


def test_issue_is_post_only(cast, login):
    assert login(cast.secretariat).get(url("document_issue", cast, SLUG)).status_code == 405


@pytest.mark.parametrize("who", ["officer", "council"])
def test_members_and_council_download_what_was_issued(cast, written, login, client, who):
    issue(login(cast.secretariat), cast)
    document = IssuedDocument.objects.get()
    client.logout()

    response = login(getattr(cast, who)).get(
        reverse("documents:issued_document_download", args=[document.pk, "docx"])
    )

    assert response.status_code == 200
    assert "Số: 05/BC-KTĐ" in docx_text(b"".join(response.streaming_content))
    response.close()


# --- narratives ---------------------------------------------------------------------


def test_secretariat_writes_the_narratives_and_they_appear_in_the_report(cast, login):
    client = login(cast.secretariat)

    response = client.post(
        url("narrative_edit", cast),
        {"situation": "Tình hình năm 2023 có nhiều thuận lợi.", "plan": "Phấn đấu năm 2024."},
    )

    assert response.status_code == 302
    assert narratives_of(cast.bloc_year)["situation"] == "Tình hình năm 2023 có nhiều thuận lợi."
    preview = client.get(url("document_preview", cast, SLUG)).content.decode()
    assert "Tình hình năm 2023 có nhiều thuận lợi." in preview
    assert AuditEvent.objects.filter(action="document.narrative_save").count() == 1


def test_saving_the_same_narratives_again_records_nothing(cast):
    texts = {"situation": "Nội dung."}
    narrative_save(actor=cast.secretariat, bloc_year=cast.bloc_year, texts=texts)
    narrative_save(actor=cast.secretariat, bloc_year=cast.bloc_year, texts=texts)

    assert DocumentNarrative.objects.count() == 1
    assert AuditEvent.objects.filter(action="document.narrative_save").count() == 1


def test_narratives_of_a_closed_year_are_refused_in_vietnamese(cast, login):
    put_in_phase(cast.bloc_year, Phase.CLOSED)

    response = login(cast.secretariat).post(url("narrative_edit", cast), {"situation": "X"})

    assert response.status_code == 200
    assert "đã kết thúc" in response.content.decode()
    assert not DocumentNarrative.objects.exists()


@pytest.mark.parametrize("who", ["officer", "council"])
def test_other_roles_get_403_for_the_narratives(cast, login, who):
    client = login(getattr(cast, who))

    assert client.get(url("narrative_edit", cast)).status_code == 403
    assert client.post(url("narrative_edit", cast), {"situation": "X"}).status_code == 403
    assert not DocumentNarrative.objects.exists()


def test_outsider_gets_404_for_the_narratives(cast, login):
    assert login(cast.outsider).get(url("narrative_edit", cast)).status_code == 404


def test_narratives_refuse_other_methods(cast, login):
    assert login(cast.secretariat).put(url("narrative_edit", cast)).status_code == 405


def test_a_document_whose_data_are_incomplete_cannot_be_issued(cast, login):
    client = login(cast.secretariat)

    page = client.get(url("document_preview", cast, "score_summary")).content.decode()
    response = issue(client, cast, number="02/BTH-KTĐ", slug="score_summary")

    assert "Chưa đủ điều kiện ban hành:" in page and 'class="issue-form"' not in page
    assert response.status_code == 400
    assert "Chưa thể ban hành văn bản này" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_narrative_text_is_escaped_in_the_preview(cast, login):
    narrative_save(
        actor=cast.secretariat,
        bloc_year=cast.bloc_year,
        texts={"situation": '<script>alert("x")</script> Tình hình'},
    )

    body = login(cast.secretariat).get(url("document_preview", cast, SLUG)).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tình hình" in body
    assert '<script>alert("x")</script>' not in body


def test_a_closed_year_issues_nothing(cast, login):
    put_in_phase(cast.bloc_year, Phase.CLOSED)

    response = issue(login(cast.secretariat), cast)

    assert response.status_code == 400
    assert "đã kết thúc" in response.content.decode()
    assert not IssuedDocument.objects.exists()
