"""Browser-test harness: Playwright driving the system Chromium (never a
downloaded browser). Without Chromium the tests skip with a printed reason;
in CI a missing Chromium is a failure."""

from __future__ import annotations

import os
import shutil

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import in_ci
from tests.demo import load_demo
from tests.totp import next_code

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.text} {msg.location.get('url', '')}")
            if msg.type == "error"
            else None
        ),
    )
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    """The demo data set."""
    load_demo()


def current_code(username: str) -> str:
    """The code the account's authenticator shows now (the demo's `council`
    and `admin` have one). The device's memory of the last code used is
    cleared first, so that two logins within 30 seconds both pass."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return next_code(device)


def log_in(page, username: str, password: str = "demo-2023") -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/login/code/" in page.url:
        page.fill("input[name=code]", current_code(username))
        page.click("button[type=submit]")
        page.wait_for_load_state()
