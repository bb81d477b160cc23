"""axe-core on every page a person reads: each named URL that answers a GET
with a page, opened in Chromium by the first role the permission matrix lets
in, on the demo. A serious or critical violation fails the test."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.permission_matrix import ROLES
from tests.permission_matrix.world import build_world
from tests.test_permission_matrix import EXPECTED, url_of

# Who opens each page: the first of these the matrix lets in.
READERS = ("officer", "head", "secretariat", "council", "admin")
SEVERE = {"serious", "critical"}
# Pages whose markup is not ours: the API's docs are Swagger UI as the
# drf-spectacular sidecar ships it, for the developers of other systems (its
# contrast and nested buttons are upstream's; tests/browser/test_api_docs.py
# checks that it runs under the CSP).
NOT_OURS = {"api:docs"}


def _pages() -> list[tuple[str, str]]:
    pages = []
    for name, methods in sorted(EXPECTED.items()):
        if "GET" not in methods or name in NOT_OURS:
            continue
        allowed = dict(zip(ROLES, methods["GET"].split(), strict=True))
        reader = next((role for role in READERS if allowed[role] == "ok"), None)
        if reader is not None:
            pages.append((name, reader))
    return pages


def _is_page(client, url: str) -> bool:
    """Whether the URL answers with a whole HTML page (not a file, an export
    or an htmx fragment, which is checked within its page)."""
    response = client.get(url)
    try:
        return (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            and b"<html" in response.content[:500]
        )
    finally:
        response.close()  # a file answer holds its file open until closed


def _sign_in(context, live_server, client) -> None:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.clear_cookies()
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.mark.django_db(transaction=True)
def test_every_page_has_no_serious_accessibility_violation(browser, live_server, demo):
    world = build_world()
    axe = Axe()
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    checked, problems = [], []
    signed_in_as, client = None, Client()
    for name, role in _pages():
        year, url = url_of(name, world)
        user = world.user(year, role)
        if user != signed_in_as:
            client = Client()
            client.force_login(user)
            _sign_in(context, live_server, client)
            signed_in_as = user
        if not _is_page(client, url):
            continue
        page.goto(url)
        checked.append(name)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in SEVERE:
                targets = [(node["target"], node["html"][:80]) for node in violation["nodes"][:3]]
                problems.append(f"{name} as {role}: {violation['id']} {targets}")
    # What a visitor sees before signing in: the login page and an error page.
    context.clear_cookies()
    for name, url in (("login", "/accounts/login/"), ("404", "/khong-co-trang-nay/")):
        page.goto(url)
        checked.append(name)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in SEVERE:
                problems.append(f"{name}: {violation['id']}")
    context.close()

    assert len(checked) >= 40, checked
    assert not problems, "\n".join(problems)
