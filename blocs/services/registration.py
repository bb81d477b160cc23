"""Writes for the start of the year: movements, the covenant, registrations of
targets and titles, and progress reports on the targets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blocs.enums import (
    COVENANT_TRANSITIONS,
    PROGRESS_PHASES,
    REGISTRATION_COUNTED_STATES,
    REGISTRATION_EDITABLE_STATES,
    REGISTRATION_PHASES,
    REGISTRATION_TRANSITIONS,
    START_OF_YEAR_PHASES,
    CovenantState,
    DeadlineStep,
    MovementLauncher,
    Phase,
    ProgressPeriod,
    RegistrationState,
)
from blocs.models import (
    BlocYear,
    BlocYearMovement,
    Covenant,
    Membership,
    Movement,
    Province,
    Registration,
    RegistrationTarget,
    TargetProgress,
)
from blocs.selectors.deadlines import effective_deadline, membership_deadlines
from blocs.selectors.registration import covenant_spec
from emulation import audit
from emulation.documents.services import document_issue
from emulation.enums import DocumentKind
from emulation.models import IssuedDocument, User
from emulation.refusals import require, require_actor
from emulation.uploads import safe_original_name, validate_upload

SCAN_KINDS = ("pdf", "jpg", "png")
MOVEMENT_DOCUMENT_KINDS = ("pdf", "docx")


def _phase_label(bloc_year: BlocYear) -> str:
    return str(Phase(bloc_year.phase).label).lower()


def _require_phase(bloc_year: BlocYear, phases, message: str) -> None:
    if bloc_year.phase not in phases:
        raise ValidationError(message % {"phase": _phase_label(bloc_year)})


# --- movements -----------------------------------------------------------------


MOVEMENT_FIELDS = (
    "title",
    "launched_by",
    "launch_document",
    "starts_on",
    "ends_on",
    "anniversary",
    "description",
    "is_active",
)


def _require_secretariat(actor: User, bloc_year: BlocYear) -> None:
    """The bloc's secretariat runs its start of the year: movements taken up,
    the covenant, reminders."""
    require(actor, "blocs.run_bloc_year", bloc_year, _("Only the bloc's secretariat can do this."))


def _attach_document(movement: Movement, document) -> None:
    if document is None:
        return
    validate_upload(document, allowed=MOVEMENT_DOCUMENT_KINDS)
    movement.document_name = safe_original_name(document.name)
    movement.document.save(document.name, document, save=False)


@transaction.atomic
def movement_create(
    *,
    actor: User | None,
    province: Province,
    title: str,
    launched_by: MovementLauncher | str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    launch_document: str = "",
    anniversary: str = "",
    description: str = "",
    document=None,
) -> Movement:
    launcher = _("Only council staff of a province can launch movements.")
    require_actor(actor, "blocs.launch_movement", None, launcher)
    require_actor(actor, "blocs.edit_movement", province, launcher)
    if Movement.objects.filter(province=province, title__iexact=title.strip()).exists():
        raise ValidationError(_("A movement with this title already exists."))
    movement = Movement(
        province=province,
        title=title.strip(),
        launched_by=launched_by,
        starts_on=starts_on,
        ends_on=ends_on,
        launch_document=launch_document,
        anniversary=anniversary,
        description=description,
    )
    movement.full_clean(exclude=["document"])
    _check_dates(starts_on, ends_on)
    _attach_document(movement, document)
    movement.save()
    audit.record(
        actor=actor,
        action="movement.create",
        target=movement,
        data={"title": movement.title, "launched_by": str(launched_by), "starts_on": starts_on},
    )
    return movement


def _check_dates(starts_on, ends_on) -> None:
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        raise ValidationError(_("The end date cannot be before the start date."))


@transaction.atomic
def movement_update(
    *, actor: User | None, movement: Movement, document=None, **changes
) -> Movement:
    """Change a movement's fields (those in MOVEMENT_FIELDS) and/or its document."""
    unknown = set(changes) - set(MOVEMENT_FIELDS)
    if unknown:
        raise TypeError(f"movement_update: unknown fields {sorted(unknown)}")
    locked = Movement.objects.select_for_update().get(pk=movement.pk)
    require_actor(
        actor, "blocs.edit_movement", locked, _("Only council staff can change movements.")
    )
    before = {name: getattr(locked, name) for name in changes}
    changed = [name for name, value in changes.items() if before[name] != value]
    for name in changed:
        setattr(locked, name, changes[name])
    if "title" in changed and (
        Movement.objects.filter(province_id=locked.province_id, title__iexact=locked.title)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(_("A movement with this title already exists."))
    _check_dates(locked.starts_on, locked.ends_on)
    if document is not None:
        _attach_document(locked, document)
        changed += ["document", "document_name"]
    if not changed:
        return locked
    locked.full_clean(exclude=["document"])
    locked.save(update_fields=changed)
    audit.record(
        actor=actor,
        action="movement.update",
        target=locked,
        data={
            "changed": {
                name: [before.get(name), changes.get(name)] for name in changed if name in changes
            },
            "document": locked.document_name if document is not None else None,
        },
    )
    return locked


@transaction.atomic
def bloc_year_movement_take_up(
    *, actor: User, bloc_year: BlocYear, movement: Movement, note: str = ""
) -> BlocYearMovement:
    locked = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
    _require_secretariat(actor, locked)
    _require_phase(
        locked,
        START_OF_YEAR_PHASES,
        _("Movements can no longer be taken up: the bloc-year is at the %(phase)s phase."),
    )
    if movement.province_id != locked.bloc.province_id:
        raise ValidationError(_("This movement belongs to another province."))
    if not movement.is_active:
        raise ValidationError(_("This movement has ended and can no longer be taken up."))
    if BlocYearMovement.objects.filter(bloc_year=locked, movement=movement).exists():
        raise ValidationError(_("The bloc has already taken up this movement."))
    link = BlocYearMovement.objects.create(bloc_year=locked, movement=movement, note=note)
    audit.record(
        actor=actor,
        action="bloc_year.movement_take_up",
        target=locked,
        data={"movement": movement.pk, "title": movement.title, "note": note},
    )
    return link


@transaction.atomic
def bloc_year_movement_drop(*, actor: User, link: BlocYearMovement) -> None:
    locked = BlocYear.objects.select_for_update().get(pk=link.bloc_year_id)
    _require_secretariat(actor, locked)
    _require_phase(
        locked,
        START_OF_YEAR_PHASES,
        _("Movements can no longer be changed: the bloc-year is at the %(phase)s phase."),
    )
    link = BlocYearMovement.objects.select_related("movement").get(pk=link.pk)
    title = link.movement.title
    link.delete()
    audit.record(
        actor=actor,
        action="bloc_year.movement_drop",
        target=locked,
        data={"movement": link.movement_id, "title": title},
    )


# --- covenant ------------------------------------------------------------------


def _lock_covenant(covenant: Covenant) -> Covenant:
    return Covenant.objects.select_for_update().select_related("bloc_year").get(pk=covenant.pk)


def _covenant_transition(covenant: Covenant, new: CovenantState) -> None:
    if new not in COVENANT_TRANSITIONS[CovenantState(covenant.state)]:
        raise ValidationError(
            _("The covenant is %(state)s; it cannot become %(new)s.")
            % {"state": covenant.get_state_display().lower(), "new": new.label.lower()}
        )


@transaction.atomic
def covenant_save(
    *,
    actor: User,
    bloc_year: BlocYear,
    signed_on: datetime.date,
    place: str,
    content: str,
    number: str = "",
) -> Covenant:
    """Create the bloc-year's covenant, or change it while it is unsigned."""
    locked = BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
    _require_secretariat(actor, locked)
    _require_phase(
        locked,
        START_OF_YEAR_PHASES,
        _("The covenant can no longer be changed: the bloc-year is at the %(phase)s phase."),
    )
    if not content.strip():
        raise ValidationError(_("Write the content of the covenant."))
    values = {"signed_on": signed_on, "place": place, "content": content, "number": number}
    covenant = Covenant.objects.select_for_update().filter(bloc_year=locked).first()
    if covenant is None:
        covenant = Covenant(bloc_year=locked, **values)
        covenant.full_clean(exclude=["signed_scan"])
        covenant.save()
        audit.record(
            actor=actor,
            action="covenant.create",
            target=covenant,
            data={"signed_on": signed_on, "number": number},
        )
        return covenant
    if covenant.state != CovenantState.DRAFT:
        raise ValidationError(_("The covenant has been signed; its content can no longer change."))
    changed = [name for name, value in values.items() if getattr(covenant, name) != value]
    if not changed:
        return covenant
    old = {name: getattr(covenant, name) for name in changed if name != "content"}
    for name in changed:
        setattr(covenant, name, values[name])
    covenant.full_clean(exclude=["signed_scan"])
    covenant.save(update_fields=[*changed, "updated_at"])
    audit.record(
        actor=actor,
        action="covenant.update",
        target=covenant,
        data={"changed": changed, "old": old},
    )
    return covenant


@transaction.atomic
def covenant_record_signing(*, actor: User, covenant: Covenant, scan) -> Covenant:
    """Attach the signed scan: the covenant is then signed and frozen."""
    locked = _lock_covenant(covenant)
    _require_secretariat(actor, locked.bloc_year)
    _covenant_transition(locked, CovenantState.SIGNED)
    validate_upload(scan, allowed=SCAN_KINDS)
    locked.signed_scan_name = safe_original_name(scan.name)
    locked.signed_scan.save(scan.name, scan, save=False)
    locked.state = CovenantState.SIGNED
    locked.save(update_fields=["signed_scan", "signed_scan_name", "state", "updated_at"])
    audit.record(
        actor=actor,
        action="covenant.sign",
        target=locked,
        data={"file": locked.signed_scan_name},
    )
    return locked


def covenant_issue_document(*, actor: User, covenant: Covenant) -> IssuedDocument:
    """Issue the generated covenant (DOCX and PDF) as a new stored version.
    ``document_issue`` is atomic and writes the one audit event."""
    _require_secretariat(actor, covenant.bloc_year)

    spec = covenant_spec(covenant, draft=False)
    # The title is stored with the document, which is written in Vietnamese:
    # it does not take the language of whoever issues it.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Emulation covenant %(year)s – %(bloc)s") % {
            "year": covenant.bloc_year.year.year,
            "bloc": covenant.bloc_year.bloc.name,
        }
    return document_issue(
        actor=actor,
        kind=DocumentKind.COVENANT,
        spec=spec,
        title=title,
        bloc_year=covenant.bloc_year,
    )


