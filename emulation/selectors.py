"""Reads of the core app: login locks, the accounts a council manages, notifications."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from emulation.enums import NotificationKind
from emulation.models import EmailOptOut, Notification, User
from emulation.rules import is_council, sees_all_provinces
from emulation.search import matching


@dataclass(frozen=True)
class LoginLock:
    user: User
    ip_address: str
    ends_at: datetime.datetime


def _locked_attempts():
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)


def login_lock_ends_at(*, username: str, ip_address: str | None) -> datetime.datetime | None:
    """When the lock of ``username`` from ``ip_address`` lifts by itself."""
    attempt = (
        _locked_attempts()
        .filter(username=username, ip_address=ip_address)
        .order_by("-attempt_time")
        .first()
    )
    return attempt.attempt_time + settings.AXES_COOLOFF_TIME if attempt else None


def users_whose_locks_user_lifts(user):
    """The accounts whose login locks ``user`` may lift: council staff those
    of their province (its agencies' staff and its council staff),
    administrators and national staff every account."""
    if sees_all_provinces(user):
        return User.objects.all()
    if not user.is_council_staff or user.province_id is None:
        return User.objects.none()
    return User.objects.filter(
        Q(agency__province_id=user.province_id) | Q(province_id=user.province_id)
    )


def login_locks_visible_to(user, *, now: datetime.datetime) -> list[LoginLock]:
    """The login locks still in force on accounts ``user`` may unlock."""
    since = now - settings.AXES_COOLOFF_TIME
    attempts = _locked_attempts().filter(attempt_time__gt=since).order_by("username", "ip_address")
    users = {
        u.username: u
        for u in users_whose_locks_user_lifts(user).filter(
            username__in={a.username for a in attempts}
        )
    }
    return [
        LoginLock(users[a.username], a.ip_address, a.attempt_time + settings.AXES_COOLOFF_TIME)
        for a in attempts
        if a.username in users
    ]


# The role filter of the accounts list: an agency role, or the council's staff.
COUNCIL_ROLE = "council"


def accounts_visible_to(
    user,
    *,
    agency_id: int | None = None,
    role: str = "",
    active: bool | None = None,
    search: str = "",
) -> QuerySet[User]:
    """The accounts council staff see on the accounts page: their province's
    agencies' users and its council staff (every province's for
    administrators and national staff), with whether each has a second
    factor, filtered and searched without diacritics."""
    if not is_council(user):
        return User.objects.none()
    qs = User.objects.filter(Q(agency__isnull=False) | Q(is_council_staff=True))
    if not sees_all_provinces(user):
        qs = qs.filter(
            Q(agency__province_id=user.province_id)
            | Q(is_council_staff=True, province_id=user.province_id)
        )
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if role == COUNCIL_ROLE:
        qs = qs.filter(is_council_staff=True)
    elif role:
        qs = qs.filter(agency_role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    qs = matching(qs, search[:100], "full_name", "username", "email")
    return (
        qs.select_related("agency", "province")
        .annotate(two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("agency__name", "full_name", "username")
    )


def get_account_for(user, pk: int) -> User:
    """An account the council user sees (404 for any other)."""
    try:
        return accounts_visible_to(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


NOTIFICATION_PAGE = 50


def with_unread_count(users):
    """``users`` each with ``unread_notifications``: a subquery of the same query."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return users.annotate(unread_notifications=Coalesce(Subquery(unread), 0))


def unread_count(user) -> int:
    """How many notifications ``user`` has not read: counted when the user was
    loaded for the request (``emulation.backends``), else one small query."""
    known = getattr(user, "unread_notifications", None)
    if known is not None:
        return known
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notifications_of(user):
    """The user's latest notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[
        :NOTIFICATION_PAGE
    ]


def get_notification_for(user, pk: int) -> Notification:
    """One of the user's own notifications (anyone else's does not exist: 404)."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


def email_kinds_of(user) -> set[str]:
    """The kinds of notification ``user`` wants by e-mail."""
    opted_out = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return {k.value for k in NotificationKind if k.value not in opted_out}
