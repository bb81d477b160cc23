"""Writes for provinces, agencies, lineage, blocs, years and memberships."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from blocs.enums import (
    MEMBERSHIP_EDITABLE_PHASES,
    SECRETARIAT_ROLES,
    BlocKind,
    LineageKind,
    MemberRole,
    Phase,
)
from blocs.models import (
    Agency,
    AgencyLineage,
    Bloc,
    BlocYear,
    EmulationYear,
    Membership,
    Province,
)
from blocs.selectors.organisation import agencies_active_in_year, carry_forward_plan, shift_year
from emulation import audit
from emulation.models import User
from emulation.refusals import require_actor
from emulation.vocabulary import default_text, vocabulary_errors


def require_province_council(actor: User | None, obj) -> None:
    """The council's set-up pages: council staff of the object's province
    (an agency, a bloc, a year, a bloc-year, or the province itself)."""
    require_actor(
        actor,
        "blocs.oversee_province",
        obj,
        _("Only the council staff of the province can do this."),
    )


def _require_manager(actor: User | None, bloc_year: BlocYear) -> None:
    """A bloc-year's members and its carrying forward: its secretariat or the
    province's council staff."""
    require_actor(
        actor,
        "blocs.manage_bloc_year",
        bloc_year,
        _("Only the bloc's secretariat or council staff can change its members."),
    )


def _touch(model, pks: list[int]) -> None:
    """Mark rows changed (their ``updated_at``) when what they show changed
    elsewhere: an agency's lineage, a bloc-year's members."""
    model.objects.filter(pk__in=pks).update(updated_at=timezone.now())


@transaction.atomic
def province_create(*, actor: User | None, code: str, name: str) -> Province:
    province = Province(code=code, name=name)
    province.full_clean()
    province.save()
    audit.record(actor=actor, action="province.create", target=province, data={"code": code})
    return province


@transaction.atomic
def province_vocabulary_update(
    *, actor: User | None, province: Province, terms: dict[str, str]
) -> Province:
    """Set the province's words (emulation.vocabulary) from ``terms``, the word
    of each term (a term left out goes back to its default). A term equal to its
    default is not stored, so that a later change of the default reaches the
    province too. One audit event with the old and new overrides."""
    given = {key: (value or "").strip() for key, value in terms.items()}
    errors = vocabulary_errors(given)
    if errors:
        raise ValidationError(list(errors.values()))
    overrides = {key: value for key, value in given.items() if value != default_text(key)}
    locked = Province.objects.select_for_update().get(pk=province.pk)
    require_province_council(actor, locked)
    if locked.vocabulary == overrides:
        return locked
    old = locked.vocabulary
    locked.vocabulary = overrides
    locked.save(update_fields=["vocabulary"])
    audit.record(
        actor=actor,
        action="province.vocabulary",
        target=locked,
        data={"old": old, "new": overrides},
    )
    province.vocabulary = overrides
    province.__dict__.pop("_vocabulary", None)
    return locked


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
    require_province_council(actor, province)
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
def agency_update(
    *,
    actor: User | None,
    agency: Agency,
    name: str,
    short_name: str = "",
    active_from: datetime.date | None = None,
    active_to: datetime.date | None = None,
) -> Agency:
    """Change an agency's names and active dates; its code and identity stay."""
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    require_province_council(actor, locked)
    new = {
        "name": name,
        "short_name": short_name,
        "active_from": active_from,
        "active_to": active_to,
    }
    changed = {k: v for k, v in new.items() if getattr(locked, k) != v}
    if not changed:
        return locked
    old = {k: getattr(locked, k) for k in changed}
    for key, value in changed.items():
        setattr(locked, key, value)
    locked.full_clean()
    locked.save(update_fields=[*changed, "updated_at"])
    audit.record(
        actor=actor, action="agency.update", target=locked, data={"old": old, "new": changed}
    )
    for key, value in changed.items():
        setattr(agency, key, value)
    return locked


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
    require_province_council(actor, predecessor)
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
    _touch(Agency, [predecessor.pk, successor.pk])
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
def lineage_remove(*, actor: User | None, link: AgencyLineage) -> None:
    """Remove a lineage link entered by mistake."""
    link = (
        AgencyLineage.objects.select_for_update()
        .select_related("predecessor", "successor")
        .get(pk=link.pk)
    )
    require_province_council(actor, link.predecessor)
    data = {
        "predecessor": link.predecessor.code,
        "successor": link.successor.code,
        "kind": link.kind,
        "effective_date": link.effective_date,
    }
    predecessor = link.predecessor
    link.delete()
    _touch(Agency, [link.predecessor_id, link.successor_id])
    audit.record(actor=actor, action="agency.lineage_remove", target=predecessor, data=data)