# --- registration ------------------------------------------------------------------


def registration_window_open(membership: Membership, registration: Registration | None) -> bool:
    """Whether the agency may still change or submit its registration today."""
    try:
        _check_window(membership, registration, None)
    except ValidationError:
        return False
    return True


def _check_window(
    membership: Membership, registration: Registration | None, today: datetime.date | None
) -> None:
    bloc_year = membership.bloc_year
    _require_phase(
        bloc_year,
        REGISTRATION_PHASES,
        _("Registration is closed: the bloc-year is at the %(phase)s phase."),
    )
    if registration is not None and registration.state == RegistrationState.REOPENED:
        return  # the secretariat reopened it: the deadline no longer applies
    deadline = effective_deadline(bloc_year, DeadlineStep.REGISTRATION, membership)
    if deadline is not None and (today or timezone.localdate()) > deadline:
        raise ValidationError(
            _(
                "The registration deadline (%(deadline)s) has passed. Ask the bloc's "
                "secretariat to reopen your registration, or the council to extend the deadline."
            )
            % {"deadline": deadline.strftime("%d/%m/%Y")}
        )


def _lock_membership(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("bloc_year", "bloc_year__year", "agency")
        .get(pk=membership.pk)
    )


def _editable_registration(
    actor: User, membership: Membership, today: datetime.date | None = None
) -> Registration:
    """Lock the membership, and return its registration (created as a draft
    when missing) if ``actor``'s agency is the member and may change it now."""
    locked = _lock_membership(membership)
    require(
        actor,
        "blocs.edit_registration",
        locked,
        _("Only the agency itself can change its registration."),
    )
    registration = Registration.objects.select_for_update().filter(membership=locked).first()
    _check_window(locked, registration, today)
    if registration is None:
        registration = Registration.objects.create(membership=locked)
    elif registration.state not in REGISTRATION_EDITABLE_STATES:
        raise ValidationError(
            _(
                "Your registration has been submitted and can no longer be changed. Ask "
                "the bloc's secretariat to reopen it."
            )
        )
    registration.membership = locked
    return registration


