"""Two app servers against one PostgreSQL: a session started on one is valid on
the other, so any number of hosts can stand behind a load balancer — with
sessions in the database alone, and read through a shared Redis cache."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "emulation.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server on port {port} did not start")


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture
def two_servers(request, transactional_db, tmp_path):
    """Two gunicorns; ``indirect`` parametrisation with "redis" gives both a
    shared CACHE_URL (and so cached_db sessions)."""
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url,
        "DEBUG": "true",
        "MEDIA_ROOT": str(tmp_path / "shared-media"),
        "CONN_MAX_AGE": "0",
    }
    if getattr(request, "param", None) == "redis":
        env["CACHE_URL"] = REDIS_URL
    ports = [free_port(), free_port()]
    processes = [start_server(port, env) for port in ports]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_up(port, process)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
            process.stderr.close()


def opener_with_cookies():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def log_in(opener, base: str, username: str) -> None:
    with opener.open(f"{base}/accounts/login/") as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": "demo-2023", "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    with opener.open(request):
        pass


@pytest.mark.postgres
@pytest.mark.parametrize("two_servers", ["database", "redis"], indirect=True)
def test_a_session_started_on_one_server_is_valid_on_the_other(two_servers, settings):
    # The servers hash with the production hashers, not the fast test one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(username="hai.maychu", full_name="Nguyễn Hai Máy")
    server_a, server_b = two_servers
    opener, jar = opener_with_cookies()

    log_in(opener, server_a, "hai.maychu")
    # The cookie jar is per host:port; carry the session cookie to server B.
    session = next(c for c in jar if c.name == "sessionid")
    request = urllib.request.Request(  # noqa: S310
        f"{server_b}/", headers={"Cookie": f"sessionid={session.value}"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        body = response.read().decode()

    assert "Nguyễn Hai Máy" in body


@pytest.mark.postgres
@pytest.mark.parametrize("two_servers", ["redis"], indirect=True)
def test_logging_out_on_one_server_ends_the_session_on_the_other(two_servers, settings):
    """With sessions cached in Redis, the logout on A must not leave B serving
    the cached session."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    UserFactory(username="hai.dangxuat", full_name="Trần Đăng Xuất")
    server_a, server_b = two_servers
    opener, jar = opener_with_cookies()
    log_in(opener, server_a, "hai.dangxuat")
    session = next(c for c in jar if c.name == "sessionid").value
    cookie = {"Cookie": f"sessionid={session}"}
    with urllib.request.urlopen(urllib.request.Request(f"{server_b}/", headers=cookie)) as r:  # noqa: S310
        assert "Trần Đăng Xuất" in r.read().decode()

    with opener.open(f"{server_a}/") as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    logout = urllib.request.Request(  # noqa: S310
        f"{server_a}/accounts/logout/",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
        headers={"Referer": f"{server_a}/"},
    )
    with opener.open(logout):
        pass

    no_redirect = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirected:
        no_redirect.open(urllib.request.Request(f"{server_b}/", headers=cookie))  # noqa: S310
    redirected.value.close()
    assert redirected.value.code == 302
    assert "/accounts/login/" in redirected.value.headers["Location"]


def multipart(field: str, filename: str, content: bytes, content_type: str):
    boundary = "----bench-boundary-7d1f"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.postgres
def test_an_evidence_file_uploaded_on_one_server_downloads_from_the_other(
    two_servers, settings, cast
):
    from blocs.models import Evidence
    from tests.factories.assessment import open_window
    from tests.factories.files import PDF

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    cast.officer.set_password("demo-2023")
    cast.officer.save(update_fields=["password"])
    window = open_window(cast)
    server_a, server_b = two_servers
    opener, jar = opener_with_cookies()
    log_in(opener, server_a, cast.officer.username)
    session = next(c for c in jar if c.name == "sessionid").value
    csrf = "b" * 32

    body, content_type = multipart("file", "Kế hoạch.pdf", PDF, "application/pdf")
    upload = urllib.request.Request(  # noqa: S310
        f"{server_a}/assessments/{window.assessment.pk}/items/"
        f"{window.criteria['1.1'].pk}/evidence/",
        data=body,
        headers={
            "Content-Type": content_type,
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Referer": f"{server_a}/",
        },
    )
    no_redirect = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirected:  # the 302 after the upload
        no_redirect.open(upload)
    redirected.value.close()
    assert redirected.value.code == 302
    evidence = Evidence.objects.get()

    download = urllib.request.Request(  # noqa: S310
        f"{server_b}/evidence/{evidence.pk}/", headers={"Cookie": f"sessionid={session}"}
    )
    with urllib.request.urlopen(download) as response:  # noqa: S310
        assert response.read() == PDF
        assert "attachment" in response.headers["Content-Disposition"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
