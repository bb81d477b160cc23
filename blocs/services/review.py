"""Writes of the review: settings and cross-scoring assignment, verified
scores with adjustments, release, disputes, lock and unlock, publication of
the ranking. Each function is atomic, checks who acts and in which state, and
writes one audit event (a phase change also writes bloc_year.set_phase)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import hooks, scoring_math
from blocs.assignment import AssignmentImpossible, generate_assignment
from blocs.enums import (
    DISPUTE_TRANSITIONS,
    AssessmentState,
    DeadlineStep,
    DisputeState,
    MemberRole,
    Phase,
    ReviewMode,
    ReviewStage,
)
from blocs.models import (
    Adjustment,
    BlocYear,
    BlocYearReview,
    Criterion,
    CriterionGroup,
    Dispute,
    DisputeEvidence,
    FinalScore,
    ItemScore,
    Membership,
    ReviewAssignment,
    ReviewedScore,
    SelfAssessment,
)
from blocs.selectors.deadlines import effective_deadline, membership_deadlines
from blocs.selectors.ranking import RankingRow, rank_rows, women_shares
from blocs.selectors.review import (
    baseline,
    dispute_deadline_passed,
    effective,
    stage_for,
    totals_for_bloc_year,
)
from blocs.services.assessment import assessment_transition
from blocs.services.phase import bloc_year_advance
from emulation import audit
from emulation.models import User
from emulation.uploads import safe_original_name, validate_upload


def _lock_review(bloc_year: BlocYear) -> BlocYearReview:
    review, _created = BlocYearReview.objects.get_or_create(bloc_year=bloc_year)
    return (
        BlocYearReview.objects.select_for_update()
        .select_related("bloc_year__bloc", "bloc_year__year")
        .get(pk=review.pk)
    )


def _require_secretariat(actor: User, bloc_year: BlocYear) -> None:
    if not actor.has_perm("blocs.run_review", bloc_year):
        raise PermissionDenied(_("Only the bloc's secretariat can do this."))


def _require_not_started(review: BlocYearReview) -> None:
    if review.started_at is not None:
        raise ValidationError(
            _("The review has started; its mode and assignment can no longer be changed.")
        )


def _reviewers(bloc_year: BlocYear, mode: str) -> tuple[list[int], list[int]]:
    members = list(
        Membership.objects.filter(bloc_year=bloc_year).values_list("pk", "role").order_by("pk")
    )
    reviewees = [pk for pk, _role in members]
    if mode == ReviewMode.BOTH:
        # The leading agency decides last, so it does not cross-score.
        reviewers = [pk for pk, role in members if role != MemberRole.LEADER]
    else:
        reviewers = reviewees
    return reviewees, reviewers


# --- settings and assignment ------------------------------------------------


@transaction.atomic
def review_configure(
    *,
    actor: User,
    bloc_year: BlocYear,
    mode: ReviewMode | str,
    tie_break_group: CriterionGroup | None = None,
) -> BlocYearReview:
    """Choose the review mode and the tie-break group (before the review starts)."""
    _require_secretariat(actor, bloc_year)
    review = _lock_review(bloc_year)
    if mode != review.mode:
        _require_not_started(review)
    if review.locked_at is not None:
        raise ValidationError(_("The scores are locked; the settings can no longer change."))
    old = {"mode": review.mode, "tie_break_group": review.tie_break_group_id}
    review.mode = mode
    review.tie_break_group = tie_break_group
    review.save(update_fields=["mode", "tie_break_group"])
    if mode == ReviewMode.LEADER:
        ReviewAssignment.objects.filter(bloc_year=bloc_year).delete()
    audit.record(
        actor=actor,
        action="review.configure",
        target=review,
        data={"old": old, "new": {"mode": str(mode), "tie_break_group": review.tie_break_group_id}},
    )
    return review


@transaction.atomic
def review_assignment_generate(
    *, actor: User, bloc_year: BlocYear, seed: int | None = None
) -> list[ReviewAssignment]:
    """(Re)generate the cross-scoring assignment from a seed (random if not given)."""
    _require_secretariat(actor, bloc_year)
    review = _lock_review(bloc_year)
    _require_not_started(review)
    if not review.uses_cross:
        raise ValidationError(_("Cross-scoring is not used in this bloc-year's review mode."))
    seed = random.SystemRandom().randrange(1, 1_000_000) if seed is None else seed
    reviewees, reviewers = _reviewers(bloc_year, review.mode)
    try:
        mapping = generate_assignment(reviewees, reviewers, seed=seed)
    except AssignmentImpossible:
        raise ValidationError(
            _("The bloc has too few members for cross-scoring (at least three are needed).")
        ) from None
    ReviewAssignment.objects.filter(bloc_year=bloc_year).delete()
    rows = ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(bloc_year=bloc_year, reviewer_id=reviewer, reviewee_id=reviewee)
            for reviewee, reviewer in sorted(mapping.items())
        ]
    )
    review.seed = seed
    review.save(update_fields=["seed"])
    audit.record(
        actor=actor,
        action="review.assignment_generate",
        target=review,
        data={"seed": seed, "pairs": [[a.reviewer_id, a.reviewee_id] for a in rows]},
    )
    return rows


@transaction.atomic
def review_assignment_change(
    *, actor: User, assignment: ReviewAssignment, reviewer: Membership
) -> ReviewAssignment:
    """Give a reviewee another cross-scorer (before the review starts)."""
    bloc_year = assignment.bloc_year
    _require_secretariat(actor, bloc_year)
    review = _lock_review(bloc_year)
    _require_not_started(review)
    locked = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if reviewer.bloc_year_id != bloc_year.pk:
        raise ValidationError(_("The reviewer must be a member of the same bloc-year."))
    if reviewer.pk == locked.reviewee_id:
        raise ValidationError(_("A member cannot review its own self-assessment."))
    if review.mode == ReviewMode.BOTH and reviewer.role == MemberRole.LEADER:
        raise ValidationError(
            _("In this mode the leading agency decides last and does not cross-score.")
        )
    old = locked.reviewer_id
    locked.reviewer = reviewer
    locked.save(update_fields=["reviewer"])
    audit.record(
        actor=actor,
        action="review.assignment_change",
        target=locked,
        data={"reviewee": locked.reviewee_id, "old": old, "new": reviewer.pk},
    )
    return locked


@transaction.atomic
def review_start(*, actor: User, bloc_year: BlocYear) -> BlocYearReview:
    """Start the review: the assignment is frozen and the bloc-year moves to review."""
    _require_secretariat(actor, bloc_year)
    review = _lock_review(bloc_year)
    _require_not_started(review)
    if Phase(review.bloc_year.phase).index < Phase.SELF_ASSESSMENT.index:
        raise ValidationError(_("The self-assessment has not been opened yet."))
    if review.uses_cross:
        members = Membership.objects.filter(bloc_year=bloc_year).count()
        assigned = ReviewAssignment.objects.filter(bloc_year=bloc_year).count()
        if assigned < members:
            raise ValidationError(
                _("Every member needs a cross-scorer: generate the assignment first.")
            )
    review.started_at = timezone.now()
    review.save(update_fields=["started_at"])
    audit.record(actor=actor, action="review.start", target=review, data={"mode": review.mode})
    if review.bloc_year.phase == Phase.SELF_ASSESSMENT:
        bloc_year_advance(actor=actor, bloc_year=bloc_year, to=Phase.REVIEW, via="review_start")
    return review


# --- verified scores --------------------------------------------------------


def _check_stage(actor: User, assessment: SelfAssessment, review: BlocYearReview, stage: str):

    allowed = stage_for(actor, assessment, review)
    if allowed is None or allowed != stage:
        raise PermissionDenied(_("You cannot verify this self-assessment now."))


def _lock_assessment(assessment: SelfAssessment) -> SelfAssessment:
    return (
        SelfAssessment.objects.select_for_update()
        .select_related("membership__bloc_year__bloc", "membership__bloc_year__year", "table")
        .get(pk=assessment.pk)
    )


@transaction.atomic
def assessment_review_save(
    *,
    actor: User,
    assessment: SelfAssessment,
    stage: ReviewStage | str,
    entries: dict[int, tuple[Decimal | None, str]],
) -> list[Adjustment]:
    """Save verified scores: criterion id → (score, reason). A blank score is
    skipped. Every change of an item's score needs a reason and becomes an
    Adjustment; refused as a whole (errors keyed ``score_<id>`` / ``reason_<id>``)."""
    locked = _lock_assessment(assessment)
    review = _lock_review(locked.membership.bloc_year)
    _check_stage(actor, locked, review, stage)
    criteria = {c.pk: c for c in Criterion.objects.filter(table_id=locked.table_id)}
    items = {
        i.criterion_id: i for i in ItemScore.objects.select_for_update().filter(assessment=locked)
    }
    reviewed: dict[int, dict[str, ReviewedScore]] = {}
    for r in ReviewedScore.objects.select_for_update().filter(item__assessment=locked):
        reviewed.setdefault(r.item_id, {})[r.stage] = r
    errors: dict[str, str] = {}
    plan = []
    for criterion_id, (score, reason) in entries.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(_("This criterion is not in the assessment's table."))
        if score is None:
            continue
        item = items.get(criterion_id)
        if item is not None and item.not_applicable:
            continue
        problem = scoring_math.score_error(
            score, kind=criterion.kind, max_points=criterion.max_points, step=criterion.step
        )
        if problem:
            errors[f"score_{criterion_id}"] = problem
            continue
        stages = reviewed.get(item.pk, {}) if item else {}
        scores = {k: v.score for k, v in stages.items()}
        self_score = item.score if item else None
        current = effective(scores, self_score)
        start = baseline(stage, scores, self_score)
        own = stages.get(stage)
        if own is not None and own.score == score:
            continue
        changed = score != (current if current is not None else Decimal(0))
        reason = (reason or "").strip()
        if (score != (start or Decimal(0)) or own is not None) and not reason:
            errors[f"reason_{criterion_id}"] = _(
                "Give the reason for changing the score of criterion %(code)s."
            ) % {"code": criterion.code}
            continue
        plan.append((criterion, item, own, score, reason, current, changed))
    if errors:
        raise ValidationError(errors)
    adjustments = []
    changes = []
    for criterion, item, own, score, reason, current, changed in plan:
        if item is None:
            item = ItemScore.objects.create(assessment=locked, criterion=criterion)
        if own is None:
            ReviewedScore.objects.create(
                item=item, stage=stage, score=score, reason=reason, updated_by=actor
            )
        else:
            own.score, own.reason, own.updated_by = score, reason, actor
            own.save(update_fields=["score", "reason", "updated_by", "updated_at"])
        if changed and reason:
            adjustments.append(
                Adjustment(
                    item=item,
                    stage=stage,
                    old_score=current,
                    new_score=score,
                    reason=reason,
                    created_by=actor,
                )
            )
        changes.append(
            {
                "criterion": criterion.code,
                "old": None if current is None else str(current),
                "new": str(score),
                "reason": reason,
            }
        )
    Adjustment.objects.bulk_create(adjustments)
    if changes:
        audit.record(
            actor=actor,
            action="review.score",
            target=locked,
            data={"stage": str(stage), "changes": changes},
        )
    return adjustments


@transaction.atomic
def assessment_review_complete(
    *, actor: User, assessment: SelfAssessment, stage: ReviewStage | str
) -> SelfAssessment:
    """The reviewer finishes. Items left blank keep the score they started from.
    The last stage of the mode verifies the assessment."""
    locked = _lock_assessment(assessment)
    review = _lock_review(locked.membership.bloc_year)
    _check_stage(actor, locked, review, stage)
    if stage == ReviewStage.CROSS:
        assignment = ReviewAssignment.objects.select_for_update().get(
            reviewee_id=locked.membership_id
        )
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["completed_at"])
    old = locked.state
    if stage == ReviewStage.LEADER or review.mode == ReviewMode.CROSS:
        assessment_transition(locked, AssessmentState.VERIFIED)
        locked.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=actor,
        action="review.complete",
        target=locked,
        data={"stage": str(stage), "old": old, "new": locked.state},
    )
    return locked


@transaction.atomic
def assessment_review_reopen(
    *, actor: User, assessment: SelfAssessment, reason: str
) -> SelfAssessment:
    """Undo a completed verification, with a reason, while the verified scores
    have not been released: the assessment is submitted again and the review
    of it can go on. Taken by the role above the reviewer: the bloc's
    secretariat (over its cross-scorers, and its own slip) or council staff."""
    locked = _lock_assessment(assessment)
    bloc_year = locked.membership.bloc_year
    if not actor.has_perm("blocs.reopen_verification", locked):
        raise PermissionDenied(
            _("Only the bloc's secretariat or council staff can reopen a verification.")
        )
    review = _lock_review(bloc_year)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the verification.")})
    if review.released_at is not None:
        raise ValidationError(
            _(
                "The verified scores have been released to the members: the verification "
                "can no longer be reopened (disputes, or the council's unlock, remain)."
            )
        )
    if locked.state != AssessmentState.VERIFIED:
        raise ValidationError(_("This assessment's verification is not complete."))
    old = assessment_transition(locked, AssessmentState.SUBMITTED)
    locked.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=actor,
        action="review.reopen",
        target=locked,
        data={"old": old, "new": locked.state, "reason": reason},
    )
    return locked


@transaction.atomic
def review_release(*, actor: User, bloc_year: BlocYear) -> BlocYearReview:
    """Show every agency its verified scores and adjustments; disputes may follow."""
    _require_secretariat(actor, bloc_year)
    review = _lock_review(bloc_year)
    if review.started_at is None:
        raise ValidationError(_("The review has not started yet."))
    if review.released_at is not None:
        raise ValidationError(_("The review has already been released."))
    pending = list(
        SelfAssessment.objects.filter(membership__bloc_year=bloc_year)
        .exclude(state=AssessmentState.VERIFIED)
        .values_list("membership__agency__name", flat=True)
    )
    missing = list(
        Membership.objects.filter(bloc_year=bloc_year, self_assessment__isnull=True).values_list(
            "agency__name", flat=True
        )
    )
    if pending or missing:
        raise ValidationError(
            _("Not every self-assessment has been verified yet: %(names)s.")
            % {"names": ", ".join(sorted(pending + missing))}
        )
    review.released_at = timezone.now()
    review.save(update_fields=["released_at"])
    audit.record(actor=actor, action="review.release", target=review, data={})
    return review


# --- disputes ---------------------------------------------------------------


@transaction.atomic
def dispute_open(
    *,
    actor: User,
    assessment: SelfAssessment,
    criterion: Criterion,
    explanation: str,
    files=(),
    today=None,
) -> Dispute:
    """The agency disputes the verified score of one item, before the deadline.
    ``today`` is for replaying history (the demo); views never pass it."""
    locked = _lock_assessment(assessment)
    bloc_year = locked.membership.bloc_year
    review = _lock_review(bloc_year)
    if not actor.has_perm("blocs.dispute_scores", locked):
        raise PermissionDenied(_("Only the agency's own staff can dispute its scores."))
    if review.released_at is None or review.locked_at is not None:
        raise ValidationError(
            _(
                "Scores can be disputed only after the review is released "
                "and before they are locked."
            )
        )
    if dispute_deadline_passed(bloc_year, today, locked.membership):
        deadline = effective_deadline(bloc_year, DeadlineStep.DISPUTES, locked.membership)
        raise ValidationError(
            _(
                "The deadline for disputes (%(date)s) has passed. Ask the council to extend "
                "the deadline."
            )
            % {"date": deadline.strftime("%d/%m/%Y")}
        )
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError({"explanation": _("Explain why the score should change.")})
    item = (
        ItemScore.objects.select_for_update()
        .filter(assessment=locked, criterion_id=criterion.pk)
        .first()
    )
    if item is None or not item.adjustments.exists():
        raise ValidationError(_("Only an adjusted score can be disputed."))
    if item.disputes.filter(state=DisputeState.OPEN).exists():
        raise ValidationError(_("This item already has an open dispute."))
    for f in files:
        validate_upload(f)
    dispute = Dispute.objects.create(item=item, explanation=explanation, created_by=actor)
    for f in files:
        kind = validate_upload(f)
        DisputeEvidence.objects.create(
            dispute=dispute,
            file=f,
            original_name=safe_original_name(f.name),
            kind=kind,
            size=f.size,
        )
    old = locked.state
    if locked.state != AssessmentState.DISPUTED:
        assessment_transition(locked, AssessmentState.DISPUTED)
        locked.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=actor,
        action="dispute.open",
        target=dispute,
        data={
            "criterion": criterion.code,
            "explanation": explanation,
            "files": len(files),
            "old": old,
            "new": locked.state,
        },
    )
    return dispute


@transaction.atomic
def dispute_resolve(
    *,
    actor: User,
    dispute: Dispute,
    accept: bool,
    resolution: str,
    score: Decimal | None = None,
) -> Dispute:
    """The secretariat accepts (the score changes, by default back to the self
    score, through an Adjustment) or rejects (with a reason) a dispute."""
    locked = (
        Dispute.objects.select_for_update().select_related("item__criterion").get(pk=dispute.pk)
    )
    assessment = _lock_assessment(locked.item.assessment)
    bloc_year = assessment.membership.bloc_year
    _require_secretariat(actor, bloc_year)
    review = _lock_review(bloc_year)
    if review.locked_at is not None:
        raise ValidationError(_("The scores are locked."))
    new_state = DisputeState.ACCEPTED if accept else DisputeState.REJECTED
    if new_state not in DISPUTE_TRANSITIONS[locked.state]:
        raise ValidationError(_("This dispute has already been resolved."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Give the reason for the decision.")})
    item = ItemScore.objects.select_for_update().get(pk=locked.item_id)
    criterion = item.criterion
    stages = {r.stage: r for r in ReviewedScore.objects.select_for_update().filter(item=item)}
    current = effective({k: v.score for k, v in stages.items()}, item.score)
    if accept:
        score = item.score if score is None else score
        if score is None:
            raise ValidationError({"score": _("Enter the score after the dispute.")})
        problem = scoring_math.score_error(
            score, kind=criterion.kind, max_points=criterion.max_points, step=criterion.step
        )
        if problem:
            raise ValidationError({"score": problem})
        own = stages.get(ReviewStage.LEADER)
        if own is None:
            ReviewedScore.objects.create(
                item=item,
                stage=ReviewStage.LEADER,
                score=score,
                reason=resolution,
                updated_by=actor,
            )
        else:
            own.score, own.reason, own.updated_by = score, resolution, actor
            own.save(update_fields=["score", "reason", "updated_by", "updated_at"])
        Adjustment.objects.create(
            item=item,
            stage=ReviewStage.LEADER,
            old_score=current,
            new_score=score,
            reason=resolution,
            dispute=locked,
            created_by=actor,
        )
        locked.resolved_score = score
    locked.state = new_state
    locked.resolution = resolution
    locked.resolved_at = timezone.now()
    locked.resolved_by = actor
    locked.save(
        update_fields=["state", "resolution", "resolved_score", "resolved_at", "resolved_by"]
    )
    old = assessment.state
    still_open = Dispute.objects.filter(
        item__assessment=assessment, state=DisputeState.OPEN
    ).exists()
    if not still_open and assessment.state == AssessmentState.DISPUTED:
        assessment_transition(assessment, AssessmentState.VERIFIED)
        assessment.save(update_fields=["state", "updated_at"])
    audit.record(
        actor=actor,
        action="dispute.resolve",
        target=locked,
        data={
            "criterion": criterion.code,
            "decision": str(new_state),
            "resolution": resolution,
            "old_score": None if current is None else str(current),
            "new_score": None if locked.resolved_score is None else str(locked.resolved_score),
            "assessment_state": [old, assessment.state],
        },
    )
    return locked


# --- lock, unlock, publish --------------------------------------------------


def _ranking_rows(bloc_year: BlocYear, review: BlocYearReview) -> list[RankingRow]:
    totals = totals_for_bloc_year(bloc_year)
    memberships = {
        m.pk: m for m in Membership.objects.filter(bloc_year=bloc_year).select_related("agency")
    }
    shares = women_shares([m.agency_id for m in memberships.values()], bloc_year.year.year) or {}
    rows = []
    for membership_id, t in totals.items():
        m = memberships[membership_id]
        group = (
            t.verified.groups.get(review.tie_break_group_id) if review.tie_break_group_id else None
        )
        rows.append(
            RankingRow(
                membership=m,
                agency=m.agency,
                total=t.verified.total,
                self_total=t.self_totals.total,
                tie_break_score=group.total if group is not None else None,
                deduction=t.verified.deduction,
                women_percent=shares.get(m.agency_id),
            )
        )
    return rank_rows(rows)


def _disputes_open_until(bloc_year: BlocYear, today: datetime.date) -> datetime.date | None:
    """The last day a member may still dispute its scores (the year's dispute
    deadline, or the council's extension for the bloc-year or for one agency),
    or None once every member's has passed."""
    members = list(bloc_year.memberships.all())
    running = [
        deadline.date
        for deadline in membership_deadlines(members, DeadlineStep.DISPUTES).values()
        if deadline.date is not None and not deadline.passed(today)
    ]
    return max(running, default=None)


def _check_year_facts(bloc_year: BlocYear) -> None:
    """The ranking's tie-break reads each member's share of women staff for the
    year: those facts must be there before the ranking is fixed for good."""
    members = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("agency")
        .order_by("agency__name")
    )
    shares = hooks.women_shares(agency_ids=[m.agency_id for m in members], year=bloc_year.year.year)
    missing = [m.agency.name for m in members if m.agency_id not in shares]
    if missing:
        raise ValidationError(
            _(
                "The share of women staff in %(year)s is not recorded for %(names)s: the "
                "ranking's tie-break needs it. Ask council staff to enter the year's facts "
                "before the scores are locked."
            )
            % {"year": bloc_year.year.year, "names": ", ".join(missing)}
        )


