"""The 2023 secretariat writes a section of the minutes, previews them and
issues them with a number and a date; a member then downloads the issued PDF."""

import subprocess

from blocs.models import BlocYear
from emulation.enums import DocumentKind
from emulation.models import IssuedDocument
from tests.browser.conftest import log_in


def test_secretariat_previews_and_issues_the_minutes_and_a_member_downloads_them(
    page, demo, tmp_path
):
    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2023)

    log_in(page, "vpubnd.officer")
    page.goto(f"/bloc-years/{bloc_year.pk}/")
    page.get_by_role("link", name="Văn bản trong hồ sơ").first.click()
    page.wait_for_load_state()
    assert "Văn bản trong hồ sơ" in page.locator("h1").inner_text()
    assert page.locator(".phase-bar").count() == 1

    page.get_by_role("link", name="Soạn nội dung báo cáo").click()
    page.wait_for_load_state()
    page.fill(
        "textarea[name=meeting_discussion]",
        "Các đại biểu thống nhất với báo cáo; đề nghị tăng cường chuyển đổi số.",
    )
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "Đã lưu các phần nội dung của báo cáo." in page.locator("main").inner_text()

    page.locator("tr[data-document=meeting_minutes]").get_by_role(
        "link", name="Xem trước và ban hành"
    ).click()
    page.wait_for_load_state()
    preview = page.get_by_test_id("document-preview").inner_text()
    assert "BIÊN BẢN" in preview
    assert "DỰ THẢO" in preview
    assert "Các đại biểu thống nhất với báo cáo; đề nghị tăng cường chuyển đổi số." in preview
    assert "Văn phòng Ủy ban nhân dân tỉnh" in preview
    page.fill("input[name=number]", "03/BB-KTĐ")
    page.fill("input[name=date]", "2024-01-18")
    page.get_by_role("button", name="Ban hành văn bản này").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Đã ban hành Biên bản họp, số 03/BB-KTĐ (phiên bản 1)." in body
    row = page.locator("tr[data-document=meeting_minutes]").inner_text()
    assert "Phiên bản 1" in row and "Số 03/BB-KTĐ ngày 18/01/2024" in row
    assert page.console_errors == [], page.console_errors
    document = IssuedDocument.objects.get(bloc_year=bloc_year, kind=DocumentKind.MEETING_MINUTES)
    assert document.number == "03/BB-KTĐ"

    page.context.clear_cookies()
    log_in(page, "stp.officer")
    page.goto(f"/bloc-years/{bloc_year.pk}/documents/")
    row = page.locator("tr[data-document=meeting_minutes]")
    assert row.get_by_role("link", name="Xem trước và ban hành").count() == 0
    href = row.get_by_role("link", name="PDF").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Số: 03/BB-KTĐ" in text
    assert page.console_errors == [], page.console_errors
