"""The OpenAPI schema is valid, and the docs are served from our own static
files under the strict Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid(tmp_path):
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    text = out.read_text()
    for path in ("agencies", "blocs", "bloc-years", "rankings", "poll-results", "proposals"):
        assert f"/api/v1/{path}/:" in text
    assert "updated_since" in text and "bearer" in text


def test_the_schema_is_served(client):
    response = client.get(reverse("api:schema"))

    assert response.status_code == 200
    assert b"/api/v1/award-records/" in response.content


def test_the_docs_run_under_the_strict_csp(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    html = response.content.decode()
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts)  # nothing inline
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(s.startswith("/") for s in sources), sources  # no CDN
    assert any("drf_spectacular_sidecar" in s for s in sources)
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]
