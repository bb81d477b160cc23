import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from emulation.models import AuditEvent
from emulation.services import login_lock_lift
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


def _fail(client, username, limit, **meta):
    for _ in range(limit):
        client.post(reverse("login"), {"username": username, "password": "wrong"}, **meta)


def _log_in(username, **meta):
    return Client().post(reverse("login"), {"username": username, "password": "demo-2023"}, **meta)


def test_a_lock_from_one_address_leaves_the_user_able_to_log_in_from_another(
    client, officer, settings
):
    """Behind the reverse proxy (every request from its address), a stranger's
    failures lock the account only from the stranger's own address."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    _fail(
        client,
        officer.username,
        settings.AXES_FAILURE_LIMIT,
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **proxy,
    )

    stranger = _log_in(officer.username, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    owner = _log_in(officer.username, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)

    assert stranger.status_code == 429
    assert owner.status_code == 302 and owner["Location"] == reverse("home")
    assert AccessAttempt.objects.get(username=officer.username).ip_address == "203.0.113.9"


def test_a_client_cannot_choose_the_address_it_is_counted_under(client, officer, settings):
    """What a client writes into X-Forwarded-For itself is ignored: only the
    entry the trusted proxy appended counts."""
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": officer.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.9",
            REMOTE_ADDR="10.0.0.1",
        )

    again = _log_in(
        officer.username, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.9", REMOTE_ADDR="10.0.0.1"
    )

    assert again.status_code == 429


def test_the_lock_out_page_says_when_the_lock_ends(client, officer, settings):
    _fail(client, officer.username, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username=officer.username)
    ends = timezone.localtime(attempt.attempt_time + settings.AXES_COOLOFF_TIME)

    html = _log_in(officer.username).content.decode()

    assert f"{ends:%H:%M}" in html and f"{ends:%d/%m/%Y}" in html
    assert "đăng nhập lại" in html


def test_the_council_of_the_province_lifts_a_lock_and_it_is_audited(client, cast, login, settings):
    _fail(client, cast.officer.username, settings.AXES_FAILURE_LIMIT)
    council = login(cast.council)

    listing = council.get(reverse("login_locks")).content.decode()
    response = council.post(reverse("login_lock_lift"), {"username": cast.officer.username})

    assert cast.officer.username in listing
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=cast.officer.username).exists()
    event = AuditEvent.objects.get(action="login.unlock")
    assert event.actor == cast.council and event.data["username"] == cast.officer.username
    assert _log_in(cast.officer.username).status_code == 302


def test_council_staff_of_another_province_neither_see_nor_lift_the_lock(
    client, cast, login, settings
):
    _fail(client, cast.officer.username, settings.AXES_FAILURE_LIMIT)
    other = login(cast.other_council)

    listing = other.get(reverse("login_locks")).content.decode()
    response = other.post(reverse("login_lock_lift"), {"username": cast.officer.username})

    assert cast.officer.username not in listing
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username=cast.officer.username).exists()


def test_agency_staff_may_not_lift_locks(cast, login):
    client = login(cast.secretariat)

    assert client.get(reverse("login_locks")).status_code == 403
    assert client.post(reverse("login_lock_lift"), {"username": "x"}).status_code == 403


def test_lifting_a_lock_needs_post(cast, login):
    assert login(cast.council).get(reverse("login_lock_lift")).status_code == 405
    assert login(cast.council).post(reverse("login_locks")).status_code == 405


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("council", True), ("admin", True), ("other_council", False), ("secretariat", False)],
)
def test_the_lift_service_answers_the_pages_rule(client, cast, settings, who, allowed):
    _fail(client, cast.officer.username, settings.AXES_FAILURE_LIMIT)
    actor = getattr(cast, who)

    if allowed:
        assert login_lock_lift(actor=actor, user=cast.officer) > 0
    else:
        with pytest.raises(PermissionDenied):
            login_lock_lift(actor=actor, user=cast.officer)
        assert AccessAttempt.objects.filter(username=cast.officer.username).exists()


@pytest.mark.parametrize("n", [1, 5])
def test_login_locks_query_count_does_not_grow(
    client, cast, login, settings, django_assert_num_queries, n
):
    locked = [
        UserFactory(username=f"khoa{i}", agency=cast.member.agency, agency_role="officer")
        for i in range(n)
    ]
    for user in locked:
        _fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    council = login(cast.council)
    url = reverse("login_locks")
    council.get(url)

    with django_assert_num_queries(LOGIN_LOCKS_QUERIES):
        response = council.get(url)

    assert response.status_code == 200
    assert response.content.decode().count('name="username" value="khoa') == n


LOGIN_LOCKS_QUERIES = 4
