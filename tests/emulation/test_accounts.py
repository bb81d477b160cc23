"""The accounts a province runs itself: invitations (one-time, 72 hours),
deactivation, roles, second factors reset — council staff of one province
never see another's accounts — and password reset by e-mail."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from emulation import services
from emulation.enums import AgencyRole
from emulation.invitations import invitation_token, user_for_invitation
from emulation.models import AuditEvent, User
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver/"


def _invite(cast, capture, email="moi@example.vn", role=AgencyRole.OFFICER):
    with capture(execute=True):
        return services.user_invite(
            actor=cast.council,
            full_name="Trần Văn Mới",
            email=email,
            agency=cast.member.agency,
            agency_role=role,
            site_url=SITE,
        )


def _link(mail) -> str:
    return re.search(r"http://testserver(/accounts/invitation/[^/\s]+/)", mail.body).group(1)


# --- invitations ----------------------------------------------------------------------


def test_invite_creates_a_passwordless_user_and_mails_a_link(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    user = _invite(cast, django_capture_on_commit_callbacks)

    assert (user.username, user.email, user.agency, user.agency_role) == (
        "moi@example.vn",
        "moi@example.vn",
        cast.member.agency,
        AgencyRole.OFFICER,
    )
    assert not user.has_usable_password() and user.invitation_pending
    assert [m.to for m in mailoutbox] == [["moi@example.vn"]]
    assert "72 giờ" in mailoutbox[0].body
    assert AuditEvent.objects.filter(action="user.invite", target_id=str(user.pk)).count() == 1


def test_invitation_link_sets_the_password_once(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(cast, django_capture_on_commit_callbacks)
    link = _link(mailoutbox[0])

    page = client.get(link)
    assert "Chọn mật khẩu" in page.content.decode()
    response = client.post(link, {"password1": "Khong-De-Doan-42", "password2": "Khong-De-Doan-42"})

    assert response.status_code == 302
    user = User.objects.get(username="moi@example.vn")
    assert user.check_password("Khong-De-Doan-42") and not user.invitation_pending
    again = client.get(link)
    assert again.status_code == 404
    assert "không còn hiệu lực" in again.content.decode()


def test_invitation_password_meets_the_validators_in_vietnamese(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    _invite(cast, django_capture_on_commit_callbacks)
    response = client.post(_link(mailoutbox[0]), {"password1": "123", "password2": "123"})

    text = response.content.decode()
    assert "Mật khẩu quá ngắn" in text
    assert User.objects.get(username="moi@example.vn").invitation_pending


def test_invitation_expires_after_72_hours(cast, django_capture_on_commit_callbacks, monkeypatch):
    user = _invite(cast, django_capture_on_commit_callbacks)
    token = invitation_token(user)
    assert user_for_invitation(token) == user

    later = time.time() + datetime.timedelta(hours=72, minutes=1).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert user_for_invitation(token) is None


def test_invite_again_replaces_the_earlier_link(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    user = _invite(cast, django_capture_on_commit_callbacks)
    first = _link(mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.user_invitation_resend(actor=cast.council, user=user, site_url=SITE)

    assert client.get(first).status_code == 404
    assert client.get(_link(mailoutbox[1])).status_code == 200
    assert AuditEvent.objects.filter(action="user.invite_again").count() == 1


def test_invite_refuses_an_email_already_used(cast, django_capture_on_commit_callbacks):
    _invite(cast, django_capture_on_commit_callbacks)
    with pytest.raises(Exception, match="Đã có"):
        _invite(cast, django_capture_on_commit_callbacks, email="MOI@example.vn")


def test_council_of_another_province_cannot_invite_into_this_one(cast):
    with pytest.raises(PermissionDenied):
        services.user_invite(
            actor=cast.other_council,
            full_name="X",
            email="x@example.vn",
            agency=cast.member.agency,
            agency_role=AgencyRole.OFFICER,
            site_url=SITE,
        )
    assert not User.objects.filter(email="x@example.vn").exists()


# --- the accounts pages -----------------------------------------------------------------


def test_account_list_shows_the_province_only_and_searches_without_diacritics(cast, login):
    cast.officer.full_name = "Nguyễn Thị Đào"
    cast.officer.save()
    far = AgencyFactory(province=cast.other_council.province, code="xa")
    UserFactory(username="xa.officer", full_name="Nguyễn Xa", agency=far, agency_role="officer")

    client = login(cast.council)
    page = client.get(reverse("blocs:account_list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "mem.officer" in text and "lead.head" in text
    assert "xa.officer" not in text and "council2" not in text

    found = client.get(reverse("blocs:account_list"), {"q": "nguyen thi dao"}).content.decode()
    assert "mem.officer" in found and "lead.head" not in found


def test_account_list_filters_by_agency_role_and_state(cast, login):
    cast.head.is_active = False
    cast.head.save()
    client = login(cast.council)
    url = reverse("blocs:account_list")

    text = client.get(url, {"agency": cast.member.agency.pk, "role": "head"}).content.decode()
    assert "mem.head" in text and "mem.officer" not in text and "lead.head" not in text
    text = client.get(url, {"active": "0"}).content.decode()
    assert "mem.head" in text and "mem.officer" not in text


def test_account_list_is_for_council_staff(cast, login):
    assert login(cast.head).get(reverse("blocs:account_list")).status_code == 403
    assert login(cast.council).post(reverse("blocs:account_list")).status_code == 405


@pytest.mark.parametrize("n", [1, 5])
def test_account_list_query_count(cast, login, django_assert_num_queries, n):
    for i in range(n):
        UserFactory(agency=cast.member.agency, agency_role="officer", username=f"extra{i}")
    client = login(cast.council)
    with django_assert_num_queries(5):
        response = client.get(reverse("blocs:account_list"))
    assert response.status_code == 200


def test_invite_page_sends_the_invitation(
    cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(cast.council)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("blocs:account_invite"),
            {
                "full_name": "Lê Thị Hoa",
                "email": "hoa@example.vn",
                "agency": cast.member.agency.pk,
                "agency_role": "head",
            },
        )
    assert response.status_code == 302
    assert User.objects.get(email="hoa@example.vn").agency_role == "head"
    assert mailoutbox[0].to == ["hoa@example.vn"]


def test_invite_page_offers_only_the_province_agencies(cast, login):
    far = AgencyFactory(province=cast.other_council.province, code="xa")
    client = login(cast.council)
    response = client.post(
        reverse("blocs:account_invite"),
        {"full_name": "X", "email": "x@example.vn", "agency": far.pk, "agency_role": "head"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.vn").exists()
    assert login(cast.officer).get(reverse("blocs:account_invite")).status_code == 403


def test_deactivate_and_reactivate(cast, login):
    client = login(cast.council)
    url = reverse("blocs:account_active", args=[cast.officer.pk])

    assert client.post(url, {"active": "0"}).status_code == 302
    cast.officer.refresh_from_db()
    assert not cast.officer.is_active
    client.post(url, {"active": "1"})
    cast.officer.refresh_from_db()
    assert cast.officer.is_active
    actions = list(
        AuditEvent.objects.filter(target_id=str(cast.officer.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["user.deactivate", "user.reactivate"]


def test_change_role(cast, login):
    client = login(cast.council)
    client.post(reverse("blocs:account_role", args=[cast.officer.pk]), {"agency_role": "head"})
    cast.officer.refresh_from_db()
    assert cast.officer.agency_role == AgencyRole.HEAD
    event = AuditEvent.objects.get(action="user.role")
    assert event.data == {"from": "officer", "to": "head"}


@pytest.mark.parametrize(
    "name,data",
    [
        ("blocs:account_active", {"active": "0"}),
        ("blocs:account_role", {"agency_role": "head"}),
        ("blocs:account_invite_again", {}),
        ("blocs:account_second_factor_reset", {}),
    ],
)
def test_account_changes_other_province_404_agency_user_403_get_405(cast, login, name, data):
    url = reverse(name, args=[cast.officer.pk])
    assert login(cast.other_council).post(url, data).status_code == 404
    assert login(cast.head).post(url, data).status_code == 403
    assert login(cast.council).get(url).status_code == 405
    cast.officer.refresh_from_db()
    assert cast.officer.is_active and cast.officer.agency_role == AgencyRole.OFFICER


def test_council_cannot_deactivate_a_council_colleague_or_itself(cast, login):
    colleague = UserFactory(username="council3", is_council_staff=True, province=cast.province)
    client = login(cast.council)
    url = reverse("blocs:account_active", args=[colleague.pk])
    assert client.post(url, {"active": "0"}).status_code == 403
    colleague.refresh_from_db()
    assert colleague.is_active


def test_invite_again_page(cast, login, mailoutbox, django_capture_on_commit_callbacks):
    user = _invite(cast, django_capture_on_commit_callbacks)
    client = login(cast.council)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("blocs:account_invite_again", args=[user.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    # An account whose password is set gets no invitation.
    client.post(reverse("blocs:account_invite_again", args=[cast.officer.pk]))
    assert len(mailoutbox) == 2


# --- password reset -------------------------------------------------------------------


def test_password_reset_by_email(cast, client, mailoutbox):
    cast.officer.email = "mem@example.vn"
    cast.officer.save()

    response = client.post(reverse("password_reset"), {"email": "mem@example.vn"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "mật khẩu mới" in mail.subject
    path = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.body).group(1)
    form = client.get(path, follow=True)
    assert "Chọn mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Mat-Khau-Moi-2024", "new_password2": "Mat-Khau-Moi-2024"},
    )
    assert done.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.check_password("Mat-Khau-Moi-2024")


def test_password_reset_unknown_address_says_the_same_and_sends_nothing(client, mailoutbox, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.vn"}, follow=True)
    assert "Đã gửi đường dẫn" in response.content.decode()
    assert mailoutbox == []


def test_password_change_page_still_works(cast, login):
    client = login(cast.officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "demo-2023",
            "new_password1": "Mat-Khau-Moi-2024",
            "new_password2": "Mat-Khau-Moi-2024",
        },
    )
    assert response.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.check_password("Mat-Khau-Moi-2024")
    assert SESSION_KEY in client.session
