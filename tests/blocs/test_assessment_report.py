"""The self-assessment as a report its agency's head signs: Decree 30 title
block, the scoring table with subtotals and signed deductions, the head's
signature block and "Nơi nhận", as PDF, DOCX and the browser's print view."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from blocs.documents import build_assessment_report
from emulation.documents import render_docx, render_pdf
from tests.documents.conftest import docx_text, pdf_text, squash
from tests.factories.assessment import score_item, submitted_assessment


@pytest.fixture
def submitted(cast):
    cast.head.full_name = "Nguyễn Văn Thủ"
    cast.head.position = "Giám đốc"
    cast.head.save(update_fields=["full_name", "position"])
    assessment = submitted_assessment(cast)
    assessment.refresh_from_db()
    return assessment


def report_url(assessment, fmt):
    return reverse("blocs:assessment_report_download", args=[assessment.pk, fmt])


def test_the_report_pdf_carries_the_decree_30_header_table_and_signature(cast, submitted, tmp_path):
    text = pdf_text(render_pdf(build_assessment_report(submitted)), tmp_path, layout=True)
    flat = squash(pdf_text(render_pdf(build_assessment_report(submitted)), tmp_path))

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND TỈNH THỬ NGHIỆM" in flat
    assert f"/BC-{cast.member.agency.code.upper()}" in flat
    assert "Thử Nghiệm, ngày" in flat
    assert "BÁO CÁO" in text
    assert "Kết quả tự chấm điểm thi đua năm 2023" in flat
    assert "I THỰC HIỆN NHIỆM VỤ CHUYÊN MÔN" in flat
    assert "Hoàn thành chỉ tiêu được giao" in flat
    assert "9,75" in flat
    assert "Không áp dụng" in flat
    assert "1 tài liệu kiểm chứng" in flat
    assert "TỔNG ĐIỂM TỰ CHẤM" in flat
    assert "GIÁM ĐỐC" in text
    assert "Nguyễn Văn Thủ" in text
    assert "Nơi nhận:" in text
    assert "- Lưu: VT, VP." in text
    assert "DỰ THẢO" not in text  # submitted: the report is final


def test_the_signature_stands_on_the_page_of_the_closing_paragraph(submitted, tmp_path):
    pages = pdf_text(render_pdf(build_assessment_report(submitted)), tmp_path).split("\f")
    last = next(page for page in reversed(pages) if page.strip())

    assert "cam đoan" in squash(last)
    assert "Nguyễn Văn Thủ" in last
    assert "Nơi nhận" in last


def test_deductions_carry_their_minus_sign_as_on_the_page(cast, window, tmp_path):
    score_item(cast, window, "Tr.1", D("2"))

    flat = squash(pdf_text(render_pdf(build_assessment_report(window.assessment)), tmp_path))

    assert "Bị phê bình bằng văn bản (điểm trừ)" in flat
    assert "III ĐIỂM TRỪ 5 −2" in flat
    assert flat.count("−2") >= 3  # the criterion, its group, the deductions line
    assert "DỰ THẢO" in flat  # not submitted yet


def test_without_a_recorded_position_the_head_signs_as_head_of_the_agency(cast, window):
    spec = build_assessment_report(window.assessment)

    assert [s.position for s in spec.signatures] == ["Thủ trưởng đơn vị"]


def test_the_docx_says_what_the_pdf_says(submitted):
    text = docx_text(render_docx(build_assessment_report(submitted)))

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "TỔNG ĐIỂM TỰ CHẤM" in text
    assert "Nguyễn Văn Thủ" in text
    assert "- Lưu: VT, VP." in text


# --- views -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head", "officer", "secretariat"])
def test_the_agency_and_the_secretariat_download_the_report(cast, submitted, login, who):
    response = login(getattr(cast, who)).get(report_url(submitted, "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="bao-cao-tu-cham-diem-2023-' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_the_report_downloads_as_docx(cast, submitted, login):
    response = login(cast.head).get(report_url(submitted, "docx"))

    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    assert response["Content-Disposition"].endswith('.docx"')


def test_an_outsider_gets_404(cast, submitted, login):
    assert login(cast.outsider).get(report_url(submitted, "pdf")).status_code == 404


def test_another_member_gets_404_before_the_scores_are_published(cast, window, login):
    url = report_url(window.leader_assessment, "pdf")

    assert login(cast.officer).get(url).status_code == 404


def test_an_unknown_format_is_404(cast, submitted, login):
    assert login(cast.head).get(report_url(submitted, "odt")).status_code == 404


def test_the_report_is_only_fetched(cast, submitted, login):
    assert login(cast.head).post(report_url(submitted, "pdf")).status_code == 405


def test_the_print_view_carries_the_same_header_and_signature_block(cast, submitted, login):
    response = login(cast.secretariat).get(reverse("blocs:assessment_print", args=[submitted.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body
    assert "Kết quả tự chấm điểm thi đua năm 2023" in body
    assert "9,75" in body
    assert "GIÁM ĐỐC" in body
    assert "Nguyễn Văn Thủ" in body
    assert report_url(submitted, "pdf") in body


def test_the_assessment_page_links_to_the_report(cast, window, login):
    body = login(cast.officer).get(reverse("blocs:assessment_detail", args=[window.assessment.pk]))

    assert report_url(window.assessment, "pdf") in body.content.decode()


def test_the_report_speaks_the_provinces_words(cast, window):
    score_item(cast, window, "Tr.1", D("2"))
    province = window.assessment.membership.bloc_year.bloc.province
    province.vocabulary = {"symbol_report": "BCTC", "deduction_style": "suffix"}
    province.save(update_fields=["vocabulary"])
    window.assessment.refresh_from_db()

    text = squash(docx_text(render_docx(build_assessment_report(window.assessment))))

    assert f"/BCTC-{cast.member.agency.code.upper()}" in text
    assert "2 (trừ)" in text
    assert "−2" not in text