@transaction.atomic
def registration_target_add(
    *,
    actor: User,
    membership: Membership,
    indicator: str,
    unit: str,
    target_value: Decimal,
    today: datetime.date | None = None,
) -> RegistrationTarget:
    """Add a target to the agency's registration (created as a draft when missing).

    ``today`` (default: the current date) is the date the deadline is checked
    against; only the demo and imports of past years pass it."""
    registration = _editable_registration(actor, membership, today)
    indicator = indicator.strip()
    if registration.targets.filter(indicator__iexact=indicator).exists():
        raise ValidationError(_("You have already registered this indicator."))
    if target_value is None or target_value <= 0:
        raise ValidationError(_("The target value must be greater than zero."))
    last = registration.targets.order_by("-order").values_list("order", flat=True).first()
    target = RegistrationTarget(
        registration=registration,
        order=(last or 0) + 1,
        indicator=indicator,
        unit=unit.strip(),
        target_value=Decimal(target_value).quantize(Decimal("0.01")),
    )
    target.full_clean()
    target.save()
    audit.record(
        actor=actor,
        action="registration.target_add",
        target=registration,
        data={"indicator": indicator, "unit": target.unit, "target_value": target.target_value},
    )
    return target


@transaction.atomic
def registration_target_remove(*, actor: User, target: RegistrationTarget) -> None:
    target = RegistrationTarget.objects.select_related("registration").get(pk=target.pk)
    registration = _editable_registration(actor, target.registration.membership)
    if target.registration_id != registration.pk:  # pragma: no cover - defensive
        raise ValidationError(_("This target belongs to another registration."))
    data = {"indicator": target.indicator, "target_value": target.target_value}
    target.delete()
    audit.record(actor=actor, action="registration.target_remove", target=registration, data=data)


