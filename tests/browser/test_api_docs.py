"""The API's docs (Swagger UI from the sidecar's static files) run in the
browser under the strict Content-Security-Policy: no console error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_under_the_csp(page):
    page.goto("/api/v1/docs/")

    page.wait_for_selector("text=/api/v1/award-records/")
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Emulation blocs API")
    assert page.console_errors == [], page.console_errors  # no CSP violation, no script error
