"""What a notification says, and its e-mail, sent by the background worker.

A notification keeps its kind and parameters (names, years, reasons as they
were at the change); its text is rendered here, in the reader's language when
the bell's list shows it and in the recipient's language when it is e-mailed —
so a user who switches language reads every notification in the new one.

The e-mail of one notification is a task (Django's task framework, the
database backend in production: ``manage.py db_worker``). It is queued after
the commit of the change; a failed send is recorded and queued again later, at
most ``EMAIL_ATTEMPTS`` times in all, and never fails the change itself.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from emulation.enums import EmailDelivery, NotificationKind
from emulation.models import Notification

logger = logging.getLogger(__name__)

EMAIL_ATTEMPTS = 5
# Waits before the second, third… attempt.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)

TEXTS = {
    NotificationKind.ASSESSMENT_RETURNED: _(
        "The bloc secretariat returned the self-assessment %(year)s of %(agency)s: %(reason)s"
    ),
    NotificationKind.ASSESSMENT_REOPENED: _(
        "The bloc secretariat reopened the self-assessment %(year)s of %(agency)s: %(reason)s"
    ),
    NotificationKind.ASSESSMENT_SUBMITTED: _(
        "%(agency)s submitted its self-assessment %(year)s in %(bloc)s."
    ),
    NotificationKind.DEADLINE_REMINDER: _(
        "The self-assessment %(year)s of %(agency)s in %(bloc)s is not submitted yet. "
        "Deadline: %(date)s (%(left)s days left). Scored: %(scored)s of %(total)s criteria; "
        "evidence missing for %(missing)s."
    ),
    NotificationKind.POLL_OPENED: _(
        "Secret ballot open: %(poll)s (%(bloc)s). Vote from your dashboard."
    ),
    NotificationKind.PROPOSAL_SUBMITTED: _(
        "%(bloc)s sent its proposal for commendation %(year)s to the council."
    ),
    NotificationKind.PROPOSAL_RECEIVED: _(
        "The council received the proposal for commendation %(year)s of %(bloc)s."
    ),
    NotificationKind.PROPOSAL_RETURNED: _(
        "The council returned the proposal for commendation %(year)s of %(bloc)s: %(reason)s"
    ),
    NotificationKind.DECISION_RECORDED: _(
        "The commendation decision %(number)s on the proposal %(year)s of %(bloc)s is recorded."
    ),
}


def notification_text(notification: Notification) -> str:
    """The notification's text in the active language."""
    template = str(TEXTS[NotificationKind(notification.kind)])
    try:
        return template % notification.params
    except (KeyError, TypeError, ValueError):
        # Parameters written by an older version: the kind alone still says what happened.
        return str(NotificationKind(notification.kind).label)


def queue_emails(notification_ids: list[int]) -> None:
    """After the commit of the change, queue one e-mail task per notification."""
    if notification_ids:
        transaction.on_commit(lambda: [notification_email.enqueue(pk) for pk in notification_ids])


def _retry_later(notification_id: int, attempt: int) -> None:
    delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
    deferred = notification_email
    if notification_email.get_backend().supports_defer:
        deferred = notification_email.using(run_after=timezone.now() + delay)
    deferred.enqueue(notification_id)


@task()
def notification_email(notification_id: int) -> str:
    """Send one notification's e-mail, in the recipient's language. A failure
    is recorded and tried again later (a bounded number of times)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, email=EmailDelivery.QUEUED)
            .first()
        )
        if notification is None:  # already sent, or no longer wanted
            return "skipped"
        notification.email_attempts += 1
        recipient = notification.recipient
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            subject = str(NotificationKind(notification.kind).label)
            body = notification_text(notification)
            if notification.url:
                body += "\n\n" + settings.SITE_URL.rstrip("/") + notification.url
            body += "\n\n" + gettext(
                "You receive this e-mail because of your notification settings; "
                "you can change them in the application."
            )
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        except Exception as exc:  # the mail server's failure, whatever its kind
            logger.warning("Notification e-mail %s failed: %s", notification_id, exc)
            notification.email_error = f"{exc.__class__.__name__}: {exc}"[:255]
            again = notification.email_attempts < EMAIL_ATTEMPTS
            notification.email = EmailDelivery.QUEUED if again else EmailDelivery.FAILED
            notification.save(update_fields=["email", "email_attempts", "email_error"])
            if again:
                attempt = notification.email_attempts
                transaction.on_commit(lambda: _retry_later(notification_id, attempt))
            return "retry" if again else "failed"
        notification.email = EmailDelivery.SENT
        notification.email_error = ""
        notification.save(update_fields=["email", "email_attempts", "email_error"])
        return "sent"
