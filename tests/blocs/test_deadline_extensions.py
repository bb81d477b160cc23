"""Deadline extensions: the council gives one bloc-year, or one agency in it,
more time for a step; every deadline check reads the effective deadline."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from blocs import services
from blocs.dashboard_registration import tasks_for
from blocs.enums import DeadlineStep, Phase, RegistrationState
from blocs.models import BlocYear, DeadlineExtension, EmulationYear, ReminderSent
from blocs.selectors.assessment import deadline_passed, edit_refusal
from blocs.selectors.deadlines import (
    bloc_year_deadlines,
    deadline_for,
    effective_deadline,
    load_extensions,
    membership_deadlines,
    with_extensions,
)
from blocs.selectors.review import dispute_deadline_passed
from blocs.services.phase import NeedsConfirmation
from emulation.models import AuditEvent, User
from tests.factories import AgencyFactory, BlocYearFactory, UserFactory, add_member, put_in_phase
from tests.factories.assessment import open_window
from tests.factories.registration import register, set_registration_deadline

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def set_year(bloc_year, **deadlines):
    EmulationYear.objects.filter(pk=bloc_year.year_id).update(**deadlines)
    bloc_year.year.refresh_from_db()


def extend(cast, step, deadline, membership=None, reason="Đơn vị bị ảnh hưởng bởi bão số 3"):
    return services.deadline_extend(
        actor=cast.council,
        bloc_year=cast.bloc_year,
        step=step,
        deadline=deadline,
        reason=reason,
        membership=membership,
    )


def fresh(bloc_year):
    return BlocYear.objects.select_related("year", "bloc").get(pk=bloc_year.pk)


# --- the selector -------------------------------------------------------------


def test_a_bloc_year_extended_moves_its_members_and_no_other_bloc(cast):
    set_year(cast.bloc_year, self_assessment_deadline=days(-2))
    other = BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)

    extension = extend(cast, DeadlineStep.SELF_ASSESSMENT, days(5))

    by = fresh(cast.bloc_year)
    assert effective_deadline(by, DeadlineStep.SELF_ASSESSMENT) == days(5)
    assert effective_deadline(by, DeadlineStep.SELF_ASSESSMENT, cast.member) == days(5)
    assert effective_deadline(fresh(other), DeadlineStep.SELF_ASSESSMENT) == days(-2)
    assert effective_deadline(by, DeadlineStep.REGISTRATION) is None  # other steps unchanged
    assert deadline_for(by, DeadlineStep.SELF_ASSESSMENT).extension == extension
    event = AuditEvent.objects.get(action="deadline.extend")
    assert event.actor == cast.council
    assert event.data["step"] == "self_assessment" and event.data["agency"] is None
    assert event.data["reason"] == "Đơn vị bị ảnh hưởng bởi bão số 3"


def test_an_agency_extended_moves_only_that_agency(cast):
    set_year(cast.bloc_year, self_assessment_deadline=days(-2))

    extend(cast, DeadlineStep.SELF_ASSESSMENT, days(3), membership=cast.member)

    by = fresh(cast.bloc_year)
    assert effective_deadline(by, DeadlineStep.SELF_ASSESSMENT, cast.member) == days(3)
    assert effective_deadline(by, DeadlineStep.SELF_ASSESSMENT, cast.leader) == days(-2)
    assert effective_deadline(by, DeadlineStep.SELF_ASSESSMENT) == days(-2)
    assert AuditEvent.objects.get(action="deadline.extend").data["agency"] == "mem"


def test_the_latest_of_year_bloc_year_and_agency_wins(cast):
    set_year(cast.bloc_year, dispute_deadline=days(-5))
    extend(cast, DeadlineStep.DISPUTES, days(4))
    extend(cast, DeadlineStep.DISPUTES, days(2), membership=cast.member)

    by = fresh(cast.bloc_year)
    assert effective_deadline(by, DeadlineStep.DISPUTES, cast.member) == days(4)
    extend(cast, DeadlineStep.DISPUTES, days(9), membership=cast.member)
    assert effective_deadline(fresh(cast.bloc_year), DeadlineStep.DISPUTES, cast.member) == days(9)
    # The year's own deadline moved later than the extensions: it stands.
    set_year(cast.bloc_year, dispute_deadline=days(20))
    assert effective_deadline(fresh(cast.bloc_year), DeadlineStep.DISPUTES, cast.member) == days(20)


def test_extending_again_replaces_the_extension(cast):
    set_year(cast.bloc_year, registration_deadline=days(-1))
    extend(cast, DeadlineStep.REGISTRATION, days(3))
    extend(cast, DeadlineStep.REGISTRATION, days(6), reason="Gia hạn thêm")

    only = DeadlineExtension.objects.get()
    assert (only.deadline, only.reason) == (days(6), "Gia hạn thêm")
    assert AuditEvent.objects.filter(action="deadline.extend").order_by("id").last().data["old"]


def test_the_database_holds_one_extension_per_bloc_year_or_agency_and_step(cast):
    now = timezone.now()
    DeadlineExtension.objects.create(
        bloc_year=cast.bloc_year, step="proposal", deadline=days(1), reason="a", granted_at=now
    )
    DeadlineExtension.objects.create(
        bloc_year=cast.bloc_year,
        membership=cast.member,
        step="disputes",
        deadline=days(1),
        reason="a",
        granted_at=now,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineExtension.objects.create(
            bloc_year=cast.bloc_year, step="proposal", deadline=days(2), reason="b", granted_at=now
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineExtension.objects.create(
            bloc_year=cast.bloc_year,
            membership=cast.member,
            step="disputes",
            deadline=days(2),
            reason="b",
            granted_at=now,
        )


@pytest.mark.parametrize("blocs", [1, 5])
def test_the_bulk_forms_cost_one_query_whatever_the_number_of_bloc_years(
    cast, blocs, django_assert_num_queries
):
    set_year(cast.bloc_year, registration_deadline=days(-1))
    memberships = []
    for i in range(blocs):
        by = BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)
        m = add_member(by, AgencyFactory(province=cast.province, code=f"bulk{i}"))
        services.deadline_extend(
            actor=cast.council,
            bloc_year=by,
            step=DeadlineStep.REGISTRATION,
            deadline=days(i + 1),
            reason="Sáp nhập đơn vị",
            membership=m if i % 2 else None,
        )
        memberships.append(m)
    rows = list(
        type(memberships[0])
        .objects.filter(pk__in=[m.pk for m in memberships])
        .select_related("bloc_year__year")
    )
    with django_assert_num_queries(1):
        found = membership_deadlines(rows, DeadlineStep.REGISTRATION)
    assert sorted(d.date for d in found.values()) == [days(i + 1) for i in range(blocs)]
    bloc_years = list(
        with_extensions(
            BlocYear.objects.filter(pk__in=[m.bloc_year_id for m in memberships])
        ).select_related("year")
    )
    with django_assert_num_queries(0):
        by_bloc = bloc_year_deadlines(bloc_years, DeadlineStep.REGISTRATION)
    assert len(by_bloc) == blocs


@pytest.mark.parametrize("bloc_years", [1, 3])
def test_extensions_loaded_once_answer_every_deadline_without_a_query(
    cast, bloc_years, django_assert_num_queries
):
    set_year(cast.bloc_year, registration_deadline=days(-1))
    extended = [cast.bloc_year] + [
        BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)
        for _ in range(1, bloc_years)
    ]
    for i, by in enumerate(extended):
        services.deadline_extend(
            actor=cast.council,
            bloc_year=by,
            step=DeadlineStep.REGISTRATION,
            deadline=days(i + 3),
            reason="Sáp nhập đơn vị",
        )
    loaded = [fresh(by) for by in extended]

    with django_assert_num_queries(1):
        load_extensions(*loaded)
    with django_assert_num_queries(0):
        found = [deadline_for(by, DeadlineStep.REGISTRATION).date for by in loaded]
        owners = [e.bloc_year for by in loaded for e in by.deadline_extensions.all()]
    assert found == [days(i + 3) for i in range(bloc_years)]
    assert owners == loaded
    with django_assert_num_queries(0):  # loading again reads nothing
        load_extensions(loaded[0])


# --- refusals --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretariat", "officer", "other_council", "outsider"])
def test_only_the_province_council_extends(cast, who):
    set_year(cast.bloc_year, registration_deadline=days(-1))
    with pytest.raises(PermissionDenied):
        services.deadline_extend(
            actor=getattr(cast, who),
            bloc_year=cast.bloc_year,
            step=DeadlineStep.REGISTRATION,
            deadline=days(3),
            reason="Lý do",
        )
    assert not DeadlineExtension.objects.exists()


def test_national_council_staff_extend_any_province(cast):
    set_year(cast.bloc_year, registration_deadline=days(-1))
    national = UserFactory(username="bo", is_council_staff=True, is_national=True)
    services.deadline_extend(
        actor=national,
        bloc_year=cast.bloc_year,
        step=DeadlineStep.REGISTRATION,
        deadline=days(3),
        reason="Lý do",
    )
    assert DeadlineExtension.objects.get().granted_by == national


def test_the_extended_date_must_be_after_the_years_deadline(cast):
    set_year(cast.bloc_year, registration_deadline=days(2))
    with pytest.raises(ValidationError, match="phải sau hạn chung"):
        extend(cast, DeadlineStep.REGISTRATION, days(2))
    with pytest.raises(ValidationError, match="lý do"):
        extend(cast, DeadlineStep.REGISTRATION, days(5), reason="  ")
    with pytest.raises(ValidationError, match="chưa có hạn"):
        extend(cast, DeadlineStep.PROPOSAL, days(5))
    assert not DeadlineExtension.objects.exists()


def test_the_proposal_is_extended_for_the_bloc_only(cast):
    set_year(cast.bloc_year, proposal_deadline=days(-1))
    with pytest.raises(ValidationError, match="cả Khối"):
        extend(cast, DeadlineStep.PROPOSAL, days(3), membership=cast.member)


def test_an_agency_of_another_bloc_cannot_be_extended(cast):
    set_year(cast.bloc_year, registration_deadline=days(-1))
    stranger = add_member(
        BlocYearFactory(bloc__province=cast.province, year__year=2030),
        AgencyFactory(province=cast.province, code="la"),
    )
    with pytest.raises(ValidationError, match="không phải thành viên"):
        extend(cast, DeadlineStep.REGISTRATION, days(3), membership=stranger)


def test_a_step_past_its_use_is_not_extended_nor_withdrawn(cast):
    set_year(
        cast.bloc_year,
        registration_deadline=days(-9),
        self_assessment_deadline=days(-5),
        dispute_deadline=days(-2),
    )
    extension = extend(cast, DeadlineStep.SELF_ASSESSMENT, days(3))
    BlocYear.objects.filter(pk=cast.bloc_year.pk).update(phase=Phase.SELF_ASSESSMENT)
    cast.bloc_year.refresh_from_db()
    with pytest.raises(ValidationError, match="đăng ký"):
        extend(cast, DeadlineStep.REGISTRATION, days(3))
    BlocYear.objects.filter(pk=cast.bloc_year.pk).update(phase=Phase.RANKING_PUBLISHED)
    cast.bloc_year.refresh_from_db()
    with pytest.raises(ValidationError, match="đã được khóa"):
        extend(cast, DeadlineStep.DISPUTES, days(3))
    with pytest.raises(ValidationError, match="đã được khóa"):
        services.deadline_extension_withdraw(actor=cast.council, extension=extension)
    assert DeadlineExtension.objects.filter(pk=extension.pk).exists()


def test_withdrawing_restores_the_years_deadline_and_is_audited(cast):
    set_year(cast.bloc_year, registration_deadline=days(-1))
    extension = extend(cast, DeadlineStep.REGISTRATION, days(3), membership=cast.member)
    with pytest.raises(PermissionDenied):
        services.deadline_extension_withdraw(actor=cast.secretariat, extension=extension)

    services.deadline_extension_withdraw(actor=cast.council, extension=extension)

    assert not DeadlineExtension.objects.exists()
    assert effective_deadline(fresh(cast.bloc_year), "registration", cast.member) == days(-1)
    event = AuditEvent.objects.get(action="deadline.withdraw")
    assert event.data["agency"] == "mem" and event.data["deadline"] == days(3).isoformat()


# --- every check honours it ----------------------------------------------------------


def test_registration_honours_the_agencys_extension(cast):
    set_registration_deadline(cast.bloc_year, -1)
    with pytest.raises(ValidationError, match="gia hạn"):
        register(cast)

    extend(cast, DeadlineStep.REGISTRATION, days(2), membership=cast.member)

    assert register(cast).state == RegistrationState.SUBMITTED
    with pytest.raises(ValidationError):  # the leader was not given more time
        register(cast, cast.leader)


def test_self_assessment_honours_the_extension(cast):
    window = open_window(cast, days_left=-1)
    by = fresh(cast.bloc_year)
    assert deadline_passed(by, membership=cast.member)
    assert "gia hạn" in edit_refusal(cast.officer, window.assessment)

    extend(cast, DeadlineStep.SELF_ASSESSMENT, days(1), membership=cast.member)

    window.assessment.refresh_from_db()
    assert edit_refusal(cast.officer, window.assessment) is None
    assert deadline_passed(fresh(cast.bloc_year), membership=cast.leader)


def test_disputes_honour_the_extension(cast):
    set_year(cast.bloc_year, dispute_deadline=days(-1))
    assert dispute_deadline_passed(fresh(cast.bloc_year), membership=cast.member)

    extend(cast, DeadlineStep.DISPUTES, days(1))

    assert not dispute_deadline_passed(fresh(cast.bloc_year), membership=cast.member)
    assert not dispute_deadline_passed(fresh(cast.bloc_year))


def test_reminders_follow_the_agencys_extended_deadline(cast, django_capture_on_commit_callbacks):

    User.objects.filter(pk=cast.officer.pk).update(email="mem@example.vn")
    User.objects.filter(pk=cast.secretariat.pk).update(email="lead@example.vn")
    window = open_window(cast, days_left=-1)  # the year's deadline has passed
    extend(cast, DeadlineStep.SELF_ASSESSMENT, days(2), membership=cast.member)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--days", "3", stdout=None)

    assert ReminderSent.objects.get().assessment == window.assessment
    assert [m.to for m in mail.outbox] == [["mem@example.vn"]]
    assert days(2).strftime("%d/%m/%Y") in mail.outbox[0].body
    assert "còn 2 ngày" in mail.outbox[0].body


def test_the_dashboard_counts_days_to_the_extended_deadline(cast):

    set_registration_deadline(cast.bloc_year, -1)
    assert tasks_for(cast.officer) == []  # closed: nothing the agency can do

    extend(cast, DeadlineStep.REGISTRATION, days(4), membership=cast.member)

    (task,) = tasks_for(cast.officer)
    assert task.due == days(4) and task.days_left == 4
    assert task.extra["deadline"].extended


def test_the_year_waits_for_an_agency_given_more_time_to_register(cast):
    put_in_phase(cast.bloc_year, Phase.REGISTRATION)
    set_registration_deadline(cast.bloc_year, -1)
    extend(cast, DeadlineStep.REGISTRATION, days(3), membership=cast.member)

    with pytest.raises(ValidationError) as refused:
        services.bloc_year_advance(
            actor=cast.council, bloc_year=fresh(cast.bloc_year), to=Phase.IN_PROGRESS
        )
    assert days(3).strftime("%d/%m/%Y") in refused.value.messages[0]
    assert "2 trên 2 thành viên chưa đăng ký" in refused.value.messages[0]

    register(cast)  # the agency given more time registers; the leader's time is over

    services.bloc_year_advance(
        actor=cast.council, bloc_year=fresh(cast.bloc_year), to=Phase.IN_PROGRESS
    )
    assert fresh(cast.bloc_year).phase == Phase.IN_PROGRESS


def test_starting_early_names_the_bloc_years_extended_deadline(cast):
    put_in_phase(cast.bloc_year, Phase.REGISTRATION)
    set_registration_deadline(cast.bloc_year, -1)
    extend(cast, DeadlineStep.REGISTRATION, days(4))
    register(cast)
    register(cast, cast.leader)

    with pytest.raises(NeedsConfirmation) as asked:
        services.bloc_year_advance(
            actor=cast.council, bloc_year=fresh(cast.bloc_year), to=Phase.IN_PROGRESS
        )

    assert days(4).strftime("%d/%m/%Y") in asked.value.messages[0]