@transaction.atomic
def bloc_create(
    *,
    actor: User | None,
    province: Province,
    code: str,
    name: str,
    kind: BlocKind | str = BlocKind.BLOC,
    abbreviation: str = "",
) -> Bloc:
    require_province_council(actor, province)
    bloc = Bloc(province=province, code=code, name=name, kind=kind, abbreviation=abbreviation)
    bloc.full_clean()
    bloc.save()
    audit.record(actor=actor, action="bloc.create", target=bloc, data={"code": code})
    return bloc


@transaction.atomic
def bloc_update(
    *,
    actor: User | None,
    bloc: Bloc,
    name: str,
    kind: BlocKind | str,
    is_active: bool = True,
    abbreviation: str | None = None,
) -> Bloc:
    locked = Bloc.objects.select_for_update().get(pk=bloc.pk)
    require_province_council(actor, locked)
    new = {"name": name, "kind": str(kind), "is_active": is_active}
    if abbreviation is not None:
        new["abbreviation"] = abbreviation
    changed = {k: v for k, v in new.items() if getattr(locked, k) != v}
    if not changed:
        return locked
    old = {k: getattr(locked, k) for k in changed}
    for key, value in changed.items():
        setattr(locked, key, value)
    locked.full_clean()
    locked.save(update_fields=[*changed, "updated_at"])
    audit.record(
        actor=actor, action="bloc.update", target=locked, data={"old": old, "new": changed}
    )
    for key, value in changed.items():
        setattr(bloc, key, value)
    return locked


DEADLINE_FIELDS = (
    "registration_deadline",
    "self_assessment_opens",
    "self_assessment_deadline",
    "review_deadline",
    "dispute_deadline",
    "proposal_deadline",
)


def _check_deadlines(deadlines: dict) -> None:
    """The year's dates follow the cycle (DEADLINE_FIELDS is in its order):
    registration ≤ self-assessment opens ≤ self-assessment deadline ≤ review
    ≤ disputes ≤ proposal, among the dates given."""
    unknown = set(deadlines) - set(DEADLINE_FIELDS)
    if unknown:
        raise TypeError(f"unknown deadlines: {sorted(unknown)}")
    given = [(name, deadlines[name]) for name in DEADLINE_FIELDS if deadlines.get(name)]
    for (earlier, earlier_date), (later, later_date) in zip(given, given[1:], strict=False):
        if later_date < earlier_date:
            label = EmulationYear._meta.get_field
            raise ValidationError(
                {
                    later: _(
                        "%(later)s (%(later_date)s) cannot be before the %(earlier)s "
                        "(%(earlier_date)s): the dates follow the cycle — registration, "
                        "self-assessment, review, disputes, proposal."
                    )
                    % {
                        "later": capfirst(label(later).verbose_name),
                        "later_date": later_date.strftime("%d/%m/%Y"),
                        "earlier": label(earlier).verbose_name,
                        "earlier_date": earlier_date.strftime("%d/%m/%Y"),
                    }
                }
            )