@transaction.atomic
def registration_set_award_types(
    *,
    actor: User,
    membership: Membership,
    award_types,
    note: str = "",
    today: datetime.date | None = None,
) -> Registration:
    """The titles and commendation forms the agency aims for this year."""
    registration = _editable_registration(actor, membership, today)
    wanted = list(award_types)
    inactive = [a for a in wanted if not a.is_active]
    if inactive:
        raise ValidationError(_("%(name)s is no longer awarded.") % {"name": inactive[0].name})
    before = set(registration.award_types.values_list("code", flat=True))
    registration.award_types.set(wanted)
    if registration.note != note:
        registration.note = note
        registration.save(update_fields=["note"])
    audit.record(
        actor=actor,
        action="registration.set_award_types",
        target=registration,
        data={"old": sorted(before), "new": sorted(a.code for a in wanted)},
    )
    return registration


def _registration_transition(registration: Registration, new: RegistrationState) -> None:
    if new not in REGISTRATION_TRANSITIONS[RegistrationState(registration.state)]:
        raise ValidationError(
            _("The registration is %(state)s; it cannot become %(new)s.")
            % {"state": registration.get_state_display().lower(), "new": new.label.lower()}
        )


@transaction.atomic
def registration_submit(
    *, actor: User, membership: Membership, today: datetime.date | None = None
) -> Registration:
    """The agency's head submits the registration (before the deadline)."""
    locked = _lock_membership(membership)
    require(
        actor,
        "blocs.submit_registration",
        locked,
        _("Only the head of the agency can submit the registration."),
    )
    registration = Registration.objects.select_for_update().filter(membership=locked).first()
    if registration is None:
        raise ValidationError(_("Register at least one target before submitting."))
    _registration_transition(registration, RegistrationState.SUBMITTED)
    _check_window(locked, registration, today)
    if not registration.targets.exists():
        raise ValidationError(_("Register at least one target before submitting."))
    old = registration.state
    registration.state = RegistrationState.SUBMITTED
    registration.submitted_at = (
        timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
        if today
        else timezone.now()
    )
    registration.submitted_by = actor
    registration.save(update_fields=["state", "submitted_at", "submitted_by"])
    audit.record(
        actor=actor,
        action="registration.submit",
        target=registration,
        data={
            "old": old,
            "targets": registration.targets.count(),
            "award_types": sorted(registration.award_types.values_list("code", flat=True)),
        },
    )
    return registration


