"""The interface speaks Vietnamese unless the user chose English, and every
error page is styled, in the chosen language, and says what to do next."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.views import defaults

from emulation.models import AuditEvent
from emulation.views import csrf_failure, server_error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_a_browser_set_to_english_gets_vietnamese(client):
    response = client.get(reverse("login"), **ENGLISH_BROWSER)

    assert response["Content-Language"] == "vi"
    assert 'lang="vi"' in response.content.decode()


def test_the_switcher_chooses_english_for_the_browser(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("login"))

    assert response["Content-Language"] == "en"


def test_a_users_choice_follows_them_to_another_computer():
    user = UserFactory()
    first = Client()
    first.force_login(user)

    first.post(reverse("set_language"), {"language": "en", "next": "/"})
    other = Client()  # no cookie: another computer
    other.force_login(user)
    response = other.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi")

    user.refresh_from_db()
    assert user.language == "en"
    assert response["Content-Language"] == "en"
    assert AuditEvent.objects.filter(action="user.language", target_id=str(user.pk)).count() == 1


def test_an_unknown_language_is_ignored(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    user.refresh_from_db()
    assert user.language == ""
    assert client.get(reverse("home"))["Content-Language"] == "vi"


def test_the_switcher_takes_only_a_post(client):
    assert client.get(reverse("set_language")).status_code == 405


def test_an_unknown_page_is_the_styled_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/", **ENGLISH_BROWSER)

    html = response.content.decode()
    assert response.status_code == 404
    assert "Trang này không tồn tại" in html
    assert "app.css" in html
    assert 'href="/"' in html


def test_the_404_speaks_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get("/no-such-page/")

    assert "This page does not exist" in response.content.decode()


def test_a_refusal_is_the_styled_403_with_its_reason(rf):
    request = rf.get("/")

    response = defaults.permission_denied(
        request, PermissionDenied("Chỉ Thư ký khối được mở cuộc bỏ phiếu.")
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "Chỉ Thư ký khối được mở cuộc bỏ phiếu." in html
    assert "Bạn không được thực hiện thao tác này" in html


def test_a_form_sent_without_its_token_gets_the_styled_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()


def test_the_server_error_page_is_styled_and_vietnamese(rf):
    response = server_error(rf.get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Đã có lỗi" in html
    assert "app.css" in html


def test_a_bad_request_page_says_what_to_do(rf):
    response = defaults.bad_request(rf.get("/"), Exception())

    assert response.status_code == 400
    assert "tải lại trang" in response.content.decode()


def test_the_csrf_view_answers_403(rf):
    assert csrf_failure(rf.post("/")).status_code == 403
