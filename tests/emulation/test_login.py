import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def officer(cast):
    return cast.officer


def test_login_page_is_vietnamese(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_a_user_logs_in_and_lands_on_the_dashboard(client, officer):
    response = client.post(
        reverse("login"), {"username": officer.username, "password": "demo-2023"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_repeated_failures_lock_the_login(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": officer.username, "password": "wrong"})

    response = client.post(
        reverse("login"), {"username": officer.username, "password": "demo-2023"}
    )

    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode() or "quá nhiều" in response.content.decode()
    assert AccessAttempt.objects.filter(username=officer.username).exists()
    assert "_auth_user_id" not in client.session


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_needs_post(client, officer):
    client.force_login(officer)

    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, db):
    user = UserFactory(username="doi.mk")
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "demo-2023",
            "new_password1": "Mat-khau-moi-2024!",
            "new_password2": "Mat-khau-moi-2024!",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2024!")


def test_language_switch_to_english(client, officer):
    client.force_login(officer)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))

    assert "What to do next" in response.content.decode()


def test_security_headers_are_set(client, db):
    response = client.get(reverse("login"))

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
