"""Movements, registered targets and registrations, built through the
registration services (deadlines and audit hold as on the pages)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from awards.models import AwardType
from blocs import services
from blocs.enums import MovementLauncher
from blocs.models import EmulationYear, Movement, Registration, RegistrationTarget
from emulation.enums import AgencyRole
from emulation.models import User
from tests.factories.organisation import ProvinceFactory, UserFactory


class MovementFactory(factory.Factory):
    class Meta:
        model = Movement

    actor = None
    province = factory.SubFactory(ProvinceFactory)
    title = "Phong trào thi đua chuyển đổi số"
    launched_by = MovementLauncher.PROVINCE
    starts_on = datetime.date(2023, 1, 1)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.movement_create(**kwargs)


class RegistrationTargetFactory(factory.Factory):
    """A target the agency registers (``membership`` and ``actor`` required)."""

    class Meta:
        model = RegistrationTarget

    actor = None
    membership = None
    indicator = "Tỷ lệ hồ sơ đúng hạn"
    unit = "%"
    target_value = Decimal("100")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.registration_target_add(**kwargs)


def set_registration_deadline(bloc_year, days_from_today: int | None) -> datetime.date | None:
    """Move the year's registration deadline to ``days_from_today`` (None: no deadline)."""
    deadline = (
        None
        if days_from_today is None
        else timezone.localdate() + datetime.timedelta(days=days_from_today)
    )
    EmulationYear.objects.filter(pk=bloc_year.year_id).update(registration_deadline=deadline)
    bloc_year.year.refresh_from_db()
    return deadline


def agency_staff(membership) -> tuple[User, User]:
    """An officer and the head of the membership's agency (made when missing)."""
    staff = {u.agency_role: u for u in User.objects.filter(agency_id=membership.agency_id)}
    for role in (AgencyRole.OFFICER, AgencyRole.HEAD):
        if role not in staff:
            staff[role] = UserFactory(
                username=f"{membership.agency.code}.{role}",
                agency=membership.agency,
                agency_role=role,
            )
    return staff[AgencyRole.OFFICER], staff[AgencyRole.HEAD]


def register(
    cast,
    membership=None,
    *,
    targets: int = 1,
    indicator: str = "",
    award_codes=("tt_ldxs",),
    submit: bool = True,
) -> Registration:
    """The membership's officer (default: the cast's member) registers
    ``targets`` targets (numbered, or the one ``indicator``) and the award
    types of ``award_codes``; its head submits."""
    membership = membership or cast.member
    officer, head = agency_staff(membership)
    for index in range(targets):
        RegistrationTargetFactory(
            actor=officer,
            membership=membership,
            indicator=indicator or f"Tỷ lệ hồ sơ giải quyết đúng hạn {index + 1}",
        )
    if award_codes:
        services.registration_set_award_types(
            actor=officer,
            membership=membership,
            award_types=AwardType.objects.filter(code__in=award_codes),
        )
    if submit:
        services.registration_submit(actor=head, membership=membership)
    return Registration.objects.get(membership=membership)
