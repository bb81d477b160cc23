"""A person's first minutes: a browser set to English still gets Vietnamese
until the person chooses English, and the choice follows the account; the
error pages say in the person's language what to do next; a search needs no
diacritics."""

from playwright.sync_api import expect

from awards.models import Meeting
from tests.browser.conftest import log_in


def _page(browser, live_server, locale):
    context = browser.new_context(
        locale=locale,
        base_url=live_server.url,
        extra_http_headers={"Accept-Language": f"{locale},en;q=0.8"},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    return page


def test_an_english_browser_gets_vietnamese_until_english_is_chosen(browser, live_server, demo):
    page = _page(browser, live_server, "en-US")

    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("form button[type=submit]")).to_have_text("Đăng nhập")
    log_in(page, "stp.officer")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.select_option("#language-select", "en")  # sends itself
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#mainnav")).to_contain_text("Log out")

    # On another computer, with a Vietnamese browser, the account keeps English.
    elsewhere = _page(browser, live_server, "vi-VN")
    log_in(elsewhere, "stp.officer")
    expect(elsewhere.locator("html")).to_have_attribute("lang", "en")
    assert page.console_errors == [] and elsewhere.console_errors == []
    page.context.close()
    elsewhere.context.close()


def test_error_pages_say_what_to_do_next(page, demo):
    log_in(page, "stp.head")

    response = page.goto("/khong-co-trang-nay/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text(
        "Trang này không tồn tại hoặc tài khoản của bạn không được truy cập"
    )
    expect(page.locator("main")).to_contain_text("lỗi 404")

    # A member's head may follow the conference, not put it on the projector.
    meeting = Meeting.objects.get(bloc_year__year__year=2023, bloc_year__bloc__code="tmth")
    response = page.goto(f"/meetings/{meeting.pk}/screen/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Bạn không được thực hiện thao tác này")
    expect(page.locator("main")).to_contain_text("lỗi 403")

    # A form from a page whose security token is gone (cookies cleared).
    page.goto("/")
    page.context.clear_cookies(name="csrftoken")
    page.select_option("#language-select", "en")
    expect(page.locator("h1")).to_have_text("Biểu mẫu đã hết hạn")
    assert page.locator("a[href='/']").count() >= 1  # a way on, back to the dashboard
    # The browser reports the three refusals' statuses, and nothing else (no CSP error).
    others = [e for e in page.console_errors if "Failed to load resource" not in e]
    assert len(page.console_errors) == 3 and others == []


def test_a_search_needs_no_diacritics(page, demo):
    log_in(page, "council")
    page.goto("/agencies/")

    page.fill("#agency-search", "dan toc")
    page.press("#agency-search", "Enter")

    expect(page.locator("main table")).to_contain_text("Ban Dân tộc tỉnh")
    expect(page.locator("main table")).not_to_contain_text("Sở Tư pháp")
    assert page.console_errors == []