@transaction.atomic
def emulation_year_update(
    *, actor: User | None, emulation_year: EmulationYear, **deadlines: datetime.date | None
) -> EmulationYear:
    """Change a year's deadlines (all six are given; None clears one)."""
    locked = EmulationYear.objects.select_for_update().get(pk=emulation_year.pk)
    require_province_council(actor, locked)
    _check_deadlines(deadlines)
    changed = {k: v for k, v in deadlines.items() if getattr(locked, k) != v}
    if not changed:
        return locked
    old = {k: getattr(locked, k) for k in changed}
    for key, value in changed.items():
        setattr(locked, key, value)
    locked.full_clean()
    locked.save(update_fields=list(changed))
    audit.record(
        actor=actor, action="year.update", target=locked, data={"old": old, "new": changed}
    )
    for key, value in changed.items():
        setattr(emulation_year, key, value)
    return locked


@transaction.atomic
def emulation_year_create(
    *, actor: User | None, province: Province, year: int, **deadlines: datetime.date | None
) -> EmulationYear:
    require_province_council(actor, province)
    _check_deadlines(deadlines)
    if EmulationYear.objects.filter(province=province, year=year).exists():
        raise ValidationError(
            _("The year %(year)s already exists in %(province)s.")
            % {"year": year, "province": province}
        )
    emulation_year = EmulationYear(province=province, year=year, **deadlines)
    emulation_year.full_clean()
    emulation_year.save()
    audit.record(
        actor=actor, action="year.create", target=emulation_year, data={"year": year, **deadlines}
    )
    return emulation_year


@transaction.atomic
def bloc_year_create(*, actor: User | None, bloc: Bloc, year: EmulationYear) -> BlocYear:
    """A new bloc-year starts in phase setup; ``bloc_year_advance`` moves it on."""
    require_province_council(actor, bloc)
    if bloc.province_id != year.province_id:
        raise ValidationError(_("The bloc and the year belong to different provinces."))
    if BlocYear.objects.filter(bloc=bloc, year=year).exists():
        raise ValidationError(
            _("%(bloc)s already has a bloc-year for %(year)s.") % {"bloc": bloc, "year": year}
        )
    bloc_year = BlocYear(bloc=bloc, year=year, phase=Phase.SETUP, phase_changed_at=timezone.now())
    bloc_year.full_clean()
    bloc_year.save()
    audit.record(
        actor=actor,
        action="bloc_year.create",
        target=bloc_year,
        data={"bloc": bloc.code, "year": year.year, "phase": Phase.SETUP.value},
    )
    return bloc_year


def _check_members_editable(bloc_year: BlocYear) -> None:
    if bloc_year.phase not in MEMBERSHIP_EDITABLE_PHASES:
        raise ValidationError(
            _(
                "Members can only be changed before the year starts (phase “%(setup)s” or "
                "“%(registration)s”); this bloc-year is in phase “%(phase)s”."
            )
            % {
                "setup": Phase.SETUP.label,
                "registration": Phase.REGISTRATION.label,
                "phase": Phase(bloc_year.phase).label,
            }
        )


