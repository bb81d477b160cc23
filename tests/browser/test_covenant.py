"""Council staff launch a movement; the 2024 secretariat takes it up, edits
the covenant, issues it and uploads the signed scan."""

from blocs.models import BlocYear, BlocYearMovement, Covenant
from emulation.models import IssuedDocument
from tests.browser.conftest import log_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_movement_take_up_and_covenant_issue_and_signing(page, demo, tmp_path):
    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2024)

    log_in(page, "council")
    page.goto("/movements/new/")
    page.fill("input[name=title]", "Phong trào thi đua “Chung sức xây dựng nông thôn mới”")
    page.select_option("select[name=launched_by]", "prime_minister")
    page.fill("input[name=starts_on]", "2024-01-01")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "Chung sức xây dựng nông thôn mới" in page.locator("main").inner_text()
    assert page.console_errors == [], page.console_errors
    page.context.clear_cookies()

    log_in(page, "ttt.officer")  # Thanh tra tỉnh leads the bloc in 2024
    page.goto(f"/bloc-years/{bloc_year.pk}/")
    page.get_by_role("link", name="Phong trào thi đua").last.click()
    page.wait_for_load_state()
    page.select_option(
        "select[name=movement]", label="Phong trào thi đua “Chung sức xây dựng nông thôn mới”"
    )
    page.fill("input[name=note]", "Hỗ trợ xã điểm của tỉnh")
    page.get_by_role("button", name="Hưởng ứng").click()
    page.wait_for_load_state()
    assert "Khối đã hưởng ứng phong trào." in page.locator("main").inner_text()
    assert BlocYearMovement.objects.filter(bloc_year=bloc_year).count() == 4

    page.get_by_role("link", name="Giao ước thi đua").click()
    page.wait_for_load_state()
    assert "Phiên bản 1" in page.locator("main").inner_text()
    page.get_by_role("link", name="Sửa nội dung").click()
    page.wait_for_load_state()
    content = page.input_value("textarea[name=content]")
    page.fill("textarea[name=content]", content + "\nIV. CAM KẾT\nCác đơn vị cam kết thực hiện.")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "Đã lưu giao ước" in page.locator("main").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ban hành giao ước").click()
    page.wait_for_load_state()
    assert "Đã ban hành giao ước (phiên bản 2)." in page.locator("main").inner_text()
    scan = tmp_path / "giao-uoc-2024-da-ky.pdf"
    scan.write_bytes(PDF)
    page.set_input_files("input[name=scan]", str(scan))
    page.get_by_role("button", name="Tải lên bản quét đã ký").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Đã lưu bản giao ước đã ký." in body
    assert "giao-uoc-2024-da-ky.pdf" in body
    assert Covenant.objects.get(bloc_year=bloc_year).state == "signed"
    assert IssuedDocument.objects.filter(bloc_year=bloc_year).count() == 2
    assert page.console_errors == [], page.console_errors
