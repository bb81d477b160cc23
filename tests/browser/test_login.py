from tests.browser.conftest import log_in


def test_officer_logs_in_and_sees_the_vietnamese_dashboard(page, demo):
    log_in(page, "vpubnd.officer")

    assert page.url.endswith("/")
    body = page.locator("main").inner_text()
    assert "Xin chào, Ngô Thị Hạnh" in body
    assert "Việc cần làm tiếp theo" in body
    assert "Khối thi đua các cơ quan Tham mưu – Tổng hợp" in body
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.console_errors == [], page.console_errors  # no CSP violation, no script error


def test_wrong_password_shows_a_vietnamese_error(page, demo):
    log_in(page, "vpubnd.officer", "sai-mat-khau")

    assert "/accounts/login/" in page.url
    assert "mật khẩu chính xác" in page.locator("main").inner_text()