@transaction.atomic
def membership_add(
    *,
    actor: User | None,
    bloc_year: BlocYear,
    agency: Agency,
    role: MemberRole | str = MemberRole.MEMBER,
    rotation_order: int | None = None,
) -> Membership:
    """Add an agency to a bloc-year before the year starts.

    The database also refuses a second leader or deputy and an agency in two
    blocs in one year. Without ``rotation_order`` the agency goes last.
    """
    bloc_year = (
        BlocYear.objects.select_for_update().select_related("bloc", "year").get(pk=bloc_year.pk)
    )
    _require_manager(actor, bloc_year)
    _check_members_editable(bloc_year)
    if agency.province_id != bloc_year.bloc.province_id:
        raise ValidationError(_("The agency belongs to another province."))
    if not agencies_active_in_year(bloc_year.year.year).filter(pk=agency.pk).exists():
        raise ValidationError(
            _(
                "%(agency)s is not active through %(year)s (active %(start)s – %(end)s): "
                "it cannot be a member that year."
            )
            % {
                "agency": agency,
                "year": bloc_year.year.year,
                "start": agency.active_from.strftime("%d/%m/%Y") if agency.active_from else "…",
                "end": agency.active_to.strftime("%d/%m/%Y") if agency.active_to else "…",
            }
        )
    if Membership.objects.filter(agency=agency, year_id=bloc_year.year_id).exists():
        raise ValidationError(
            _("%(agency)s is already a member of a bloc in %(year)s.")
            % {"agency": agency, "year": bloc_year.year}
        )
    if role in SECRETARIAT_ROLES and bloc_year.memberships.filter(role=role).exists():
        raise ValidationError(
            _("This bloc-year already has a %(role)s.") % {"role": MemberRole(role).label.lower()}
        )
    if rotation_order is None:
        rotation_order = (bloc_year.memberships.aggregate(m=Max("rotation_order"))["m"] or 0) + 1
    membership = Membership.objects.create(
        bloc_year=bloc_year,
        year_id=bloc_year.year_id,
        agency=agency,
        role=role,
        rotation_order=rotation_order,
    )
    _touch(BlocYear, [bloc_year.pk])
    audit.record(
        actor=actor,
        action="membership.add",
        target=membership,
        data={"agency": agency.code, "role": str(role), "bloc_year": bloc_year.pk},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User | None, membership: Membership) -> None:
    """Remove a member from a bloc-year before the year starts."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("bloc_year", "agency")
        .get(pk=membership.pk)
    )
    _require_manager(actor, membership.bloc_year)
    _check_members_editable(membership.bloc_year)
    data = {
        "agency": membership.agency.code,
        "role": membership.role,
        "bloc_year": membership.bloc_year_id,
    }
    bloc_year = membership.bloc_year
    membership.delete()
    _touch(BlocYear, [bloc_year.pk])
    audit.record(actor=actor, action="membership.remove", target=bloc_year, data=data)


@transaction.atomic
def membership_update(
    *,
    actor: User | None,
    membership: Membership,
    role: MemberRole | str,
    rotation_order: int,
) -> Membership:
    """Change a member's role and rotation order before the year starts.

    Making a member leader (or deputy) hands the previous leader (deputy) the
    role of ordinary member, in the same transaction.
    """
    locked = list(
        Membership.objects.select_for_update()
        .filter(bloc_year_id=membership.bloc_year_id)
        .select_related("bloc_year", "agency")
    )
    current = next(m for m in locked if m.pk == membership.pk)
    _require_manager(actor, current.bloc_year)
    _check_members_editable(current.bloc_year)
    role = MemberRole(role)
    if rotation_order < 0:
        raise ValidationError(_("The rotation order cannot be negative."))
    old = {"role": current.role, "rotation_order": current.rotation_order}
    demoted = None
    if role in SECRETARIAT_ROLES and current.role != role:
        demoted = next((m for m in locked if m.role == role and m.pk != current.pk), None)
        if demoted is not None:
            demoted.role = MemberRole.MEMBER
            demoted.save(update_fields=["role"])
    current.role = role
    current.rotation_order = rotation_order
    current.save(update_fields=["role", "rotation_order"])
    _touch(BlocYear, [current.bloc_year_id])
    audit.record(
        actor=actor,
        action="membership.update",
        target=current,
        data={
            "old": old,
            "new": {"role": str(role), "rotation_order": rotation_order},
            "demoted": demoted.agency.code if demoted else None,
        },
    )
    membership.role, membership.rotation_order = current.role, current.rotation_order
    return current


def proposed_deadlines(year: EmulationYear) -> dict[str, datetime.date | None]:
    """The next year's deadlines as carrying forward proposes them: this
    year's, moved one year on."""
    return {name: shift_year(getattr(year, name)) for name in DEADLINE_FIELDS}


