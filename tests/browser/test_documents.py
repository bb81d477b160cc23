"""The 2023 secretariat rewrites a section of the year-end report, previews it
and issues it again with a number and a date (version 2; the demo issued
version 1); a member then downloads the issued PDF."""

import subprocess

from blocs.models import BlocYear
from emulation.enums import DocumentKind
from emulation.models import IssuedDocument
from tests.browser.conftest import log_in


def test_secretariat_previews_and_reissues_the_report_and_a_member_downloads_it(
    page, demo, tmp_path
):
    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2023)

    log_in(page, "vpubnd.officer")
    page.goto(f"/bloc-years/{bloc_year.pk}/")
    # The bloc-year's tab strip leads to the documents.
    page.locator(f".bloc-year-nav a[href='/bloc-years/{bloc_year.pk}/documents/']").click()
    page.wait_for_load_state()
    assert "Văn bản trong hồ sơ" in page.locator("h1").inner_text()
    assert page.locator(".phase-bar").count() == 1
    assert (
        page.locator(".bloc-year-nav .nav-link.active")
        .get_attribute("href")
        .endswith(f"/bloc-years/{bloc_year.pk}/documents/")
    )

    page.get_by_role("link", name="Soạn nội dung báo cáo").click()
    page.wait_for_load_state()
    page.fill(
        "textarea[name=achievements]",
        "Các đơn vị hoàn thành 100% chỉ tiêu; đẩy mạnh chuyển đổi số.",
    )
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "Đã lưu các phần nội dung của báo cáo." in page.locator("main").inner_text()

    # The minutes wait for the vote: the demo's polls are still in draft.
    assert (
        "Chưa đủ điều kiện ban hành"
        in page.locator("tr[data-document=meeting_minutes]").inner_text()
    )
    page.locator("tr[data-document=year_end_report]").get_by_role(
        "link", name="Xem trước và ban hành"
    ).click()
    page.wait_for_load_state()
    preview = page.get_by_test_id("document-preview").inner_text()
    assert "BÁO CÁO" in preview
    assert "DỰ THẢO" in preview
    assert "Các đơn vị hoàn thành 100% chỉ tiêu; đẩy mạnh chuyển đổi số." in preview
    assert "Văn phòng Ủy ban nhân dân tỉnh làm Trưởng khối" in preview
    page.fill("input[name=number]", "06/BC-KTĐ")
    page.fill("input[name=date]", "2024-01-16")
    page.get_by_role("button", name="Ban hành văn bản này").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Đã ban hành Báo cáo tổng kết, số 06/BC-KTĐ (phiên bản 2)." in body
    row = page.locator("tr[data-document=year_end_report]").inner_text()
    assert "Phiên bản 2" in row and "Số 06/BC-KTĐ ngày 16/01/2024" in row
    assert "Phiên bản 1" in row and "Số 01/BC-KTĐ ngày 15/01/2024" in row
    assert page.console_errors == [], page.console_errors
    versions = IssuedDocument.objects.filter(
        bloc_year=bloc_year, kind=DocumentKind.YEAR_END_REPORT
    ).order_by("version")
    assert [d.number for d in versions] == ["01/BC-KTĐ", "06/BC-KTĐ"]

    page.context.clear_cookies()
    log_in(page, "stp.officer")
    page.goto(f"/bloc-years/{bloc_year.pk}/documents/")
    row = page.locator("tr[data-document=year_end_report]")
    assert row.get_by_role("link", name="Xem trước và ban hành").count() == 0
    href = row.get_by_role("link", name="PDF").first.get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert "Số: 06/BC-KTĐ" in text
    assert "Các đơn vị hoàn thành 100% chỉ tiêu; đẩy mạnh chuyển đổi số." in text
    assert page.console_errors == [], page.console_errors
