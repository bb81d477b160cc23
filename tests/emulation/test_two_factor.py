"""Two-factor sign-in: enrolment with a QR code and a code, recovery codes
shown once and each usable once, the code step after the password, a limit
on wrong codes, required for council staff and administrators (the Django
admin included), reset by the province's council, audited."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from emulation import services
from emulation.models import AuditEvent
from tests.totp import code_at, next_code

pytestmark = pytest.mark.django_db


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = services.totp_enrolment_start(user=user)
    codes = services.totp_enrolment_confirm(user=user, device=device, code=next_code(device))
    device.refresh_from_db()
    return device, codes


def password_step(client, username, password="demo-2023", next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_council_without_a_device_must_enrol_before_anything_else(
    cast, client, two_factor_required
):
    response = password_step(client, "council")
    assert response.status_code == 302
    page = client.get(reverse("awards:council_dashboard"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("two_factor_enrol"))

    enrol_page = client.get(page["Location"])
    text = enrol_page.content.decode()
    assert "<svg" in text and "style=" not in text.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=cast.council, confirmed=False)
    confirmed = client.post(reverse("two_factor_enrol"), {"code": next_code(device)})
    assert confirmed["Location"] == reverse("two_factor_recovery_codes")

    codes_page = client.get(reverse("two_factor_recovery_codes")).content.decode()
    tokens = list(
        StaticToken.objects.filter(device__user=cast.council).values_list("token", flat=True)
    )
    assert len(tokens) == 10 and all(t in codes_page for t in tokens)
    download = client.get(reverse("two_factor_recovery_codes"), {"download": "1"})
    assert download["Content-Type"].startswith("text/plain")
    assert tokens[0] in download.content.decode()
    client.post(reverse("two_factor_recovery_codes_done"))
    assert client.get(reverse("two_factor_recovery_codes")).status_code == 404

    assert client.get(reverse("awards:council_dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="user.second_factor_enrol").count() == 1


def test_sign_in_asks_for_the_code_after_the_password(cast, client, two_factor_required, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own delay after a wrong code
    device, _codes = enrol(cast.council)

    response = password_step(client, "council", next_url=reverse("blocs:account_list"))
    assert response["Location"] == reverse("two_factor_login")
    assert "_auth_user_id" not in client.session  # not signed in yet

    wrong = client.post(reverse("two_factor_login"), {"code": "000000"})
    assert "Mã không đúng" in wrong.content.decode()
    right = client.post(reverse("two_factor_login"), {"code": next_code(device)})
    assert right["Location"] == reverse("blocs:account_list")
    assert client.get(reverse("blocs:account_list")).status_code == 200


def test_a_code_typed_just_after_the_step_changed_still_lets_the_next_code_in(
    cast, client, two_factor_required
):
    """The phone showed a code, the step turned before it was sent: the code
    is accepted and the device learns a drift of one step, so the code the
    phone shows at the next sign-in is accepted too."""
    device = services.totp_enrolment_start(user=cast.council)
    current = TOTP(device.bin_key, device.step, device.t0, device.digits).t()
    services.totp_enrolment_confirm(
        user=cast.council, device=device, code=code_at(device.bin_key, current - 1, device)
    )
    device.refresh_from_db()
    assert device.drift == -1

    password_step(client, "council")
    right = client.post(reverse("two_factor_login"), {"code": next_code(device)})
    assert right.status_code == 302 and "_auth_user_id" in client.session


def test_a_recovery_code_serves_once(cast, client, two_factor_required):
    _device, codes = enrol(cast.council)

    password_step(client, "council")
    response = client.post(reverse("two_factor_login"), {"code": codes[0]}, follow=True)
    assert "còn lại 9 mã" in response.content.decode()
    client.post(reverse("logout"))

    password_step(client, "council")
    again = client.post(reverse("two_factor_login"), {"code": codes[0]})
    assert again.status_code == 200 and "Mã không đúng" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_codes_are_limited(cast, client, two_factor_required, settings):
    device, _codes = enrol(cast.council)
    password_step(client, "council")
    for _i in range(settings.TWO_FACTOR_FAILURE_LIMIT):
        client.post(reverse("two_factor_login"), {"code": "123456"})

    password_step(client, "council")
    locked = client.post(reverse("two_factor_login"), {"code": next_code(device)})
    assert locked.status_code == 429
    assert "sai mã quá nhiều lần" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_optional_for_agency_users_and_asked_once_they_enrol(cast, client, two_factor_required):
    password_step(client, "mem.officer")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))

    device, _codes = enrol(cast.officer)
    assert password_step(client, "mem.officer")["Location"] == reverse("two_factor_login")
    client.post(reverse("two_factor_login"), {"code": next_code(device)})
    assert client.get(reverse("home")).status_code == 200


def test_admin_only_for_a_verified_session(cast, client, two_factor_required):
    client.force_login(cast.admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and "two-factor" in response["Location"]

    device, _codes = enrol(cast.admin)
    client.post(reverse("logout"))
    password_step(client, "root")
    client.post(reverse("two_factor_login"), {"code": next_code(device)})
    assert client.get("/admin/").status_code == 200


def test_an_unverified_session_cannot_replace_the_authenticator(cast, client, two_factor_required):
    enrol(cast.council)
    client.force_login(cast.council)  # a password-only session
    response = client.get(reverse("two_factor_enrol"))
    assert response["Location"].startswith(reverse("two_factor_login"))


def test_council_resets_a_second_factor_in_its_province(cast, login):
    enrol(cast.officer)
    url = reverse("blocs:account_second_factor_reset", args=[cast.officer.pk])

    assert login(cast.other_council).post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=cast.officer).exists()
    assert login(cast.council).post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.officer).exists()
    event = AuditEvent.objects.get(action="user.second_factor_reset")
    assert (event.actor, event.target_id) == (cast.council, str(cast.officer.pk))


def test_council_resets_a_colleague_but_not_itself(cast, login):
    from tests.factories import UserFactory

    colleague = UserFactory(username="council3", is_council_staff=True, province=cast.province)
    enrol(colleague)
    enrol(cast.council)
    client = login(cast.council)
    client.post(reverse("blocs:account_second_factor_reset", args=[colleague.pk]))
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    own = client.post(reverse("blocs:account_second_factor_reset", args=[cast.council.pk]))
    assert own.status_code == 403
    assert TOTPDevice.objects.filter(user=cast.council).exists()


@pytest.mark.parametrize(
    "name", ["two_factor_enrol", "two_factor_recovery_codes", "two_factor_recovery_codes_done"]
)
def test_two_factor_pages_need_a_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


def test_recovery_codes_done_is_post_only(cast, login):
    assert login(cast.officer).get(reverse("two_factor_recovery_codes_done")).status_code == 405


def test_code_step_without_a_password_goes_back_to_login(client, db):
    response = client.get(reverse("two_factor_login"))
    assert response["Location"] == reverse("login")


def verified_session(client, user, username) -> TOTPDevice:
    device, _codes = enrol(user)
    password_step(client, username)
    client.post(reverse("two_factor_login"), {"code": next_code(device)})
    return device


def test_the_request_user_is_the_signed_in_user_with_its_device(cast, client, two_factor_required):
    device = verified_session(client, cast.council, "council")

    user = client.get(reverse("home")).wsgi_request.user

    assert user.is_verified() and user.otp_device == device
    assert user.pk == cast.council.pk
    # The user itself, not a lazy object over Django's lazy object.
    assert type(user) is type(cast.council)


def test_an_authenticator_removed_ends_the_verified_session(cast, client, two_factor_required):
    device = verified_session(client, cast.council, "council")
    assert client.get(reverse("awards:council_dashboard")).status_code == 200

    TOTPDevice.objects.filter(pk=device.pk).delete()
    response = client.get(reverse("awards:council_dashboard"))

    assert response["Location"].startswith(reverse("two_factor_enrol"))
    assert not response.wsgi_request.user.is_verified()


def test_a_verified_session_reads_its_authenticator_with_its_user(
    cast, client, two_factor_required
):
    device = verified_session(client, cast.council, "council")

    with CaptureQueriesContext(connection) as queries:
        user = client.get(reverse("healthz")).wsgi_request.user
        assert user.is_verified() and user.otp_device == device

    sqls = [query["sql"] for query in queries.captured_queries]
    (user_read,) = [sql for sql in sqls if 'FROM "emulation_user"' in sql]
    assert '"otp_totp_totpdevice"' in user_read
    assert not [sql for sql in sqls if 'FROM "otp_totp_totpdevice"' in sql]


def test_an_authenticator_of_another_user_does_not_verify_the_session(
    cast, client, two_factor_required
):
    others, _codes = enrol(cast.other_council)
    verified_session(client, cast.council, "council")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = others.persistent_id
    session.save()

    response = client.get(reverse("awards:council_dashboard"))

    assert response["Location"].startswith(reverse("two_factor_enrol"))
    assert not response.wsgi_request.user.is_verified()
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_an_unconfirmed_authenticator_does_not_verify_the_session(
    cast, client, two_factor_required
):
    device = verified_session(client, cast.council, "council")
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)

    response = client.get(reverse("awards:council_dashboard"))

    assert response.status_code == 302
    assert not response.wsgi_request.user.is_verified()


def test_a_deactivated_user_is_signed_out_at_the_next_request(cast, client, two_factor_required):
    verified_session(client, cast.council, "council")
    type(cast.council).objects.filter(pk=cast.council.pk).update(is_active=False)

    user = client.get(reverse("healthz")).wsgi_request.user

    assert not user.is_authenticated