@transaction.atomic
def bloc_year_carry_forward(
    *,
    actor: User | None,
    bloc_year: BlocYear,
    leader: Agency | None = None,
    deputy: Agency | None = None,
    as_of: datetime.date | None = None,
    deadlines: dict[str, datetime.date | None] | None = None,
) -> BlocYear:
    """Copy a bloc-year into the next year, in one audited transaction.

    The next EmulationYear is created if needed, with ``deadlines`` (the page
    proposes this year's moved one year on, ``proposed_deadlines``; those not
    given are moved so), refused when out of the cycle's order.
    Members are replaced by their successors as of ``as_of`` (merged agencies
    appear once, inactive ones are dropped; see ``carry_forward_plan``); the
    leader and deputy are the ones given, or else the plan's proposal (the next
    members in the rotation order). The new bloc-year starts in phase setup.
    """
    bloc_year = (
        BlocYear.objects.select_for_update().select_related("bloc", "year").get(pk=bloc_year.pk)
    )
    _require_manager(actor, bloc_year)
    plan = carry_forward_plan(bloc_year, as_of=as_of)
    if plan.existing_year is None:
        # Only council staff create a province's year; the secretariat carries
        # its bloc forward into a year the council has already set up.
        require_province_council(actor, bloc_year)
    if plan.already_done is not None:
        raise ValidationError(
            _("%(bloc)s has already been carried forward to %(year)s.")
            % {"bloc": bloc_year.bloc, "year": plan.next_year}
        )
    if not plan.agencies:
        raise ValidationError(_("No member can be carried forward to the next year."))
    leader = leader if leader is not None else plan.leader
    deputy = deputy if deputy is not None else plan.deputy
    member_ids = {a.pk for a in plan.agencies}
    if leader is None or leader.pk not in member_ids:
        raise ValidationError(_("The leader must be one of next year's members."))
    if deputy is not None and deputy.pk not in member_ids:
        raise ValidationError(_("The deputy leader must be one of next year's members."))
    if deputy is not None and deputy.pk == leader.pk:
        raise ValidationError(_("The leader and the deputy leader must be different agencies."))

    year = plan.existing_year
    old_year = bloc_year.year
    if year is None:
        new_deadlines = {**proposed_deadlines(old_year), **(deadlines or {})}
        _check_deadlines(new_deadlines)
        year = EmulationYear(province_id=old_year.province_id, year=plan.next_year, **new_deadlines)
        year.full_clean()
        year.save()
    elif deadlines:
        raise ValidationError(
            _("The year %(year)s exists: change its deadlines on the year's page.")
            % {"year": plan.next_year}
        )
    new = BlocYear(
        bloc=bloc_year.bloc, year=year, phase=Phase.SETUP, phase_changed_at=timezone.now()
    )
    new.full_clean()
    new.save()
    Membership.objects.bulk_create(
        [
            Membership(
                bloc_year=new,
                year=year,
                agency=agency,
                role=(
                    MemberRole.LEADER
                    if agency.pk == leader.pk
                    else MemberRole.DEPUTY
                    if deputy is not None and agency.pk == deputy.pk
                    else MemberRole.MEMBER
                ),
                rotation_order=order,
            )
            for order, agency in enumerate(plan.agencies, start=1)
        ]
    )
    audit.record(
        actor=actor,
        action="bloc_year.carry_forward",
        target=new,
        data={
            "from": bloc_year.pk,
            "year": plan.next_year,
            "year_created": plan.existing_year is None,
            "deadlines": {name: getattr(year, name) for name in DEADLINE_FIELDS}
            if plan.existing_year is None
            else None,
            "as_of": plan.as_of,
            "members": [a.code for a in plan.agencies],
            "replaced": {
                line.old.agency.code: line.new_agency.code
                for line in plan.lines
                if line.new_agency is not None and line.new_agency.pk != line.old.agency_id
            },
            "dropped": [line.old.agency.code for line in plan.lines if line.new_agency is None],
            "leader": leader.code,
            "deputy": deputy.code if deputy else None,
            "proposed_leader": plan.leader.code if plan.leader else None,
        },
    )
    return new
