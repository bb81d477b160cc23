"""The manual steps of the cycle on the bloc-year page: open registration,
start the year when registration is over, close a decided year."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blocs.enums import MemberRole, Phase
from blocs.models import Membership
from blocs.services import bloc_year_set_phase, bloc_year_step
from emulation.models import AuditEvent
from tests.factories import AgencyFactory, BlocYearFactory, add_member


def step_url(bloc_year):
    return reverse("blocs:bloc_year_step", args=[bloc_year.pk])


def page_of(bloc_year):
    return reverse("blocs:bloc_year_detail", args=[bloc_year.pk])


# --- the service -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Phase.SETUP, Phase.REGISTRATION),
        (Phase.REGISTRATION, Phase.IN_PROGRESS),
        (Phase.DECIDED, Phase.CLOSED),
    ],
)
def test_each_manual_step_moves_the_phase_and_is_audited(cast, start, to):
    bloc_year_set_phase(actor=None, bloc_year=cast.bloc_year, phase=start)

    bloc_year_step(actor=cast.council, bloc_year=cast.bloc_year, to=to)

    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == to
    event = AuditEvent.objects.filter(action="bloc_year.set_phase").latest("pk")
    assert event.actor == cast.council
    assert event.data == {"old": start.value, "new": to.value}


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        # skipping ahead, or a step another workflow takes
        (Phase.SETUP, Phase.IN_PROGRESS, "không thể chuyển sang giai đoạn triển khai thực hiện"),
        (Phase.IN_PROGRESS, Phase.SELF_ASSESSMENT, "không thể chuyển sang giai đoạn tự chấm"),
        (Phase.VOTING, Phase.CLOSED, "không thể chuyển sang giai đoạn kết thúc"),
        # backwards
        (Phase.IN_PROGRESS, Phase.REGISTRATION, "không thể chuyển sang"),
        # a second click on a stale page
        (Phase.REGISTRATION, Phase.REGISTRATION, "Khối đã ở giai đoạn đăng ký thi đua"),
        (Phase.SETUP, "nonsense", "Hãy chọn bước cần thực hiện"),
    ],
)
def test_other_moves_are_refused_with_a_reason(cast, start, to, message):
    bloc_year_set_phase(actor=None, bloc_year=cast.bloc_year, phase=start)

    with pytest.raises(ValidationError) as refused:
        bloc_year_step(actor=cast.council, bloc_year=cast.bloc_year, to=to)

    assert message in refused.value.messages[0]
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == start


def test_registration_needs_a_leader_and_two_members(cast):
    province = cast.bloc_year.bloc.province
    lonely = BlocYearFactory(bloc__province=province, bloc__code="mot", year=cast.bloc_year.year)
    only = add_member(lonely, AgencyFactory(province=province, code="solo"), MemberRole.LEADER)
    with pytest.raises(ValidationError, match="ít nhất hai thành viên"):
        bloc_year_step(actor=cast.council, bloc_year=lonely, to=Phase.REGISTRATION)

    add_member(lonely, AgencyFactory(province=province, code="hai"), MemberRole.MEMBER)
    Membership.objects.filter(pk=only.pk).update(role=MemberRole.MEMBER)
    with pytest.raises(ValidationError, match="Trưởng khối"):
        bloc_year_step(actor=cast.council, bloc_year=lonely, to=Phase.REGISTRATION)

    lonely.refresh_from_db()
    assert lonely.phase == Phase.SETUP


# --- the page and the button -----------------------------------------------------------


def test_the_secretariat_opens_registration_from_the_bloc_year_page(cast, login):
    client = login(cast.secretariat)
    page = client.get(page_of(cast.bloc_year)).content.decode()
    assert "Mở đăng ký thi đua" in page
    assert 'name="to" value="registration"' in page

    response = client.post(step_url(cast.bloc_year), {"to": "registration"}, follow=True)

    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.REGISTRATION
    page = response.content.decode()
    assert "Đã mở đăng ký thi đua." in page
    assert "Kết thúc đăng ký, bắt đầu năm thi đua" in page  # the next button


def test_a_refused_step_says_why_and_changes_nothing(cast, login):
    bloc_year_set_phase(actor=None, bloc_year=cast.bloc_year, phase=Phase.REGISTRATION)
    client = login(cast.council)

    response = client.post(step_url(cast.bloc_year), {"to": "registration"}, follow=True)

    assert "Khối đã ở giai đoạn đăng ký thi đua." in response.content.decode()
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.REGISTRATION


def test_no_button_where_the_phase_moves_by_its_own_workflow(cast, login):
    bloc_year_set_phase(actor=None, bloc_year=cast.bloc_year, phase=Phase.REVIEW)

    page = login(cast.council).get(page_of(cast.bloc_year)).content.decode()

    assert 'class="mb-3 phase-step"' not in page


def test_members_see_no_button_and_may_not_step(cast, login):
    client = login(cast.officer)
    assert "Mở đăng ký thi đua" not in client.get(page_of(cast.bloc_year)).content.decode()

    assert client.post(step_url(cast.bloc_year), {"to": "registration"}).status_code == 403
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.SETUP


def test_outsiders_get_404(cast, login):
    for user in (cast.outsider, cast.other_council):
        response = login(user).post(step_url(cast.bloc_year), {"to": "registration"})
        assert response.status_code == 404


def test_get_is_not_allowed(cast, login):
    assert login(cast.council).get(step_url(cast.bloc_year)).status_code == 405


def test_anonymous_users_are_sent_to_log_in(cast, client):
    response = client.post(step_url(cast.bloc_year), {"to": "registration"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
