"""Writes of the core app: users, notifications."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from emulation import audit
from emulation.enums import AgencyRole, EmailDelivery, NotificationKind
from emulation.invitations import invitation_token
from emulation.models import EmailOptOut, Notification, User
from emulation.notifications import queue_emails
from emulation.prepared import PreparedUpdate
from emulation.refusals import require_actor


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    full_name: str = "",
    position: str = "",
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
        position=position,
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
    require_actor(actor, "emulation.lift_login_lock", user)
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


# The language switcher is on every page: its choice is written as the
# busiest writes are, by a statement compiled once. It is also the cheapest
# audited write that `make bench` measures every post against.
_save_language = PreparedUpdate(User, ["language"])


@transaction.atomic
def user_language_set(*, user: User, language: str) -> None:
    """Keep the interface language a user chose, with the account."""
    if user.language == language:
        return
    previous, user.language = user.language, language
    _save_language(user)
    audit.record(
        actor=user,
        action="user.language",
        target=user,
        data={"from": previous, "to": language},
        need_id=False,
    )


# --- accounts managed by the council ---------------------------------------------------


def _lock_user(user: User) -> User:
    return User.objects.select_for_update(of=("self",)).select_related("agency").get(pk=user.pk)


def _require_manages(actor: User, target) -> None:
    if not actor.has_perm("emulation.manage_agency_account", target):
        raise PermissionDenied(_("You do not manage this account."))


def _send_invitation(user: User, *, site_url: str) -> None:
    link = site_url.rstrip("/") + reverse(
        "invitation_accept", kwargs={"token": invitation_token(user)}
    )
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("Invitation to the emulation-bloc application")
        body = render_to_string(
            "registration/invitation_email.txt",
            {"user": user, "link": link, "hours": 72, "agency": user.agency},
        )
    recipient = user.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    )


@transaction.atomic
def user_invite(
    *,
    actor: User,
    full_name: str,
    email: str,
    agency,
    agency_role: AgencyRole | str,
    site_url: str,
) -> User:
    """Create an agency's user without a password and e-mail them a one-time
    link, valid 72 hours, to set one. The user name is the e-mail address."""
    _require_manages(actor, agency)
    email = User.objects.normalize_email(email.strip()).lower()
    full_name = " ".join(full_name.split())
    if agency_role not in AgencyRole.values:
        raise ValidationError(_("Choose the role: officer or head."))
    if (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError(
            _("An account with the e-mail %(email)s already exists.") % {"email": email}
        )
    user = User(
        username=email,
        email=email,
        full_name=full_name,
        agency=agency,
        agency_role=agency_role,
        invited_at=timezone.now(),
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(
        actor=actor,
        action="user.invite",
        target=user,
        data={"email": email, "agency": agency.code, "agency_role": str(agency_role)},
    )
    _send_invitation(user, site_url=site_url)
    return user


@transaction.atomic
def user_invitation_resend(*, actor: User, user: User, site_url: str) -> User:
    """E-mail a new link; the links sent before no longer serve."""
    _require_manages(actor, user)
    locked = _lock_user(user)
    if not locked.invitation_pending:
        raise ValidationError(_("%(name)s has already set a password.") % {"name": locked})
    if not locked.is_active:
        raise ValidationError(_("Reactivate the account before inviting again."))
    locked.set_unusable_password()
    locked.invited_at = timezone.now()
    locked.save(update_fields=["password", "invited_at"])
    audit.record(
        actor=actor, action="user.invite_again", target=locked, data={"email": locked.email}
    )
    _send_invitation(locked, site_url=site_url)
    return locked


@transaction.atomic
def user_invitation_accept(*, user: User, password: str) -> User:
    """The invited user sets a password (Django's validators apply); the
    link then no longer serves."""
    locked = _lock_user(user)
    if not locked.invitation_pending or not locked.is_active:
        raise ValidationError(_("This invitation has already been used."))
    validate_password(password, locked)
    locked.set_password(password)
    locked.save(update_fields=["password"])
    audit.record(actor=locked, action="user.invitation_accept", target=locked)
    return locked


@transaction.atomic
def user_active_set(*, actor: User, user: User, active: bool) -> User:
    """Deactivate an account (it can no longer sign in) or reactivate it."""
    _require_manages(actor, user)
    locked = _lock_user(user)
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="user.reactivate" if active else "user.deactivate",
        target=locked,
        data={"username": locked.username},
    )
    return locked


@transaction.atomic
def user_role_set(*, actor: User, user: User, agency_role: AgencyRole | str) -> User:
    """Make an agency's user its officer or its head."""
    _require_manages(actor, user)
    if agency_role not in AgencyRole.values:
        raise ValidationError(_("Choose the role: officer or head."))
    locked = _lock_user(user)
    previous = locked.agency_role
    if previous == agency_role:
        return locked
    locked.agency_role = agency_role
    locked.save(update_fields=["agency_role"])
    audit.record(
        actor=actor,
        action="user.role",
        target=locked,
        data={"from": previous, "to": str(agency_role)},
    )
    return locked


# --- two-factor sign-in -------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_enrolment_start(*, user: User, key: str | None = None) -> TOTPDevice:
    """The authenticator-app device to scan, not yet confirmed: the one
    already started, or a new one (with a random key, or ``key`` in hex:
    the demo's published key)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        extra = {"key": key} if key else {}
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False, **extra
        )
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the device with a code it shows; replace any earlier second
    factor and return the new one-time recovery codes (shown once)."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if locked.confirmed:
        raise ValidationError(_("This authenticator is already confirmed."))
    if not locked.verify_token(code.strip().replace(" ", "")):
        raise ValidationError(
            _("The code is wrong or has expired. Enter the code the app shows now.")
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [secrets.token_hex(5) for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    audit.record(actor=user, action="user.second_factor_enrol", target=user)
    return codes


@transaction.atomic
def user_second_factor_reset(*, actor: User, user: User) -> int:
    """Remove a user's authenticator and recovery codes (lost phone): at the
    next sign-in the user enrols again. Returns the devices removed."""
    if not actor.has_perm("emulation.reset_second_factor", user):
        raise PermissionDenied(_("You may not reset this account's second factor."))
    locked = _lock_user(user)
    removed = TOTPDevice.objects.filter(user=locked).delete()[0]
    removed += StaticDevice.objects.filter(user=locked).delete()[0]
    audit.record(
        actor=actor,
        action="user.second_factor_reset",
        target=locked,
        data={"username": locked.username},
    )
    return removed


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
