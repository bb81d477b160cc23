"""Headers and sessions: CSP without unsafe-inline, framing refused,
a referrer policy, HSTS and secure cookies when DEBUG is off, sessions that
expire, CSRF on POST, protected downloads.

Every HTML page and every protected download of the site is also checked for
these headers by the permission matrix (tests/test_permission_matrix.py), which
also POSTs to every mutating URL without a CSRF token (403) and shows that each
file download is refused to outsiders and to other provinces."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.emulation.test_settings import run_manage
from tests.test_permission_matrix import EXPECTED

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-very-long-and-random-production-secret-key-0123456789-abcdefghijk",
    "ALLOWED_HOSTS": "thidua.example.gov.vn",
    "DATABASE_URL": "sqlite://:memory:",
}


def assert_page_headers(response):
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )
    for directive in ("default-src", "script-src", "style-src"):
        assert directives[directive] == "'self'", csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_kind_of_page_carries_the_security_headers(cast, login, client, settings):
    settings.DEBUG = False
    pages = [
        (None, reverse("login"), 200),  # anonymous form
        (cast.officer, reverse("home"), 200),  # dashboard
        (cast.officer, reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]), 200),
        (cast.council, reverse("blocs:agency_create"), 200),  # a form
        (cast.officer, reverse("blocs:agency_list"), 403),  # the refusal page
        (cast.outsider, reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]), 404),
        (cast.officer, "/no-such-page/", 404),
    ]
    for user, url, status in pages:
        client.logout()
        if user is not None:
            login(user)
        response = client.get(url)
        assert response.status_code == status, url
        assert_page_headers(response)


def test_logged_in_answers_are_never_stored_by_a_cache(cast, login, client):
    """Every answer to a logged-in user (pages, refusals, redirects, htmx
    fragments) tells browsers and proxies not to keep it."""
    login(cast.officer)
    answers = [
        client.get(reverse("home")),
        client.get(reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk])),
        client.get(reverse("blocs:agency_list")),  # 403
        client.get("/no-such-page/"),  # 404
        client.get(reverse("login")),  # redirect of a logged-in user
    ]
    for response in answers:
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= directives, (response.status_code, directives)


def test_production_settings_send_hsts_and_secure_cookies():
    """With DEBUG off (as in production): HTTPS redirect, HSTS for a year with
    subdomains and preload, cookies only over HTTPS and out of JavaScript's
    reach, sessions of eight hours that end with the browser."""
    script = (
        "import json; from django.conf import settings as s;"
        "from django.test import Client, override_settings;"
        # No collectstatic here: plain static storage instead of the manifest.
        "override_settings(STORAGES={**s.STORAGES, 'staticfiles': {'BACKEND':"
        " 'django.contrib.staticfiles.storage.StaticFilesStorage'}}).enable();"
        "r = Client().get('/accounts/login/', secure=True, HTTP_HOST='thidua.example.gov.vn');"
        "plain = Client().get('/accounts/login/', HTTP_HOST='thidua.example.gov.vn');"
        "c = r.cookies['csrftoken'];"
        "print(json.dumps({'hsts': r.get('Strict-Transport-Security'),"
        " 'status': r.status_code, 'plain': plain.status_code,"
        " 'plain_location': plain.get('Location'),"
        " 'csrf_secure': bool(c['secure']), 'csrf_httponly': bool(c['httponly']),"
        " 'session_secure': s.SESSION_COOKIE_SECURE, 'session_httponly': s.SESSION_COOKIE_HTTPONLY,"
        " 'age': s.SESSION_COOKIE_AGE, 'browser_close': s.SESSION_EXPIRE_AT_BROWSER_CLOSE,"
        " 'proxy': s.SECURE_PROXY_SSL_HEADER}))"
    )
    result = run_manage("shell", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert found["status"] == 200
    assert found["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert found["plain"] == 301
    assert found["plain_location"].startswith("https://thidua.example.gov.vn/")
    assert found["csrf_secure"] and found["csrf_httponly"]
    assert found["session_secure"] and found["session_httponly"]
    assert found["age"] == 8 * 60 * 60
    assert found["browser_close"] is True
    assert found["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_the_session_cookie_ends_with_the_browser_and_the_session_after_eight_hours(cast, client):
    response = client.post(
        reverse("login"), {"username": cast.officer.username, "password": "demo-2023"}
    )
    assert response.status_code == 302

    cookie = response.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert cookie["httponly"]
    session = Session.objects.get()
    lifetime = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < lifetime <= datetime.timedelta(hours=8)


def test_logging_in_gives_a_new_session_key(cast, client):
    """No session fixation: the key a visitor had before logging in is dropped."""
    client.get(reverse("login"))
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key

    client.post(reverse("login"), {"username": cast.officer.username, "password": "demo-2023"})

    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_an_expired_session_sends_the_user_back_to_login(cast, login):
    client = login(cast.officer)
    assert client.get(reverse("home")).status_code == 200

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_ends_the_session_on_the_server(cast, login):
    client = login(cast.officer)
    client.post(reverse("logout"))

    assert not Session.objects.exists()
    assert client.get(reverse("home")).status_code == 302


def test_posts_without_the_csrf_token_are_refused(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": cast.officer.username, "password": "demo-2023"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session

    client.force_login(cast.secretariat)
    for url in (
        reverse("logout"),
        reverse("password_change"),
        reverse("blocs:self_assessment_open", args=[cast.bloc_year.pk]),
        reverse("blocs:review_lock", args=[cast.bloc_year.pk]),
    ):
        assert client.post(url, {}).status_code == 403, url
    assert Session.objects.exists()  # the logout without its token did nothing


def test_a_post_with_the_token_from_the_form_goes_through(cast):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    token = page.context["csrf_token"]

    response = client.post(
        reverse("login"),
        {
            "username": cast.officer.username,
            "password": "demo-2023",
            "csrfmiddlewaretoken": str(token),
        },
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.officer.pk)


DOWNLOADS = [
    "blocs:evidence_download",
    "blocs:review_evidence",
    "blocs:dispute_evidence",
    "documents:issued_document_download",
    "blocs:covenant_scan",
    "awards:attendance_authorisation",
    "awards:decision_scan",
    "blocs:movement_document",
    "blocs:covenant_preview",
    "awards:document_draft_download",
]


@pytest.mark.parametrize("name", DOWNLOADS)
def test_the_matrix_refuses_every_file_to_outsiders(name):
    """Every stored or generated file is behind a permission check that the
    matrix runs on real demo files: the anonymous user is sent to login, another
    province's council gets 404, and, except for the province-wide movement
    plan, so does an agency outside the bloc."""
    from tests.permission_matrix import ROLES

    row = dict(zip(ROLES, EXPECTED[name]["GET"].split(), strict=True))
    assert row["anon"] == "login"
    assert row["council2"] == "404"
    if name != "blocs:movement_document":
        assert row["outsider"] == "404"
    assert "ok" in row.values()  # someone may download it: the file is really served


def test_media_files_have_no_public_url(client, settings, tmp_path):
    """No URL serves MEDIA_ROOT: a stored file's path gives nothing."""
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "secret.pdf").write_bytes(b"%PDF-1.4")
    for prefix in ("/media/", "/files/", "/uploads/"):
        assert client.get(prefix + "secret.pdf").status_code == 404
