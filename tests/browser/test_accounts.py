"""Accounts in the browser: an invitation accepted from the e-mail outbox, a
password reset, a council member enrolling an authenticator and signing in
with it, a recovery code that serves once."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from emulation.models import User
from emulation.services import user_create
from tests.browser.conftest import log_in
from tests.totp import next_code


def _link(mail, path: str) -> str:
    return re.search(rf"https?://[^/\s]+({path}\S+/)", mail.body).group(1)


def test_council_invites_and_the_invitation_is_accepted(page, demo, mailoutbox, browser):
    log_in(page, "council")
    page.goto("/users/invite/")
    page.fill("input[name=full_name]", "Vũ Thị Lan")
    page.fill("input[name=email]", "lan.stp@anphu.gov.vn")
    page.select_option("select[name=agency]", label="Sở Tư pháp")
    page.select_option("select[name=agency_role]", "officer")
    page.click("main button[type=submit]")
    assert "72 giờ" in page.locator("main").inner_text()
    assert "Chờ nhận lời mời" in page.locator("main").inner_text()

    invitation = [m for m in mailoutbox if m.to == ["lan.stp@anphu.gov.vn"]][-1]
    link = _link(invitation, "/accounts/invitation/")
    page.context.clear_cookies()
    page.goto(link)
    page.fill("input[name=password1]", "Lan-Tu-Phap-2024")
    page.fill("input[name=password2]", "Lan-Tu-Phap-2024")
    page.click("main button[type=submit]")
    assert "/accounts/login/" in page.url
    log_in(page, "lan.stp@anphu.gov.vn", "Lan-Tu-Phap-2024")
    assert "Xin chào, Vũ Thị Lan" in page.locator("main").inner_text()
    assert page.console_errors == [], page.console_errors
    response = page.goto(link)  # used: the page says so (404)
    assert response.status == 404
    assert "không còn hiệu lực" in page.locator("main").inner_text()


def test_password_reset_by_email(page, demo, mailoutbox):
    User.objects.filter(username="stp.officer").update(email="thao.stp@anphu.gov.vn")
    page.goto("/accounts/login/")
    page.click("text=Quên mật khẩu?")
    page.fill("input[name=email]", "thao.stp@anphu.gov.vn")
    page.click("main button[type=submit]")
    assert "Đã gửi đường dẫn" in page.locator("main").inner_text()

    page.goto(_link(mailoutbox[-1], "/accounts/password/reset/"))
    page.fill("input[name=new_password1]", "Thao-Moi-2024!")
    page.fill("input[name=new_password2]", "Thao-Moi-2024!")
    page.click("main button[type=submit]")
    assert "Đã lưu mật khẩu mới" in page.locator("main").inner_text()
    log_in(page, "stp.officer", "Thao-Moi-2024!")
    assert "Xin chào" in page.locator("main").inner_text()
    assert page.console_errors == [], page.console_errors


@pytest.fixture
def new_council(demo, two_factor_required):
    province = User.objects.get(username="council").province
    return user_create(
        actor=None,
        username="council.moi",
        password="demo-2023",
        full_name="Đinh Thị Hội Đồng",
        is_council_staff=True,
        province=province,
    )


def _key(key_text: str) -> bytes:
    """The key the page printed for typing into an app by hand."""
    letters = key_text.replace(" ", "")
    return base64.b32decode(letters + "=" * (-len(letters) % 8))


def test_council_enrols_an_authenticator_signs_in_and_uses_a_recovery_code_once(page, new_council):
    log_in(page, "council.moi")
    page.goto("/council/")
    assert "/accounts/two-factor/" in page.url  # required before anything else
    assert page.locator(".qr-code svg").count() == 1
    key = page.locator(".js-totp-key").inner_text()
    page.fill("input[name=code]", f"{totp(_key(key)):06d}")
    page.click("main form button[type=submit]")
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.click("text=Tôi đã lưu các mã")
    page.goto("/council/")
    assert "/council/" in page.url

    # Sign in again: the password, then a code of the app.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "council.moi")
    page.fill("input[name=password]", "demo-2023")
    page.click("main button[type=submit]")
    assert "/accounts/login/code/" in page.url
    # The code the device accepts next: its drift is learnt from the code
    # typed at enrolment, and that code's step is spent.
    device = TOTPDevice.objects.get(user=new_council, confirmed=True)
    assert device.bin_key == _key(key)
    page.fill("input[name=code]", next_code(device))
    page.click("main button[type=submit]")
    assert "Xin chào" in page.locator("main").inner_text()

    # A recovery code serves once.
    for attempt in range(2):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", "council.moi")
        page.fill("input[name=password]", "demo-2023")
        page.click("main button[type=submit]")
        page.fill("input[name=code]", codes[0])
        page.click("main button[type=submit]")
        text = page.locator("main").inner_text()
        if attempt == 0:
            assert "còn lại 9 mã" in text
        else:
            assert "Mã không đúng" in text
            assert "/accounts/login/code/" in page.url
    assert page.console_errors == [], page.console_errors
