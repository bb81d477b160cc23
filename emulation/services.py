"""Writes of the core app: users."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from emulation import audit
from emulation.enums import AgencyRole
from emulation.models import User


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
