"""The bloc-year's phase: the table of moves, who takes them, what must hold,
and the moves the bloc-year page takes (open registration, start the year,
close it; the council's moves back)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from blocs.enums import PAGE_MOVES, PHASE_MOVES, MemberRole, Phase, PhaseActor, RegistrationState
from blocs.models import EmulationYear, Membership, Registration
from blocs.services import bloc_year_advance
from blocs.services.phase import NeedsConfirmation
from emulation.models import AuditEvent
from tests.factories import AgencyFactory, BlocYearFactory, add_member, put_in_phase


def step_url(bloc_year):
    return reverse("blocs:bloc_year_step", args=[bloc_year.pk])


def page_of(bloc_year):
    return reverse("blocs:bloc_year_detail", args=[bloc_year.pk])


NUM_HISTORY_QUERIES = 4


# --- the table ------------------------------------------------------------------------

ALL_PAIRS = [(a, b) for a in Phase for b in Phase]
# The page's own moves, the workflow's moves, and the council's moves back.
EXPECTED_FORWARD = {
    (Phase.SETUP, Phase.REGISTRATION),
    (Phase.REGISTRATION, Phase.IN_PROGRESS),
    (Phase.IN_PROGRESS, Phase.SELF_ASSESSMENT),
    (Phase.SELF_ASSESSMENT, Phase.REVIEW),
    (Phase.REVIEW, Phase.RANKING_PUBLISHED),
    (Phase.RANKING_PUBLISHED, Phase.VOTING),
    (Phase.VOTING, Phase.PROPOSAL_SUBMITTED),
    (Phase.PROPOSAL_SUBMITTED, Phase.DECIDED),
    (Phase.DECIDED, Phase.CLOSED),
}
EXPECTED_BACK = {
    (Phase.REGISTRATION, Phase.SETUP),
    (Phase.IN_PROGRESS, Phase.REGISTRATION),
    (Phase.RANKING_PUBLISHED, Phase.REVIEW),
    (Phase.PROPOSAL_SUBMITTED, Phase.VOTING),
} | {(p, Phase.CLOSED) for p in Phase if p not in (Phase.DECIDED, Phase.CLOSED)}


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_every_phase_pair_is_allowed_exactly_when_the_table_says_so(source, target):
    move = PHASE_MOVES.get((source, target))
    allowed = (source, target) in EXPECTED_FORWARD | EXPECTED_BACK
    assert (move is not None) == allowed
    if move is not None:
        assert move.back == ((source, target) in EXPECTED_BACK)
        if move.back:
            assert move.by == {PhaseActor.COUNCIL}, "going back is the council's alone"


# Each page move, arranged so that what it needs holds.
def _ready(cast, source):
    put_in_phase(cast.bloc_year, source)


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_the_page_takes_a_move_exactly_when_the_table_gives_it_to_the_page(cast, source, target):
    _ready(cast, source)
    page_move = PAGE_MOVES.get((source, target))

    try:
        bloc_year_advance(
            actor=cast.council, bloc_year=cast.bloc_year, to=target, reason="Đơn vị đề nghị."
        )
    except ValidationError:
        moved = False
    else:
        moved = True

    assert moved == (page_move is not None)
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == (target if moved else source)


@pytest.mark.parametrize(
    ("source", "target"), sorted(PHASE_MOVES, key=lambda k: (k[0].index, k[1].index))
)
def test_a_workflow_move_is_refused_to_any_other_workflow(cast, source, target):
    move = PHASE_MOVES[(source, target)]
    put_in_phase(cast.bloc_year, source)
    with pytest.raises(ValidationError, match="không thể chuyển sang"):
        bloc_year_advance(
            actor=cast.council,
            bloc_year=cast.bloc_year,
            to=target,
            reason="Lý do.",
            via="someone_else" if move.via is None else None,
        )


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Phase.SETUP, Phase.REGISTRATION),
        (Phase.REGISTRATION, Phase.IN_PROGRESS),
        (Phase.DECIDED, Phase.CLOSED),
    ],
)
def test_each_page_step_moves_the_phase_and_is_audited(cast, start, to):
    put_in_phase(cast.bloc_year, start)

    bloc_year_advance(actor=cast.council, bloc_year=cast.bloc_year, to=to)

    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == to
    event = AuditEvent.objects.filter(action="bloc_year.phase").latest("pk")
    assert event.actor == cast.council
    assert event.data == {"old": start.value, "new": to.value}


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        # skipping ahead, or a step another workflow takes
        (Phase.SETUP, Phase.IN_PROGRESS, "không thể chuyển sang giai đoạn triển khai thực hiện"),
        (Phase.IN_PROGRESS, Phase.SELF_ASSESSMENT, "không thể chuyển sang giai đoạn tự chấm"),
        (Phase.VOTING, Phase.DECIDED, "không thể chuyển sang giai đoạn đã có quyết định"),
        # a second click on a stale page
        (Phase.REGISTRATION, Phase.REGISTRATION, "Khối đã ở giai đoạn đăng ký thi đua"),
        (Phase.SETUP, "nonsense", "Hãy chọn bước cần thực hiện"),
    ],
)
def test_other_moves_are_refused_with_a_reason(cast, start, to, message):
    put_in_phase(cast.bloc_year, start)

    with pytest.raises(ValidationError) as refused:
        bloc_year_advance(actor=cast.council, bloc_year=cast.bloc_year, to=to)

    assert message in refused.value.messages[0]
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == start


def test_registration_needs_a_leader_and_two_members(cast):
    province = cast.bloc_year.bloc.province
    lonely = BlocYearFactory(bloc__province=province, bloc__code="mot", year=cast.bloc_year.year)
    only = add_member(lonely, AgencyFactory(province=province, code="solo"), MemberRole.LEADER)
    with pytest.raises(ValidationError, match="ít nhất hai thành viên"):
        bloc_year_advance(actor=cast.council, bloc_year=lonely, to=Phase.REGISTRATION)

    add_member(lonely, AgencyFactory(province=province, code="hai"), MemberRole.MEMBER)
    Membership.objects.filter(pk=only.pk).update(role=MemberRole.MEMBER)
    with pytest.raises(ValidationError, match="Trưởng khối"):
        bloc_year_advance(actor=cast.council, bloc_year=lonely, to=Phase.REGISTRATION)

    lonely.refresh_from_db()
    assert lonely.phase == Phase.SETUP


# --- who moves, and going back -----------------------------------------------------------


def test_going_back_is_the_councils_alone_and_needs_a_reason(cast):
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)

    with pytest.raises(PermissionDenied):
        bloc_year_advance(
            actor=cast.secretariat, bloc_year=cast.bloc_year, to=Phase.REGISTRATION, reason="x"
        )
    with pytest.raises(ValidationError, match="lý do"):
        bloc_year_advance(actor=cast.council, bloc_year=cast.bloc_year, to=Phase.REGISTRATION)

    bloc_year_advance(
        actor=cast.council,
        bloc_year=cast.bloc_year,
        to=Phase.REGISTRATION,
        reason="Sở Tư pháp chưa kịp đăng ký do thay đổi lãnh đạo.",
    )

    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.REGISTRATION
    event = AuditEvent.objects.filter(action="bloc_year.phase").latest("pk")
    assert event.data["reason"] == "Sở Tư pháp chưa kịp đăng ký do thay đổi lãnh đạo."


def test_members_and_other_provinces_may_not_move_the_phase(cast):
    for user in (cast.officer, cast.head, cast.other_council, cast.outsider):
        with pytest.raises(PermissionDenied):
            bloc_year_advance(actor=user, bloc_year=cast.bloc_year, to=Phase.REGISTRATION)
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.SETUP


def test_an_abandoned_year_is_closed_by_the_council_with_a_reason(cast):
    put_in_phase(cast.bloc_year, Phase.SELF_ASSESSMENT)

    with pytest.raises(PermissionDenied):
        bloc_year_advance(
            actor=cast.secretariat, bloc_year=cast.bloc_year, to=Phase.CLOSED, reason="x"
        )
    bloc_year_advance(
        actor=cast.council,
        bloc_year=cast.bloc_year,
        to=Phase.CLOSED,
        reason="Khối giải thể sau sắp xếp tổ chức bộ máy.",
    )

    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.CLOSED


# --- not before --------------------------------------------------------------------------


def test_the_year_does_not_start_before_the_registration_deadline_while_members_are_missing(
    cast,
):
    put_in_phase(cast.bloc_year, Phase.REGISTRATION)
    EmulationYear.objects.filter(pk=cast.bloc_year.year_id).update(
        registration_deadline=timezone.localdate() + datetime.timedelta(days=5)
    )

    with pytest.raises(ValidationError) as refused:
        bloc_year_advance(actor=cast.council, bloc_year=cast.bloc_year, to=Phase.IN_PROGRESS)

    assert "2 trên 2 thành viên chưa đăng ký" in refused.value.messages[0]
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.REGISTRATION


def test_the_year_starts_early_once_every_member_registered_and_the_user_confirms(cast):
    put_in_phase(cast.bloc_year, Phase.REGISTRATION)
    EmulationYear.objects.filter(pk=cast.bloc_year.year_id).update(
        registration_deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    for membership in (cast.leader, cast.member):
        Registration.objects.create(
            membership=membership, state=RegistrationState.SUBMITTED, submitted_at=timezone.now()
        )

    with pytest.raises(NeedsConfirmation):
        bloc_year_advance(actor=cast.council, bloc_year=cast.bloc_year, to=Phase.IN_PROGRESS)
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.REGISTRATION

    bloc_year_advance(
        actor=cast.council, bloc_year=cast.bloc_year, to=Phase.IN_PROGRESS, confirm=True
    )

    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.IN_PROGRESS
    event = AuditEvent.objects.filter(action="bloc_year.phase").latest("pk")
    assert "đăng ký" in event.data["confirmed"][0]


def test_after_the_registration_deadline_the_year_starts_without_a_question(cast):
    put_in_phase(cast.bloc_year, Phase.REGISTRATION)
    EmulationYear.objects.filter(pk=cast.bloc_year.year_id).update(
        registration_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    bloc_year_advance(actor=cast.council, bloc_year=cast.bloc_year, to=Phase.IN_PROGRESS)

    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.IN_PROGRESS


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
    put_in_phase(cast.bloc_year, Phase.REGISTRATION)
    client = login(cast.council)

    response = client.post(step_url(cast.bloc_year), {"to": "registration"}, follow=True)

    assert "Khối đã ở giai đoạn đăng ký thi đua." in response.content.decode()
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.REGISTRATION


def test_no_button_where_the_phase_moves_by_its_own_workflow(cast, login):
    put_in_phase(cast.bloc_year, Phase.REVIEW)

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


# --- the history of the phases ---------------------------------------------------------------


def history_url(bloc_year):
    return reverse("blocs:bloc_year_phase_history", args=[bloc_year.pk])


def test_the_history_page_lists_every_move_with_its_reason(cast, login):
    bloc_year_advance(actor=cast.council, bloc_year=cast.bloc_year, to=Phase.REGISTRATION)
    bloc_year_advance(
        actor=cast.council, bloc_year=cast.bloc_year, to=Phase.SETUP, reason="Thiếu thành viên."
    )

    page = login(cast.officer).get(history_url(cast.bloc_year)).content.decode()

    assert page.count("<tr") == 3  # the heading and two moves
    assert "Thiếu thành viên." in page
    assert "lùi lại" in page
    assert "council" in page


@pytest.mark.parametrize("moves", [1, 5])
def test_the_history_page_query_count_does_not_grow(cast, login, moves, django_assert_num_queries):
    for _ in range(moves):
        bloc_year_advance(actor=cast.council, bloc_year=cast.bloc_year, to=Phase.REGISTRATION)
        bloc_year_advance(actor=cast.council, bloc_year=cast.bloc_year, to=Phase.SETUP, reason="x")
    client = login(cast.officer)
    client.get(history_url(cast.bloc_year))  # warm the content-type cache

    with django_assert_num_queries(NUM_HISTORY_QUERIES):
        assert client.get(history_url(cast.bloc_year)).status_code == 200


def test_the_history_page_is_for_those_who_see_the_bloc_year(cast, login):
    assert login(cast.outsider).get(history_url(cast.bloc_year)).status_code == 404
    assert login(cast.other_council).get(history_url(cast.bloc_year)).status_code == 404
    assert login(cast.officer).post(history_url(cast.bloc_year)).status_code == 405


def test_the_council_moves_the_phase_back_from_the_page_with_a_reason(cast, login):
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    client = login(cast.council)
    page = client.get(page_of(cast.bloc_year)).content.decode()
    assert "Chuyển về giai đoạn trước" in page

    response = client.post(
        step_url(cast.bloc_year), {"to": "registration", "reason": "Gia hạn đăng ký."}, follow=True
    )

    assert "Đã mở đăng ký thi đua." in response.content.decode()
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.REGISTRATION
    # The secretariat sees no such form.
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    assert (
        "Chuyển về giai đoạn trước"
        not in login(cast.secretariat).get(page_of(cast.bloc_year)).content.decode()
    )


def test_starting_early_asks_for_confirmation_on_the_page(cast, login):
    put_in_phase(cast.bloc_year, Phase.REGISTRATION)
    EmulationYear.objects.filter(pk=cast.bloc_year.year_id).update(
        registration_deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    for membership in (cast.leader, cast.member):
        Registration.objects.create(
            membership=membership, state=RegistrationState.SUBMITTED, submitted_at=timezone.now()
        )
    client = login(cast.secretariat)

    page = client.post(step_url(cast.bloc_year), {"to": "in_progress"}, follow=True)

    assert "Bắt đầu năm thi đua sớm?" in page.content.decode()
    assert 'name="confirm"' in page.content.decode()
    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.REGISTRATION

    client.post(step_url(cast.bloc_year), {"to": "in_progress", "confirm": "on"})

    cast.bloc_year.refresh_from_db()
    assert cast.bloc_year.phase == Phase.IN_PROGRESS


def test_a_closed_abandoned_year_is_late_no_more(cast):
    from awards.selectors.council import lateness_of

    EmulationYear.objects.filter(pk=cast.bloc_year.year_id).update(
        registration_deadline=timezone.localdate() - datetime.timedelta(days=615)
    )
    cast.bloc_year.refresh_from_db()
    assert lateness_of(cast.bloc_year, cast.bloc_year.year, timezone.localdate()).days == 615

    bloc_year_advance(
        actor=cast.council, bloc_year=cast.bloc_year, to=Phase.CLOSED, reason="Khối giải thể."
    )

    assert lateness_of(cast.bloc_year, cast.bloc_year.year, timezone.localdate()) is None