@transaction.atomic
def review_lock(
    *, actor: User, bloc_year: BlocYear, today: datetime.date | None = None
) -> list[FinalScore]:
    """Lock the final scores: write the snapshot with the ranking; the
    assessments become locked. Not before the dispute deadline, and only once
    the year's facts that the ranking reads are recorded (``today`` back-dates
    the date check: the demo's history)."""
    _require_secretariat(actor, bloc_year)
    review = _lock_review(bloc_year)
    if review.released_at is None:
        raise ValidationError(_("Release the review to the agencies before locking the scores."))
    if review.locked_at is not None:
        raise ValidationError(_("The scores are already locked."))
    assessments = list(
        SelfAssessment.objects.select_for_update().filter(membership__bloc_year=bloc_year)
    )
    if any(a.state == AssessmentState.DISPUTED for a in assessments):
        raise ValidationError(_("Resolve every open dispute before locking the scores."))
    bloc_year = review.bloc_year
    disputes_until = _disputes_open_until(bloc_year, today or timezone.localdate())
    if disputes_until is not None:
        raise ValidationError(
            _(
                "The members may dispute their verified scores until %(date)s: the scores "
                "are locked after that day."
            )
            % {"date": disputes_until.strftime("%d/%m/%Y")}
        )
    _check_year_facts(bloc_year)
    rows = _ranking_rows(bloc_year, review)
    now = timezone.now()
    finals = FinalScore.objects.bulk_create(
        [
            FinalScore(
                bloc_year=bloc_year,
                membership=r.membership,
                self_total=r.self_total,
                total=r.total,
                deduction=r.deduction,
                tie_break_score=r.tie_break_score,
                women_percent=r.women_percent,
                rank=r.rank,
                shared_rank=r.shared_rank,
                locked_at=now,
            )
            for r in rows
        ]
    )
    for a in assessments:
        assessment_transition(a, AssessmentState.LOCKED)
        a.save(update_fields=["state", "updated_at"])
    review.locked_at, review.locked_by = now, actor
    review.save(update_fields=["locked_at", "locked_by"])
    audit.record(
        actor=actor,
        action="review.lock",
        target=review,
        data={
            "ranking": [
                {"agency": r.agency.code, "total": str(r.total), "rank": r.rank} for r in rows
            ]
        },
    )
    return finals


