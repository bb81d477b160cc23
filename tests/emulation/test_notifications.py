"""Notifications: written with the change, e-mailed after the commit by the
background worker (retried, never failing the change), chosen per kind by
each user; the bell, the list and the secretariat's "remind" button."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from awards.services.proposal import proposal_return, proposal_submit
from blocs.enums import AssessmentState
from blocs.models import ReminderSent
from blocs.services.assessment import assessment_return
from emulation.enums import EmailDelivery, NotificationKind
from emulation.models import EmailOptOut, Notification, User
from emulation.notifications import EMAIL_ATTEMPTS
from emulation.services import email_choices_set, notification_send
from tests.factories import UserFactory
from tests.factories.assessment import open_window, submitted_assessment
from tests.factories.meeting import build_conference
from tests.factories.proposal import build_proposal

pytestmark = pytest.mark.django_db


class BrokenMailServer(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def with_emails(*users):
    for user in users:
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.vn")


# --- the service ----------------------------------------------------------------------


def test_a_return_tells_the_agency_in_the_app_and_by_email_after_the_commit(
    cast, django_capture_on_commit_callbacks
):
    assessment = submitted_assessment(cast)
    with_emails(cast.officer, cast.head)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assessment_return(actor=cast.secretariat, assessment=assessment, reason="Thiếu chữ ký")
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    told = Notification.objects.filter(kind=NotificationKind.ASSESSMENT_RETURNED)
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "mem.head",
        "mem.officer",
    ]
    assert set(told.values_list("email", flat=True)) == {EmailDelivery.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "mem.head@example.vn",
        "mem.officer@example.vn",
    ]
    message = mail.outbox[0]
    assert message.subject == "Bản tự chấm điểm bị trả lại"
    assert "Thường trực khối đã trả lại bản tự chấm điểm năm 2023" in message.body
    assert "Thiếu chữ ký" in message.body
    assert reverse("blocs:assessment_detail", args=[assessment.pk]) in message.body


def test_a_notification_is_rolled_back_with_its_change(cast, django_capture_on_commit_callbacks):
    assessment = submitted_assessment(cast)
    with_emails(cast.officer)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assessment_return(actor=cast.secretariat, assessment=assessment, reason="Thiếu")
        raise RuntimeError("something later in the same transaction fails")

    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    assert not Notification.objects.filter(kind=NotificationKind.ASSESSMENT_RETURNED).exists()
    assert mail.outbox == []


def test_a_submission_tells_the_secretariat_but_not_the_submitter(cast):
    submitted_assessment(cast)

    told = Notification.objects.filter(kind=NotificationKind.ASSESSMENT_SUBMITTED)
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "lead.head",
        "lead.officer",
    ]
    assert told.first().params["agency"] == cast.member.agency.name


def test_the_text_is_rendered_in_the_readers_language(cast, login):
    assessment = submitted_assessment(cast)
    assessment_return(actor=cast.secretariat, assessment=assessment, reason="Thiếu")
    client = login(cast.officer)

    vietnamese = client.get(reverse("notification_list")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("notification_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Thường trực khối đã trả lại bản tự chấm điểm năm 2023" in vietnamese
    assert "The bloc secretariat returned the self-assessment 2023" in english


def test_a_failed_email_is_retried_a_bounded_number_of_times_and_the_return_stands(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    assessment = submitted_assessment(cast)
    with_emails(cast.officer)

    with django_capture_on_commit_callbacks(execute=True):
        assessment_return(actor=cast.secretariat, assessment=assessment, reason="Thiếu")

    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.RETURNED
    notification = Notification.objects.get(
        kind=NotificationKind.ASSESSMENT_RETURNED, recipient=cast.officer
    )
    assert notification.email == EmailDelivery.FAILED
    assert notification.email_attempts == EMAIL_ATTEMPTS
    assert "the mail server is down" in notification.email_error


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_the_worker_sends_the_email_and_requeues_a_failure_for_later(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    assessment = submitted_assessment(cast)
    with_emails(cast.officer)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_return(actor=cast.secretariat, assessment=assessment, reason="Thiếu")
    notification = Notification.objects.get(
        kind=NotificationKind.ASSESSMENT_RETURNED, recipient=cast.officer
    )
    assert notification.email == EmailDelivery.QUEUED  # queued, not sent by the request

    with django_capture_on_commit_callbacks(execute=True):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    notification.refresh_from_db()
    assert (notification.email, notification.email_attempts) == (EmailDelivery.QUEUED, 1)
    later = DBTaskResult.objects.filter(status="READY")
    assert later.count() == 1
    assert later.get().run_after > timezone.now()  # retried later, not at once

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later.update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    notification.refresh_from_db()
    assert (notification.email, notification.email_attempts) == (EmailDelivery.SENT, 2)
    assert [m.to for m in mail.outbox] == [["mem.officer@example.vn"]]


def test_a_kind_opted_out_of_is_shown_in_the_app_but_not_emailed(
    cast, django_capture_on_commit_callbacks
):
    assessment = submitted_assessment(cast)
    with_emails(cast.officer, cast.head)
    email_choices_set(
        user=cast.officer,
        kinds=[k for k in NotificationKind if k != NotificationKind.ASSESSMENT_RETURNED],
    )

    with django_capture_on_commit_callbacks(execute=True):
        assessment_return(actor=cast.secretariat, assessment=assessment, reason="Thiếu")

    assert [m.to for m in mail.outbox] == [["mem.head@example.vn"]]
    officer = Notification.objects.get(
        kind=NotificationKind.ASSESSMENT_RETURNED, recipient=cast.officer
    )
    assert officer.email == EmailDelivery.NONE


def test_opening_an_online_poll_tells_the_voting_heads_and_points_to_their_dashboard():
    conf = build_conference(members=4, present=3, prefix="n")

    conf.open_poll()

    told = Notification.objects.filter(kind=NotificationKind.POLL_OPENED)
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "n0.head",
        "n1.head",
        "n2.head",
    ]
    assert set(told.values_list("url", flat=True)) == {reverse("home")}


def test_a_proposal_sent_tells_the_council_and_a_return_tells_the_secretariat():
    conf, proposal = build_proposal(prefix="np")
    council = UserFactory(
        username="np.council", is_council_staff=True, province=conf.bloc_year.bloc.province
    )

    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_return(actor=council, proposal=proposal, reason="Thiếu biên bản")

    sent = Notification.objects.get(kind=NotificationKind.PROPOSAL_SUBMITTED)
    assert sent.recipient == council
    returned = Notification.objects.filter(kind=NotificationKind.PROPOSAL_RETURNED)
    assert conf.secretariat.pk in set(returned.values_list("recipient", flat=True))
    assert returned.first().params["reason"] == "Thiếu biên bản"


# --- the bell, the list, the settings -------------------------------------------------


def notify(user, n=1):
    with transaction.atomic():
        notification_send(
            recipients=[user],
            kind=NotificationKind.DEADLINE_REMINDER,
            params={
                "year": 2023,
                "agency": "Sở",
                "bloc": "Khối",
                "date": "31/12/2023",
                "left": 2,
                "scored": 1,
                "total": 3,
                "missing": 0,
            },
            url=reverse("home"),
        )
    return Notification.objects.filter(recipient=user).first()


def test_the_bell_shows_the_unread_count_on_every_page(cast, login):
    notify(cast.officer)
    notify(cast.officer)
    client = login(cast.officer)

    page = client.get(reverse("home")).content.decode()

    assert 'aria-label="Thông báo: 2 chưa đọc"' in page


@pytest.mark.parametrize("n", [1, 5])
def test_the_list_query_count_does_not_grow(cast, login, django_assert_num_queries, n):
    for _ in range(n):
        notify(cast.officer)
    client = login(cast.officer)

    with django_assert_num_queries(3):
        response = client.get(reverse("notification_list"))

    assert response.content.decode().count("Sắp đến hạn") == n


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(cast, login):
    notification = notify(cast.officer)
    client = login(cast.officer)

    response = client.post(reverse("notification_open", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == reverse("home")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_does_not_exist(cast, login):
    notification = notify(cast.officer)

    response = login(cast.head).post(reverse("notification_open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_is_by_post_only(cast, login):
    notification = notify(cast.officer)
    client = login(cast.officer)

    assert client.get(reverse("notification_open", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notification_read_all")).status_code == 405
    assert client.post(reverse("notification_list")).status_code == 405


def test_mark_all_read(cast, login):
    notify(cast.officer)
    notify(cast.officer)
    other = notify(cast.head)
    client = login(cast.officer)

    client.post(reverse("notification_read_all"))

    assert not Notification.objects.filter(recipient=cast.officer, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
    page = client.get(reverse("home")).content.decode()
    assert 'aria-label="Thông báo: 0 chưa đọc"' in page


def test_the_pages_need_a_login(client):
    response = client.get(reverse("notification_list"))

    assert response.status_code == 302
    assert reverse("login") in response.url


def test_email_choices_are_kept_per_user(cast, login):
    client = login(cast.officer)
    wanted = [NotificationKind.POLL_OPENED.value]

    response = client.post(reverse("email_choices"), {"kinds": wanted})

    assert response.status_code == 302
    assert set(EmailOptOut.objects.filter(user=cast.officer).values_list("kind", flat=True)) == {
        k.value for k in NotificationKind if k != NotificationKind.POLL_OPENED
    }
    page = client.get(reverse("email_choices")).content.decode()
    assert page.count(" checked") == 1
    assert 'value="poll_opened" class="form-check-input" id="id_kinds_4" checked' in page


def test_an_unknown_email_choice_is_refused_with_a_message(cast, login):
    client = login(cast.officer)

    response = client.post(reverse("email_choices"), {"kinds": ["nothing"]})

    assert response.status_code == 200
    assert "nothing không phải là một trong các lựa chọn" in response.content.decode()
    assert not EmailOptOut.objects.exists()


# --- the secretariat's remind button --------------------------------------------------


def test_the_secretariat_reminds_an_agency_once_a_day(cast, login):
    window = open_window(cast)
    client = login(cast.secretariat)
    url = reverse("blocs:assessment_remind", args=[window.assessment.pk])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert ReminderSent.objects.filter(assessment=window.assessment).count() == 1
    told = Notification.objects.filter(kind=NotificationKind.DEADLINE_REMINDER)
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "mem.head",
        "mem.officer",
    ]
    assert f"Đã nhắc {cast.member.agency.name}." in first.content.decode()
    assert "đã được nhắc trong hôm nay" in second.content.decode()


def test_the_overview_offers_the_remind_button_to_the_secretariat_only(cast, login):
    window = open_window(cast)
    url = reverse("blocs:assessment_overview", args=[cast.bloc_year.pk])
    remind = reverse("blocs:assessment_remind", args=[window.assessment.pk])

    assert remind in login(cast.secretariat).get(url).content.decode()
    assert remind not in login(cast.council).get(url).content.decode()


def test_reminding_is_the_secretariats_and_by_post(cast, login):
    window = open_window(cast)
    url = reverse("blocs:assessment_remind", args=[window.assessment.pk])

    assert login(cast.officer).post(url).status_code == 403
    assert login(cast.outsider).post(url).status_code == 404
    assert login(cast.secretariat).get(url).status_code == 405
    assert not ReminderSent.objects.exists()


def test_a_submitted_agency_needs_no_reminder(cast, login):
    assessment = submitted_assessment(cast)

    response = login(cast.secretariat).post(
        reverse("blocs:assessment_remind", args=[assessment.pk]), follow=True
    )

    assert "không cần nhắc" in response.content.decode()
    assert not ReminderSent.objects.exists()
