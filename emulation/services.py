"""Writes of the core app: users, notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation import audit
from emulation.enums import AgencyRole, EmailDelivery, NotificationKind
from emulation.models import EmailOptOut, Notification, User
from emulation.notifications import queue_emails


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    agency=None,
    agency_role: AgencyRole | str = "",
    is_council_staff: bool = False,
    province=None,
    is_national: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user with exactly one kind of role, and record it."""
    if agency is not None and not agency_role:
        raise ValidationError(_("An agency user needs a role: officer or head."))
    if is_council_staff and province is None and not is_national:
        raise ValidationError(_("Council staff need a province, or the national view."))
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        agency=agency,
        agency_role=agency_role if agency is not None else "",
        is_council_staff=is_council_staff,
        province=province,
        is_national=is_national,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(
        actor=actor,
        action="user.create",
        target=user,
        data={
            "username": username,
            "agency": agency.code if agency is not None else None,
            "agency_role": str(agency_role),
            "is_council_staff": is_council_staff,
            "is_superuser": is_superuser,
        },
    )
    return user


@transaction.atomic
def login_lock_lift(*, actor: User, user: User) -> int:
    """Lift every login lock of ``user`` (from whatever address) before it
    ends by itself, and record who lifted it. Returns the locks removed."""
    attempts = AccessAttempt.objects.select_for_update().filter(username=user.username)
    addresses = sorted({a.ip_address or "" for a in attempts})
    removed, _by_model = attempts.delete()
    audit.record(
        actor=actor,
        action="login.unlock",
        target=user,
        data={"username": user.username, "addresses": addresses},
    )
    return removed


@transaction.atomic
def user_language_set(*, user: User, language: str) -> None:
    """Keep the interface language a user chose, with the account."""
    if user.language == language:
        return
    previous, user.language = user.language, language
    user.save(update_fields=["language"])
    audit.record(
        actor=user,
        action="user.language",
        target=user,
        data={"from": previous, "to": language},
    )


def notification_send(
    *,
    recipients: Iterable[User],
    kind: NotificationKind,
    params: dict[str, Any],
    url: str = "",
    exclude: User | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (each once; the active ones but ``exclude``, who made
    the change) what happened. Call it inside the service's transaction: the
    notifications are rolled back with the change. Each recipient with an
    e-mail address who has not opted out of ``kind`` also gets an e-mail, sent
    by the background worker after the commit."""
    users = {u.pk: u for u in recipients if u.is_active and (exclude is None or u.pk != exclude.pk)}
    if not users:
        return []
    opted_out = set(
        EmailOptOut.objects.filter(user_id__in=list(users), kind=kind).values_list(
            "user_id", flat=True
        )
    )
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                params=params,
                url=url,
                email=(
                    EmailDelivery.QUEUED
                    if user.email and user.pk not in opted_out
                    else EmailDelivery.NONE
                ),
            )
            for user in users.values()
        ]
    )
    queue_emails([n.pk for n in notifications if n.email == EmailDelivery.QUEUED])
    return notifications


@transaction.atomic
def notification_read(*, user: User, notification: Notification) -> None:
    """Mark one of the user's notifications read."""
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notifications_read_all(*, user: User) -> int:
    """Mark every unread notification of the user read."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def email_choices_set(*, user: User, kinds: Iterable[str]) -> None:
    """Keep which kinds of notification the user wants by e-mail (the others
    are shown in the app only), and record the change."""
    wanted = {NotificationKind(k) for k in kinds}
    User.objects.select_for_update().get(pk=user.pk)
    before = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    after = {k.value for k in NotificationKind if k not in wanted}
    if before == after:
        return
    EmailOptOut.objects.filter(user=user).exclude(kind__in=after).delete()
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user=user, kind=k) for k in sorted(after - before)]
    )
    audit.record(
        actor=user,
        action="user.email_choices",
        target=user,
        data={"not_by_email": sorted(after)},
    )