@transaction.atomic
def review_unlock(*, actor: User, bloc_year: BlocYear, reason: str) -> BlocYearReview:
    """Council staff unlock locked scores, with a reason: the snapshot is
    discarded (kept in the audit event) and a published ranking withdrawn."""
    if not actor.has_perm("blocs.unlock_scores", bloc_year):
        raise PermissionDenied(_("Only council staff can unlock locked scores."))
    review = _lock_review(bloc_year)
    if review.locked_at is None:
        raise ValidationError(_("The scores are not locked."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for unlocking the scores.")})
    if Phase(review.bloc_year.phase).index > Phase.RANKING_PUBLISHED.index:
        raise ValidationError(
            _("The bloc has moved past the ranking (voting has begun); the scores stay locked.")
        )
    snapshot = [
        {"agency": f.membership.agency.code, "total": str(f.total), "rank": f.rank}
        for f in FinalScore.objects.filter(bloc_year=bloc_year).select_related("membership__agency")
    ]
    FinalScore.objects.filter(bloc_year=bloc_year).delete()
    for a in SelfAssessment.objects.select_for_update().filter(
        membership__bloc_year=bloc_year, state=AssessmentState.LOCKED
    ):
        assessment_transition(a, AssessmentState.VERIFIED)
        a.save(update_fields=["state", "updated_at"])
    was_published = review.published_at is not None
    review.locked_at = review.locked_by = review.published_at = None
    review.save(update_fields=["locked_at", "locked_by", "published_at"])
    audit.record(
        actor=actor,
        action="review.unlock",
        target=review,
        data={"reason": reason, "snapshot": snapshot, "was_published": was_published},
    )
    if review.bloc_year.phase == Phase.RANKING_PUBLISHED:
        bloc_year_advance(
            actor=actor, bloc_year=bloc_year, to=Phase.REVIEW, reason=reason, via="review_unlock"
        )
    return review


@transaction.atomic
def ranking_publish(*, actor: User, bloc_year: BlocYear) -> BlocYearReview:
    """Publish the ranking to the members: the bloc-year moves to ranking_published."""
    _require_secretariat(actor, bloc_year)
    review = _lock_review(bloc_year)
    if review.locked_at is None:
        raise ValidationError(_("Lock the scores before publishing the ranking."))
    if review.published_at is not None:
        raise ValidationError(_("The ranking has already been published."))
    review.published_at = timezone.now()
    review.save(update_fields=["published_at"])
    audit.record(actor=actor, action="ranking.publish", target=review, data={})
    bloc_year_advance(
        actor=actor, bloc_year=bloc_year, to=Phase.RANKING_PUBLISHED, via="ranking_publish"
    )
    return review
