"""Writes of self-assessments: autosaved fields, evidence, submission, return,
reopening after the deadline, delegation, reminders."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import scoring_math
from blocs.enums import (
    ASSESSMENT_EDITABLE_STATES,
    ASSESSMENT_PHASES,
    ASSESSMENT_TRANSITIONS,
    AssessmentState,
    DeadlineStep,
    Phase,
)
from blocs.models import (
    AssessmentDelegation,
    Criterion,
    Evidence,
    ItemScore,
    ReminderSent,
    SelfAssessment,
)
from blocs.selectors.assessment import (
    ItemState,
    assessment_view,
    deadline_passed,
    edit_refusal,
    progress_by_assessment,
)
from blocs.selectors.deadlines import extensions_read_with, keep_extensions, membership_deadlines
from blocs.selectors.organisation import secretariat_users, users_of_agency
from emulation import audit
from emulation.enums import NotificationKind
from emulation.models import User
from emulation.prepared import PreparedQuery, PreparedUpdate
from emulation.services import notification_send
from emulation.uploads import safe_original_name, validate_upload

ITEM_FIELDS = ("score", "note", "not_applicable")
NOTE_MAX_LENGTH = 5000

# What each autosaved field takes: the page's form cleans the typed text to these.
ItemValue = Decimal | bool | str | None
_ITEM_TYPES: dict[str, tuple[type, ...]] = {
    "score": (Decimal, type(None)),
    "not_applicable": (bool,),
    "note": (str,),
}


class StaleVersion(ValidationError):
    """A save based on an older version: someone else changed the field."""

    def __init__(self, message, current):
        super().__init__(message, code="stale")
        self.current = current


class IncompleteAssessment(ValidationError):
    """A submission refused because criteria are not scored or lack their
    evidence; it names them, so that the page can link to each."""

    def __init__(self, *, unscored: list[Criterion], missing_evidence: list[Criterion]):
        messages = []
        if unscored:
            messages.append(
                _(
                    "%(missing)s criteria are not scored yet; score them (or mark them not "
                    "applicable) before submitting."
                )
                % {"missing": len(unscored)}
            )
        if missing_evidence:
            messages.append(
                _("Evidence is missing for %(count)s criteria that require it.")
                % {"count": len(missing_evidence)}
            )
        super().__init__(messages, code="incomplete")
        self.unscored = unscored
        self.missing_evidence = missing_evidence


def _locking(pk: int):
    # The assessment's row, and its bloc-year's so that the phase and the
    # deadline cannot move while a save is checked and written. The
    # bloc-year's only shared (see below): the members of a bloc save their
    # own assessments at the same time, near the deadline, and none of them
    # waits for another's. Not the rows read with them: the province's year
    # and the bloc are shared by every autosave of the province. The
    # bloc-year's deadline extensions come with them (whether the deadline
    # has passed).
    return (
        SelfAssessment.objects.select_for_update(of=("self", "membership__bloc_year"))
        .select_related("membership__bloc_year__year", "membership__bloc_year__bloc")
        .filter(pk=pk)
        .annotate(bloc_year_extensions=extensions_read_with("membership__bloc_year_id"))
        .order_by()
    )


# Every autosave locks its assessment (FOR UPDATE) and its bloc-year (FOR
# SHARE: a phase's move or a deadline's extension waits for the saves under
# way, and the saves of other members go on): compiled once per process.
_locked_assessment = PreparedQuery(_locking, shared=("membership__bloc_year",))

# And, under that lock, the assessment's items: what the totals need of each
# (its criterion, score, "not applicable" and how many files it has) and what
# the save needs of its own item (its key, version and saver, and its note,
# the only one read). Every writer of an item locks its assessment first, so
# the items need no lock of their own: none changes until this save commits.
_saving_items = PreparedQuery(
    lambda assessment_id, criterion_id: (
        ItemScore.objects.filter(assessment_id=assessment_id)
        .annotate(
            files=Count("evidence"),
            saved_note=Case(When(criterion_id=criterion_id, then="note")),
        )
        .order_by()
        .values_list(
            "criterion_id",
            "score",
            "not_applicable",
            "files",
            "id",
            "saved_note",
            "version",
            "updated_by_id",
        )
    ),
    arity=2,
)
# The saved item's columns as read, in the model's order: all but the time of
# its last change, which the save sets.
_SAVED_ITEM = [f.attname for f in ItemScore._meta.concrete_fields if f.name != "updated_at"]


# What an autosave writes, as save(update_fields=...) would: compiled once per process.
_save_item = PreparedUpdate(
    ItemScore, ["score", "not_applicable", "note", "version", "updated_by", "updated_at"]
)
_save_assessment_change = PreparedUpdate(SelfAssessment, ["state", "updated_by", "updated_at"])


def _lock(assessment: SelfAssessment) -> SelfAssessment:
    found = _locked_assessment(assessment.pk)
    if not found:
        raise SelfAssessment.DoesNotExist
    locked = found[0]
    keep_extensions(locked.membership.bloc_year, locked.bloc_year_extensions)
    return locked


def assessment_transition(assessment: SelfAssessment, new: AssessmentState) -> str:
    """The one place that changes a self-assessment's state field, by the table
    ``ASSESSMENT_TRANSITIONS`` (the caller saves)."""
    old = assessment.state
    if new not in ASSESSMENT_TRANSITIONS[old]:
        raise ValidationError(
            _("A self-assessment cannot go from “%(old)s” to “%(new)s”.")
            % {"old": AssessmentState(old).label, "new": AssessmentState(new).label}
        )
    assessment.state = new
    return old


def _check_editable(
    actor: User, assessment: SelfAssessment, at: datetime.datetime | None = None
) -> None:
    refusal = edit_refusal(actor, assessment, at)
    if refusal:
        raise PermissionDenied(refusal)


@transaction.atomic
def item_score_save(
    *,
    actor: User,
    assessment: SelfAssessment,
    criterion: Criterion,
    field: str,
    value: ItemValue,
    base_version: int,
    at: datetime.datetime | None = None,
) -> ItemScore:
    """Save one field of one criterion (autosave): ``score`` takes a Decimal
    (or None to clear it), ``not_applicable`` a bool, ``note`` a str. Refuses
    a score outside the criterion's bounds or step, and a save based on an
    older version of the row, with a message showing the current value.

    The item returned carries ``assessment_states``: every item of the
    assessment as this save leaves them (criterion id → ItemState), for the
    totals an autosave answers."""
    if field not in ITEM_FIELDS:
        raise ValidationError(_("Unknown field."))
    if not isinstance(value, _ITEM_TYPES[field]):
        raise TypeError(f"{field} takes {_ITEM_TYPES[field]}, not {type(value).__name__}")
    locked = _lock(assessment)
    _check_editable(actor, locked, at)
    if criterion.table_id != locked.table_id:
        raise ValidationError(_("This criterion is not in the assessment's table."))
    states, item = {}, None
    rows = _saving_items(locked.pk, criterion.pk)
    for criterion_id, score, not_applicable, files, pk, note, version, saver in rows:
        states[criterion_id] = ItemState(score, not_applicable, files)
        if criterion_id == criterion.id:
            item = ItemScore.from_db(
                ItemScore.objects.db,
                _SAVED_ITEM,
                (pk, locked.pk, criterion_id, score, not_applicable, note, version, saver),
            )
    if item is None:  # the criterion's first save (a concurrent first save is caught here too)
        item, _created = ItemScore.objects.select_for_update().get_or_create(
            assessment=locked, criterion=criterion
        )
    item.criterion = criterion  # the audit names it
    if item.version != base_version:
        current = {
            "score": scoring_math.fmt(item.score) or "—",
            "note": item.note or "—",
            "not_applicable": _("yes") if item.not_applicable else _("no"),
        }[field]
        name = (item.updated_by.get_full_name() if item.updated_by else "") or _("someone else")
        raise StaleVersion(
            _(
                "%(name)s changed this criterion meanwhile; the current value is “%(value)s”. "
                "Your change was not saved: check it and enter it again."
            )
            % {"name": name, "value": current},
            current,
        )
    old = getattr(item, field)
    if field == "score":
        new = value
        if new is not None:
            error = scoring_math.score_error(
                new, kind=criterion.kind, max_points=criterion.max_points, step=criterion.step
            )
            if error:
                raise ValidationError(error, code="invalid")
            if item.not_applicable:
                raise ValidationError(
                    _("The criterion is marked not applicable; untick it to enter a score."),
                    code="invalid",
                )
            new = scoring_math.q2(new)
        item.score = new
    elif field == "not_applicable":
        new = value
        if new and not criterion.na_allowed:
            raise ValidationError(
                _("This criterion cannot be marked not applicable."), code="invalid"
            )
        item.not_applicable = new
        if new:
            item.score = None
    else:
        new = value.strip()
        if len(new) > NOTE_MAX_LENGTH:
            raise ValidationError(_("The note is too long (at most 5000 characters)."))
        item.note = new
    item.version += 1
    item.updated_by = actor
    _save_item(item)
    if locked.state == AssessmentState.RETURNED:
        assessment_transition(locked, AssessmentState.DRAFT)
    locked.updated_by = actor
    _save_assessment_change(locked)
    audit.record(
        actor=actor,
        action="assessment.item_save",
        target=item,
        data={
            "assessment": locked.pk,
            "criterion": criterion.code,
            "field": field,
            "old": old,
            "new": new,
        },
        need_id=False,
    )
    files = states[criterion.pk].evidence_count if criterion.pk in states else 0
    states[criterion.pk] = ItemState(item.score, item.not_applicable, files)
    item.assessment_states = states
    return item


@transaction.atomic
def assessment_save_report(
    *,
    actor: User,
    assessment: SelfAssessment,
    report: str,
    base_version: int,
    at: datetime.datetime | None = None,
) -> SelfAssessment:
    locked = _lock(assessment)
    _check_editable(actor, locked, at)
    if locked.report_version != base_version:
        raise StaleVersion(
            _(
                "Someone else changed the report meanwhile. Your change was not saved; "
                "reload the page to see the current report."
            ),
            locked.report,
        )
    locked.report = report.strip()
    locked.report_version += 1
    locked.updated_by = actor
    locked.save(update_fields=["report", "report_version", "updated_by", "updated_at"])
    audit.record(
        actor=actor,
        action="assessment.report_save",
        target=locked,
        data={"length": len(locked.report)},
    )
    return locked


# How many files one upload may carry (each within the size limit of any upload).
MAX_FILES_AT_ONCE = 10


@dataclass
class EvidenceUpload:
    """What one upload did: the attachments made (one per file and criterion)
    and each refused file with the reason, named for the person."""

    attached: list[Evidence] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return len({e.file.name for e in self.attached})


@transaction.atomic
def evidence_attach(
    *,
    actor: User,
    assessment: SelfAssessment,
    criteria: list[Criterion],
    files: list,
    at: datetime.datetime | None = None,
) -> EvidenceUpload:
    """Attach several evidence files at once, each to one or several criteria
    (a plan that proves three criteria is uploaded once). Every file is checked
    by content and size and stored once, under a random name; a file that fails
    the checks is refused with its reason and the others are attached."""
    locked = _lock(assessment)
    _check_editable(actor, locked, at)
    criteria = list({c.pk: c for c in criteria}.values())
    if not criteria:
        raise ValidationError(_("Choose the criteria the file proves."))
    if any(c.table_id != locked.table_id for c in criteria):
        raise ValidationError(_("This criterion is not in the assessment's table."))
    if not files:
        raise ValidationError(_("Choose a file."))
    if len(files) > MAX_FILES_AT_ONCE:
        raise ValidationError(_("Attach at most %(n)s files at a time.") % {"n": MAX_FILES_AT_ONCE})
    upload = EvidenceUpload()
    accepted = []
    for file in files:
        try:
            accepted.append((file, validate_upload(file)))
        except ValidationError as exc:
            upload.refused.append(
                _("%(name)s: %(error)s")
                % {"name": safe_original_name(file.name), "error": " ".join(exc.messages)}
            )
    items = {}
    for criterion in criteria:
        items[criterion.pk], _created = ItemScore.objects.select_for_update().get_or_create(
            assessment=locked, criterion=criterion
        )
    for file, kind in accepted:
        stored = None
        for criterion in criteria:
            evidence = Evidence(
                item=items[criterion.pk],
                original_name=safe_original_name(file.name),
                kind=kind,
                size=file.size,
                uploaded_by=actor,
            )
            if stored is None:
                evidence.file.save(file.name, file, save=False)
                stored = evidence.file.name
            else:
                evidence.file.name = stored  # the same stored file, attached again
            evidence.save()
            upload.attached.append(evidence)
    if upload.attached:
        for item in items.values():
            item.version += 1
            item.save(update_fields=["version", "updated_at"])
        audit.record(
            actor=actor,
            action="assessment.evidence_add",
            target=locked,
            data={
                "assessment": locked.pk,
                "criteria": [c.code for c in criteria],
                "files": [
                    {"name": safe_original_name(f.name), "size": f.size} for f, _k in accepted
                ],
                "refused": upload.refused,
            },
        )
    return upload


def evidence_add(
    *,
    actor: User,
    assessment: SelfAssessment,
    criterion: Criterion,
    file,
    at: datetime.datetime | None = None,
) -> Evidence:
    """Attach one evidence file to one criterion; refused (ValidationError)
    when the file fails the checks."""
    upload = evidence_attach(
        actor=actor, assessment=assessment, criteria=[criterion], files=[file], at=at
    )
    if upload.refused:
        raise ValidationError(upload.refused)
    return upload.attached[0]


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> list[str]:
    """Take a file off one criterion. A file attached to several criteria
    stays on the others, and its stored copy is removed with the last
    attachment. Returns the codes of the criteria it still proves."""
    locked = _lock(evidence.item.assessment)
    _check_editable(actor, locked)
    item = ItemScore.objects.select_for_update().get(pk=evidence.item_id)
    stored = evidence.file.name
    still = list(
        Evidence.objects.filter(file=stored)
        .exclude(pk=evidence.pk)
        .order_by("item__criterion__order", "item__criterion__code")
        .values_list("item__criterion__code", flat=True)
    )
    audit.record(
        actor=actor,
        action="assessment.evidence_delete",
        target=evidence,
        data={
            "assessment": locked.pk,
            "criterion": item.criterion.code,
            "name": evidence.original_name,
            "still_attached_to": still,
        },
    )
    evidence.delete()
    item.version += 1
    item.save(update_fields=["version", "updated_at"])
    if not still:
        storage = Evidence._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored))
    return still


@transaction.atomic
def assessment_submit(
    *, actor: User, assessment: SelfAssessment, at: datetime.datetime | None = None
) -> SelfAssessment:
    """The head (or a delegate) submits; every standard criterion must be scored
    and every required evidence attached. Refused after the deadline."""
    locked = _lock(assessment)
    if not actor.has_perm("blocs.submit_assessment", locked):
        raise PermissionDenied(
            _("Only the head of the agency, or a person the head delegated, can submit.")
        )
    _check_editable(actor, locked, at)
    view = assessment_view(locked)
    unscored, missing = view.incomplete()
    if unscored or missing:
        raise IncompleteAssessment(unscored=unscored, missing_evidence=missing)
    old = assessment_transition(locked, AssessmentState.SUBMITTED)
    locked.submitted_at = at or timezone.now()
    locked.submitted_by = actor
    locked.reopened_at = None
    locked.updated_by = actor
    locked.save(
        update_fields=[
            "state",
            "submitted_at",
            "submitted_by",
            "reopened_at",
            "updated_by",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        action="assessment.submit",
        target=locked,
        data={
            "old": old,
            "new": locked.state,
            "total": view.totals.total,
            "maximum": view.totals.maximum,
        },
    )
    notification_send(
        recipients=secretariat_users(locked.membership.bloc_year),
        kind=NotificationKind.ASSESSMENT_SUBMITTED,
        params=_about(locked),
        url=reverse("blocs:assessment_detail", args=[locked.pk]),
        exclude=actor,
    )
    return locked


@transaction.atomic
def assessment_return(*, actor: User, assessment: SelfAssessment, reason: str) -> SelfAssessment:
    """The secretariat returns a submitted assessment to the agency, with a reason.
    The agency may then correct and resubmit it, even after the deadline."""
    locked = _lock(assessment)
    if not actor.has_perm("blocs.return_assessment", locked):
        raise PermissionDenied(_("Only the bloc secretariat can return a self-assessment."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for returning the self-assessment."))
    if locked.membership.bloc_year.phase not in ASSESSMENT_PHASES:
        raise ValidationError(_("The self-assessment window is not open."))
    old = assessment_transition(locked, AssessmentState.RETURNED)
    locked.return_reason = reason
    locked.reopened_at = (
        timezone.now()
        if deadline_passed(locked.membership.bloc_year, membership=locked.membership)
        else None
    )
    locked.updated_by = actor
    locked.save(update_fields=["state", "return_reason", "reopened_at", "updated_by", "updated_at"])
    audit.record(
        actor=actor,
        action="assessment.return",
        target=locked,
        data={"old": old, "new": locked.state, "reason": reason},
    )
    notification_send(
        recipients=users_of_agency(locked.membership.agency_id),
        kind=NotificationKind.ASSESSMENT_RETURNED,
        params={**_about(locked), "reason": reason},
        url=reverse("blocs:assessment_detail", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def assessment_reopen(*, actor: User, assessment: SelfAssessment, reason: str) -> SelfAssessment:
    """After the deadline, the secretariat lets one agency edit (and submit) again."""
    locked = _lock(assessment)
    bloc_year = locked.membership.bloc_year
    if not actor.has_perm("blocs.return_assessment", locked):
        raise PermissionDenied(_("Only the bloc secretariat can reopen a self-assessment."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening the self-assessment."))
    if not deadline_passed(bloc_year, membership=locked.membership):
        raise ValidationError(
            _("The deadline has not passed: the agency can still edit; return it instead.")
        )
    if bloc_year.phase not in ASSESSMENT_PHASES:
        raise ValidationError(_("The self-assessment window is not open."))
    if locked.state not in (
        AssessmentState.DRAFT,
        AssessmentState.RETURNED,
        AssessmentState.SUBMITTED,
    ):
        raise ValidationError(_("This self-assessment is already being reviewed."))
    old = locked.state
    if locked.state != AssessmentState.DRAFT:
        assessment_transition(locked, AssessmentState.DRAFT)
    locked.reopened_at = timezone.now()
    locked.reopen_reason = reason
    locked.updated_by = actor
    locked.save(update_fields=["state", "reopened_at", "reopen_reason", "updated_by", "updated_at"])
    audit.record(
        actor=actor,
        action="assessment.reopen",
        target=locked,
        data={"old": old, "new": locked.state, "reason": reason},
    )
    notification_send(
        recipients=users_of_agency(locked.membership.agency_id),
        kind=NotificationKind.ASSESSMENT_REOPENED,
        params={**_about(locked), "reason": reason},
        url=reverse("blocs:assessment_detail", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def delegation_grant(
    *, actor: User, assessment: SelfAssessment, delegate: User
) -> AssessmentDelegation:
    """The head lets another user of the agency submit the assessment."""
    locked = _lock(assessment)
    agency_id = locked.membership.agency_id
    if not actor.has_perm("blocs.delegate_submission", locked):
        raise PermissionDenied(_("Only the head of the agency can delegate submission."))
    if delegate.agency_id != agency_id:
        raise ValidationError(_("You can delegate only to a user of your own agency."))
    if locked.delegations.filter(delegate=delegate).exists():
        raise ValidationError(
            _("%(name)s may already submit.") % {"name": delegate.get_full_name()}
        )
    delegation = AssessmentDelegation.objects.create(
        assessment=locked, delegate=delegate, granted_by=actor
    )
    audit.record(
        actor=actor,
        action="assessment.delegate",
        target=locked,
        data={"delegate": delegate.username},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: User, assessment: SelfAssessment, delegate: User) -> None:
    """The head withdraws a delegation: the person may no longer submit."""
    locked = _lock(assessment)
    if not actor.has_perm("blocs.delegate_submission", locked):
        raise PermissionDenied(_("Only the head of the agency can delegate submission."))
    removed, _by_model = locked.delegations.filter(delegate=delegate).delete()
    if not removed:
        raise ValidationError(
            _("%(name)s had no delegation to submit.") % {"name": delegate.get_full_name()}
        )
    audit.record(
        actor=actor,
        action="assessment.delegate_revoke",
        target=locked,
        data={"delegate": delegate.username},
    )


def _about(assessment: SelfAssessment) -> dict[str, object]:
    """What a notification about the assessment names: its year, agency and bloc."""
    bloc_year = assessment.membership.bloc_year
    return {
        "year": bloc_year.year.year,
        "agency": assessment.membership.agency.name,
        "bloc": bloc_year.bloc.name,
    }


@transaction.atomic
def assessment_remind(
    *, actor: User | None, assessment: SelfAssessment, today: datetime.date
) -> ReminderSent | None:
    """Remind the agency's users that the self-assessment is not submitted (a
    notification, and an e-mail by each one's choice), at most once a day — by
    the secretariat's button or the daily command alike. Returns None when
    today's reminder was already sent."""
    locked = _lock(assessment)
    if actor is not None and not actor.has_perm("blocs.remind_agency", locked):
        raise PermissionDenied(_("Only the bloc secretariat can remind an agency."))
    if locked.membership.bloc_year.phase != Phase.SELF_ASSESSMENT:
        raise ValidationError(_("The self-assessment window is not open."))
    if locked.state not in ASSESSMENT_EDITABLE_STATES:
        raise ValidationError(
            _("This self-assessment is already submitted: no reminder is needed.")
        )
    if ReminderSent.objects.filter(assessment=locked, sent_on=today).exists():
        return None
    deadline = membership_deadlines([locked.membership], DeadlineStep.SELF_ASSESSMENT)[
        locked.membership_id
    ].date
    progress = progress_by_assessment([locked.pk])[locked.pk]
    sent = notification_send(
        recipients=users_of_agency(locked.membership.agency_id),
        kind=NotificationKind.DEADLINE_REMINDER,
        params={
            **_about(locked),
            "date": deadline.strftime("%d/%m/%Y") if deadline else "",
            "left": (deadline - today).days if deadline else "",
            "scored": progress.scored,
            "total": progress.total,
            "missing": progress.missing_evidence,
        },
        url=reverse("blocs:assessment_detail", args=[locked.pk]),
    )
    reminder = ReminderSent.objects.create(assessment=locked, sent_on=today, recipients=len(sent))
    audit.record(
        actor=actor,
        action="assessment.remind",
        target=locked,
        data={"sent_on": today, "recipients": len(sent)},
    )
    return reminder