@transaction.atomic
def registration_reopen(*, actor: User, registration: Registration, reason: str) -> Registration:
    """The secretariat reopens one agency's registration, with a reason; the
    deadline then no longer applies to it until it is submitted again."""
    locked = (
        Registration.objects.select_for_update()
        .select_related("membership__bloc_year", "membership__agency")
        .get(pk=registration.pk)
    )
    require(
        actor,
        "blocs.reopen_registration",
        locked.membership,
        _("Only the bloc's secretariat can reopen a registration."),
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening the registration."))
    _registration_transition(locked, RegistrationState.REOPENED)
    _require_phase(
        locked.membership.bloc_year,
        REGISTRATION_PHASES,
        _("Registration is closed: the bloc-year is at the %(phase)s phase."),
    )
    locked.state = RegistrationState.REOPENED
    locked.reopened_reason = reason
    locked.reopened_at = timezone.now()
    locked.save(update_fields=["state", "reopened_reason", "reopened_at"])
    audit.record(
        actor=actor,
        action="registration.reopen",
        target=locked,
        data={"agency": locked.membership.agency.code, "reason": reason},
    )
    return locked


@transaction.atomic
def registration_remind(*, actor: User, bloc_year: BlocYear, base_url: str = "") -> list[str]:
    """E-mail the users of every member agency that has not registered yet
    (sent after the commit). Returns the names of the agencies reminded."""
    locked = (
        BlocYear.objects.select_for_update().select_related("bloc", "year").get(pk=bloc_year.pk)
    )
    _require_secretariat(actor, locked)
    _require_phase(
        locked,
        REGISTRATION_PHASES,
        _("Registration is closed: the bloc-year is at the %(phase)s phase."),
    )
    missing = list(
        Membership.objects.filter(bloc_year=locked)
        .exclude(registration__state__in=REGISTRATION_COUNTED_STATES)
        .select_related("agency", "bloc_year__year")
        .order_by("rotation_order", "agency__name")
    )
    if not missing:
        raise ValidationError(_("Every member has registered; nobody needs a reminder."))
    deadlines = membership_deadlines(missing, DeadlineStep.REGISTRATION)
    subject = _("Reminder: emulation registration %(year)s") % {"year": locked.year.year}

    def body(deadline):
        return _(
            "Your agency has not yet registered its emulation targets and titles for %(year)s "
            "in %(bloc)s.%(deadline)s Please register at %(url)s"
        ) % {
            "year": locked.year.year,
            "bloc": locked.bloc.name,
            "deadline": (
                " " + _("The deadline is %(date)s.") % {"date": deadline.strftime("%d/%m/%Y")}
                if deadline
                else ""
            ),
            "url": base_url or "",
        }

    emails = {agency_id: [] for agency_id in (m.agency_id for m in missing)}
    for agency_id, email in (
        User.objects.filter(agency_id__in=list(emails), is_active=True)
        .exclude(email="")
        .values_list("agency_id", "email")
    ):
        emails[agency_id].append(email)
    messages = [
        (subject, body(deadlines[m.pk].date), settings.DEFAULT_FROM_EMAIL, emails[m.agency_id])
        for m in missing
        if emails[m.agency_id]
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    audit.record(
        actor=actor,
        action="registration.remind",
        target=locked,
        data={
            "agencies": [m.agency.code for m in missing],
            "recipients": sum(len(r) for r in emails.values()),
        },
    )
    return [m.agency.name for m in missing]


# --- progress on the targets ----------------------------------------------------------


@transaction.atomic
def target_progress_report(
    *,
    actor: User,
    membership: Membership,
    period: ProgressPeriod | str,
    values: dict[int, tuple[Decimal | None, str]],
) -> list[TargetProgress]:
    """Record what the agency achieved on its targets, at the mid-year review
    or at the year end. ``values`` maps target ids to (value, comment); a
    None value leaves that target unreported."""
    period = ProgressPeriod(period)
    locked = _lock_membership(membership)
    require(
        actor,
        "blocs.edit_registration",
        locked,
        _("Only the agency itself can change its registration."),
    )
    _require_phase(
        locked.bloc_year,
        PROGRESS_PHASES[period],
        _("This report cannot be made now: the bloc-year is at the %(phase)s phase."),
    )
    registration = Registration.objects.filter(membership=locked).first()
    if registration is None or registration.state not in REGISTRATION_COUNTED_STATES:
        raise ValidationError(_("Report on your targets after your registration is submitted."))
    targets = {t.pk: t for t in registration.targets.all()}
    unknown = set(values) - set(targets)
    if unknown:
        raise ValidationError(_("A target in the report does not belong to your registration."))
    existing = {
        p.target_id: p
        for p in TargetProgress.objects.select_for_update().filter(
            target__in=list(targets.values()), period=period
        )
    }
    saved, changes = [], {}
    for target_id, (value, comment) in values.items():
        if value is None:
            continue
        if value < 0:
            raise ValidationError(_("An achieved value cannot be negative."))
        value = Decimal(value).quantize(Decimal("0.01"))
        progress = existing.get(target_id)
        if progress is None:
            progress = TargetProgress.objects.create(
                target=targets[target_id],
                period=period,
                value=value,
                comment=comment,
                reported_by=actor,
            )
        elif progress.value != value or progress.comment != comment:
            changes[target_id] = {"old": progress.value}
            progress.value, progress.comment, progress.reported_by = value, comment, actor
            progress.save(update_fields=["value", "comment", "reported_by", "reported_at"])
        else:
            continue
        changes.setdefault(target_id, {})["new"] = value
        saved.append(progress)
    if not saved:
        return saved
    audit.record(
        actor=actor,
        action="registration.progress_report",
        target=registration,
        data={"period": str(period), "targets": {str(k): v for k, v in changes.items()}},
    )
    return saved
