import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.db.backends.utils import CursorWrapper
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_with_a_reason_when_the_database_is_down(client, monkeypatch):
    def refuse(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["reason"] == "OperationalError"


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.fixture
def take_database_down(monkeypatch):
    """From the call on, every statement fails as while the server restarts."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    def down():
        monkeypatch.setattr(CursorWrapper, "execute", refuse)
        monkeypatch.setattr(CursorWrapper, "executemany", refuse)

    return down


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "tạm thời" in html  # the Vietnamese "temporarily unavailable" page
    assert "css/app.css" in html  # styled like the site
    assert "Traceback" not in html


@pytest.mark.django_db
def test_a_logged_in_page_is_503_with_retry_after_while_the_database_is_down(
    cast, login, take_database_down
):
    client = login(cast.officer)
    client.raise_request_exception = False
    take_database_down()

    for url in ["/", reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk])]:
        response = client.get(url)

        assert_unavailable_page(response)
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_logging_in_while_the_database_is_down_is_503_not_an_error(client, take_database_down):
    client.raise_request_exception = False
    take_database_down()

    response = client.post("/accounts/login/", {"username": "a", "password": "b"})

    assert_unavailable_page(response)


@pytest.mark.django_db
def test_a_lost_connection_is_503_too(cast, login, monkeypatch):
    client = login(cast.officer)
    client.raise_request_exception = False

    def lost(self, *args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(CursorWrapper, "execute", lost)

    assert_unavailable_page(client.get("/"))


@pytest.mark.django_db
def test_other_database_errors_are_not_disguised_as_an_outage(cast, login, monkeypatch):
    client = login(cast.officer)
    client.raise_request_exception = False

    def broken(self, *args, **kwargs):
        raise ProgrammingError("relation does not exist")

    monkeypatch.setattr(CursorWrapper, "execute", broken)

    assert client.get("/").status_code == 500


@pytest.mark.django_db
def test_an_outage_met_before_the_view_is_503_also_with_debug_on(
    cast, login, take_database_down, settings
):
    """`make run` serves with DEBUG on: an outage met while a middleware loads
    the session or the user is still the "temporarily unavailable" page, not
    Django's debug page with a 500."""
    client = login(cast.officer)
    client.raise_request_exception = False
    settings.DEBUG = True
    take_database_down()

    response = client.get("/")

    assert_unavailable_page(response)
    assert "no-store" in response["Cache-Control"]
