"""Writes for provinces, agencies, lineage, blocs, years and memberships."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.enums import BlocKind, LineageKind, MemberRole, Phase
from blocs.models import (
    Agency,
    AgencyLineage,
    Bloc,
    BlocYear,
    EmulationYear,
    Membership,
    Province,
)
from emulation import audit
from emulation.models import User


@transaction.atomic
def province_create(*, actor: User | None, code: str, name: str) -> Province:
    province = Province(code=code, name=name)
    province.full_clean()
    province.save()
    audit.record(actor=actor, action="province.create", target=province, data={"code": code})
    return province


@transaction.atomic
def agency_create(
    *,
    actor: User | None,
    province: Province,
    code: str,
    name: str,
    short_name: str = "",
    active_from: datetime.date | None = None,
    active_to: datetime.date | None = None,
) -> Agency:
    agency = Agency(
        province=province,
        code=code,
        name=name,
        short_name=short_name,
        active_from=active_from,
        active_to=active_to,
    )
    agency.full_clean()
    agency.save()
    audit.record(
        actor=actor, action="agency.create", target=agency, data={"code": code, "name": name}
    )
    return agency


@transaction.atomic
def lineage_add(
    *,
    actor: User | None,
    predecessor: Agency,
    successor: Agency,
    kind: LineageKind | str,
    effective_date: datetime.date,
    note: str = "",
) -> AgencyLineage:
    if predecessor.pk == successor.pk:
        raise ValidationError(_("An agency cannot be its own successor."))
    link = AgencyLineage(
        predecessor=predecessor,
        successor=successor,
        kind=kind,
        effective_date=effective_date,
        note=note,
    )
    link.full_clean()
    link.save()
    audit.record(
        actor=actor,
        action="agency.lineage_add",
        target=link,
        data={
            "predecessor": predecessor.code,
            "successor": successor.code,
            "kind": str(kind),
            "effective_date": effective_date,
        },
    )
    return link


@transaction.atomic
def bloc_create(
    *,
    actor: User | None,
    province: Province,
    code: str,
    name: str,
    kind: BlocKind | str = BlocKind.BLOC,
) -> Bloc:
    bloc = Bloc(province=province, code=code, name=name, kind=kind)
    bloc.full_clean()
    bloc.save()
    audit.record(actor=actor, action="bloc.create", target=bloc, data={"code": code})
    return bloc


@transaction.atomic
def emulation_year_create(
    *, actor: User | None, province: Province, year: int, **deadlines: datetime.date | None
) -> EmulationYear:
    emulation_year = EmulationYear(province=province, year=year, **deadlines)
    emulation_year.full_clean()
    emulation_year.save()
    audit.record(
        actor=actor, action="year.create", target=emulation_year, data={"year": year, **deadlines}
    )
    return emulation_year


@transaction.atomic
def bloc_year_create(
    *, actor: User | None, bloc: Bloc, year: EmulationYear, phase: Phase | str = Phase.SETUP
) -> BlocYear:
    if bloc.province_id != year.province_id:
        raise ValidationError(_("The bloc and the year belong to different provinces."))
    bloc_year = BlocYear(bloc=bloc, year=year, phase=phase, phase_changed_at=timezone.now())
    bloc_year.full_clean()
    bloc_year.save()
    audit.record(
        actor=actor,
        action="bloc_year.create",
        target=bloc_year,
        data={"bloc": bloc.code, "year": year.year, "phase": str(phase)},
    )
    return bloc_year


@transaction.atomic
def membership_add(
    *,
    actor: User | None,
    bloc_year: BlocYear,
    agency: Agency,
    role: MemberRole | str = MemberRole.MEMBER,
    rotation_order: int = 0,
) -> Membership:
    """Add an agency to a bloc-year; the database refuses a second leader."""
    if agency.province_id != bloc_year.bloc.province_id:
        raise ValidationError(_("The agency belongs to another province."))
    if Membership.objects.filter(agency=agency, year_id=bloc_year.year_id).exists():
        raise ValidationError(
            _("%(agency)s is already a member of a bloc in %(year)s.")
            % {"agency": agency, "year": bloc_year.year}
        )
    if (
        role in (MemberRole.LEADER, MemberRole.DEPUTY)
        and bloc_year.memberships.filter(role=role).exists()
    ):
        raise ValidationError(
            _("This bloc-year already has a %(role)s.") % {"role": MemberRole(role).label.lower()}
        )
    membership = Membership.objects.create(
        bloc_year=bloc_year,
        year_id=bloc_year.year_id,
        agency=agency,
        role=role,
        rotation_order=rotation_order,
    )
    audit.record(
        actor=actor,
        action="membership.add",
        target=membership,
        data={"agency": agency.code, "role": str(role), "bloc_year": bloc_year.pk},
    )
    return membership


@transaction.atomic
def bloc_year_set_phase(*, actor: User | None, bloc_year: BlocYear, phase: Phase | str) -> BlocYear:
    """Move a bloc-year to another phase (forward or, with care, back)."""
    locked = BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
    old = locked.phase
    if old == phase:
        return locked
    locked.phase = phase
    locked.phase_changed_at = timezone.now()
    locked.save(update_fields=["phase", "phase_changed_at"])
    audit.record(
        actor=actor,
        action="bloc_year.set_phase",
        target=locked,
        data={"old": old, "new": str(phase)},
    )
    bloc_year.phase, bloc_year.phase_changed_at = locked.phase, locked.phase_changed_at
    return locked
