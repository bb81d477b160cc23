"""Reads of the review: who may see and verify what, verified scores and the
side-by-side sheet, totals for a whole bloc-year in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from blocs import scoring_math
from blocs.enums import SECRETARIAT_ROLES, AssessmentState, DeadlineStep, DisputeState, ReviewStage
from blocs.models import (
    Adjustment,
    BlocYear,
    BlocYearReview,
    Criterion,
    CriterionGroup,
    Dispute,
    Evidence,
    ItemScore,
    Membership,
    ReviewAssignment,
    ReviewedScore,
    SelfAssessment,
)
from blocs.rules import is_own_agency, is_secretariat
from blocs.selectors.deadlines import effective_deadline
from blocs.selectors.organisation import bloc_years_visible_to
from blocs.selectors.scoring import table_structure
from emulation.models import User
from emulation.prepared import PreparedQuery

# --- the review of a bloc-year ------------------------------------------------


# Read by every page of a bloc-year under review: compiled once per process.
_review_by_bloc_year = PreparedQuery(
    lambda bloc_year_id: BlocYearReview.objects.filter(bloc_year_id=bloc_year_id).select_related(
        "tie_break_group"
    )
)


def review_of(bloc_year: BlocYear) -> BlocYearReview | None:
    """The bloc-year's review settings, or None before the secretariat sets them."""
    found = _review_by_bloc_year(bloc_year.pk)
    return found[0] if found else None


def assignments_of(bloc_year: BlocYear) -> list[ReviewAssignment]:
    return list(
        ReviewAssignment.objects.filter(bloc_year=bloc_year).select_related(
            "reviewer__agency", "reviewee__agency"
        )
    )


# --- who may do what ----------------------------------------------------------


def _assignment_for(assessment: SelfAssessment) -> ReviewAssignment | None:
    return (
        ReviewAssignment.objects.filter(reviewee_id=assessment.membership_id)
        .select_related("reviewer")
        .first()
    )


def is_assigned_reviewer(user: User, assessment: SelfAssessment, assignment=None) -> bool:
    if not user.is_authenticated or not user.agency_id:
        return False
    assignment = assignment or _assignment_for(assessment)
    return bool(assignment and assignment.reviewer.agency_id == user.agency_id)


def stage_for(
    user: User, assessment: SelfAssessment, review: BlocYearReview | None
) -> ReviewStage | None:
    """The stage at which the user may enter verified scores now, or None."""
    if review is None or review.started_at is None or review.released_at is not None:
        return None
    if assessment.state != AssessmentState.SUBMITTED:
        return None
    assignment = _assignment_for(assessment) if review.uses_cross else None
    if review.uses_cross and assignment and assignment.completed_at is None:
        if is_assigned_reviewer(user, assessment, assignment):
            return ReviewStage.CROSS
        return None
    if review.uses_leader and is_secretariat(user, assessment):
        return ReviewStage.LEADER
    return None


def can_see_review(user: User, assessment: SelfAssessment, review: BlocYearReview | None) -> bool:
    """The secretariat and council always; the assigned cross-scorer once the
    review has started; the agency itself once the review is released."""
    if user.has_perm("blocs.oversee_bloc_year", assessment.membership.bloc_year):
        return True
    if review is None or review.started_at is None:
        return False
    if review.uses_cross and is_assigned_reviewer(user, assessment):
        return True
    return review.released_at is not None and is_own_agency(user, assessment)


def can_dispute(user: User, assessment: SelfAssessment, review: BlocYearReview | None) -> bool:
    """The agency's staff, after release, before the dispute deadline, before the lock."""
    if review is None or review.released_at is None or review.locked_at is not None:
        return False
    if not user.has_perm("blocs.dispute_scores", assessment):
        return False
    if assessment.state not in (AssessmentState.VERIFIED, AssessmentState.DISPUTED):
        return False
    return not dispute_deadline_passed(
        assessment.membership.bloc_year, membership=assessment.membership
    )


def dispute_deadline_passed(bloc_year: BlocYear, today=None, membership=None) -> bool:
    """The dispute deadline of the bloc-year (or of one agency in it, with its
    extensions) is over."""
    deadline = effective_deadline(bloc_year, DeadlineStep.DISPUTES, membership)
    today = today or timezone.localdate()
    return bool(deadline and today > deadline)


def get_assessment_for_review(user: User, pk: int) -> tuple[SelfAssessment, BlocYearReview | None]:
    """An assessment the user may see in the review; 404 for missing and forbidden."""
    visible = bloc_years_visible_to(user).values("pk")
    assessment = (
        SelfAssessment.objects.filter(pk=pk, membership__bloc_year__in=visible)
        .select_related(
            "table",
            "membership__agency",
            "membership__bloc_year__bloc__province",
            "membership__bloc_year__year",
        )
        .first()
    )
    if assessment is None:
        raise Http404
    review = review_of(assessment.membership.bloc_year)
    if not can_see_review(user, assessment, review):
        raise Http404
    return assessment, review


def get_dispute_for(user: User, pk: int) -> Dispute:
    """A dispute of a bloc-year the user may see in the review (404 otherwise)."""
    dispute = (
        Dispute.objects.filter(pk=pk)
        .select_related("item__assessment__membership__bloc_year__bloc", "item__criterion")
        .first()
    )
    if dispute is None:
        raise Http404
    assessment = dispute.item.assessment
    if not bloc_years_visible_to(user).filter(pk=assessment.membership.bloc_year_id).exists():
        raise Http404
    if not can_see_review(user, assessment, review_of(assessment.membership.bloc_year)):
        raise Http404
    return dispute


# --- verified scores ----------------------------------------------------------


def effective(reviewed: dict[str, Decimal], self_score: Decimal | None) -> Decimal | None:
    """The verified score of an item: the leader's, else the cross-scorer's, else the self score."""
    if ReviewStage.LEADER in reviewed:
        return reviewed[ReviewStage.LEADER]
    if ReviewStage.CROSS in reviewed:
        return reviewed[ReviewStage.CROSS]
    return self_score


def baseline(stage: str, reviewed: dict[str, Decimal], self_score: Decimal | None):
    """What a reviewer at ``stage`` starts from: the self score, or for the
    leading agency the cross-scorer's verified score if there is one."""
    if stage == ReviewStage.LEADER and ReviewStage.CROSS in reviewed:
        return reviewed[ReviewStage.CROSS]
    return self_score


@dataclass
class AssessmentTotals:
    self_totals: scoring_math.Totals
    verified: scoring_math.Totals
    adjustments: int = 0
    open_disputes: int = 0


def totals_for_bloc_year(bloc_year: BlocYear) -> dict[int, AssessmentTotals]:
    """Self and verified totals of every assessment of a bloc-year, keyed by
    membership id (five queries, whatever the number of members)."""
    assessments = list(
        SelfAssessment.objects.filter(membership__bloc_year=bloc_year).annotate(
            n_adjustments=Count("items__adjustments", distinct=True),
            n_open=Count(
                "items__disputes",
                filter=Q(items__disputes__state=DisputeState.OPEN),
                distinct=True,
            ),
        )
    )
    if not assessments:
        return {}
    table_ids = {a.table_id for a in assessments}
    criteria = list(Criterion.objects.filter(table_id__in=table_ids))
    groups_by_table: dict[int, list] = {}

    for g in CriterionGroup.objects.filter(table_id__in=table_ids).order_by("order", "id"):
        groups_by_table.setdefault(g.table_id, []).append(g)
    items = list(
        ItemScore.objects.filter(assessment__in=assessments).values_list(
            "pk", "assessment_id", "criterion_id", "score", "not_applicable"
        )
    )
    reviewed: dict[int, dict[str, Decimal]] = {}
    for item_id, stage, score in ReviewedScore.objects.filter(
        item__assessment__in=assessments
    ).values_list("item_id", "stage", "score"):
        reviewed.setdefault(item_id, {})[stage] = score
    self_values: dict[int, dict] = {}
    verified_values: dict[int, dict] = {}
    for item_id, assessment_id, criterion_id, score, na in items:
        self_values.setdefault(assessment_id, {})[criterion_id] = scoring_math.ItemValue(score, na)
        verified_values.setdefault(assessment_id, {})[criterion_id] = scoring_math.ItemValue(
            effective(reviewed.get(item_id, {}), score), na
        )
    result = {}
    for a in assessments:
        table_criteria = [c for c in criteria if c.table_id == a.table_id]
        table_groups = groups_by_table.get(a.table_id, [])
        result[a.membership_id] = AssessmentTotals(
            self_totals=scoring_math.compute_totals(
                table_groups, table_criteria, self_values.get(a.pk, {})
            ),
            verified=scoring_math.compute_totals(
                table_groups, table_criteria, verified_values.get(a.pk, {})
            ),
            adjustments=a.n_adjustments,
            open_disputes=a.n_open,
        )
    return result


# --- the overview of a bloc-year's review ------------------------------------


# The states of an assessment whose verification is complete.
VERIFIED_STATES = frozenset(
    {AssessmentState.VERIFIED, AssessmentState.DISPUTED, AssessmentState.LOCKED}
)


@dataclass
class OverviewRow:
    membership: Membership
    assessment: SelfAssessment | None
    assignment: ReviewAssignment | None
    totals: AssessmentTotals | None

    @property
    def verified(self) -> bool:
        """Whether the assessment has been verified: before that its verified
        total would only repeat the self total, and is not shown."""
        return self.assessment is not None and self.assessment.state in VERIFIED_STATES

    @property
    def difference(self) -> Decimal | None:
        if self.totals is None or not self.verified:
            return None
        return self.totals.verified.total - self.totals.self_totals.total


def review_overview(bloc_year: BlocYear) -> list[OverviewRow]:
    """One row per member: its assessment, cross-scorer, totals (fixed queries)."""
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("agency", "self_assessment")
        .order_by("rotation_order", "agency__name")
    )
    assignments = {a.reviewee_id: a for a in assignments_of(bloc_year)}
    totals = totals_for_bloc_year(bloc_year)
    rows = []
    for m in memberships:
        assessment = getattr(m, "self_assessment", None)
        rows.append(OverviewRow(m, assessment, assignments.get(m.pk), totals.get(m.pk)))
    return rows


def disputes_of_bloc_year(bloc_year: BlocYear) -> list[Dispute]:
    return list(
        Dispute.objects.filter(item__assessment__membership__bloc_year=bloc_year)
        .select_related("item__criterion", "item__assessment__membership__agency", "created_by")
        .order_by("state", "created_at")
    )


# --- the side-by-side sheet ---------------------------------------------------


@dataclass
class SheetRow:
    criterion: Criterion
    item: ItemScore | None
    self_score: Decimal | None
    cross: Decimal | None
    leader: Decimal | None
    verified: Decimal | None
    reason: str = ""
    evidence: list = field(default_factory=list)
    adjustments: list = field(default_factory=list)
    disputes: list = field(default_factory=list)

    @property
    def not_applicable(self) -> bool:
        return bool(self.item and self.item.not_applicable)

    @property
    def difference(self) -> Decimal | None:
        if self.not_applicable:
            return None
        return (self.verified or Decimal(0)) - (self.self_score or Decimal(0))

    @property
    def open_dispute(self):
        return next((d for d in self.disputes if d.state == DisputeState.OPEN), None)


@dataclass
class Sheet:
    assessment: SelfAssessment
    groups: list
    rows: list[SheetRow]
    self_totals: scoring_math.Totals
    verified_totals: scoring_math.Totals

    @property
    def difference(self) -> Decimal:
        return self.verified_totals.total - self.self_totals.total

    @property
    def adjusted_rows(self) -> list[SheetRow]:
        return [r for r in self.rows if r.adjustments]


def review_sheet(assessment: SelfAssessment) -> Sheet:
    """Self / verified / difference per item with evidence, adjustments and
    disputes, and both totals (a fixed number of queries)."""
    groups, criteria = table_structure(assessment.table)
    items = {i.criterion_id: i for i in ItemScore.objects.filter(assessment=assessment)}
    reviewed: dict[int, dict[str, ReviewedScore]] = {}
    for r in ReviewedScore.objects.filter(item__assessment=assessment):
        reviewed.setdefault(r.item_id, {})[r.stage] = r
    evidence: dict[int, list] = {}
    for e in Evidence.objects.filter(item__assessment=assessment).order_by("uploaded_at", "id"):
        evidence.setdefault(e.item_id, []).append(e)
    adjustments: dict[int, list] = {}
    for a in Adjustment.objects.filter(item__assessment=assessment).select_related("created_by"):
        adjustments.setdefault(a.item_id, []).append(a)
    disputes: dict[int, list] = {}
    for d in (
        Dispute.objects.filter(item__assessment=assessment)
        .select_related("created_by", "resolved_by")
        .prefetch_related("evidence")
    ):
        disputes.setdefault(d.item_id, []).append(d)
    rows, self_values, verified_values = [], {}, {}
    by_criterion = {}
    for c in criteria:
        item = items.get(c.pk)
        stages = reviewed.get(item.pk, {}) if item else {}
        scores = {k: v.score for k, v in stages.items()}
        self_score = item.score if item else None
        verified = effective(scores, self_score)
        last = stages.get(ReviewStage.LEADER) or stages.get(ReviewStage.CROSS)
        row = SheetRow(
            criterion=c,
            item=item,
            self_score=self_score,
            cross=scores.get(ReviewStage.CROSS),
            leader=scores.get(ReviewStage.LEADER),
            verified=verified,
            reason=last.reason if last else "",
            evidence=evidence.get(item.pk, []) if item else [],
            adjustments=adjustments.get(item.pk, []) if item else [],
            disputes=disputes.get(item.pk, []) if item else [],
        )
        rows.append(row)
        by_criterion[c.pk] = row
        if item:
            self_values[c.pk] = scoring_math.ItemValue(item.score, item.not_applicable)
            verified_values[c.pk] = scoring_math.ItemValue(verified, item.not_applicable)
    for g in groups:
        g.rows = [by_criterion[c.pk] for c in g.items]
    return Sheet(
        assessment=assessment,
        groups=groups,
        rows=rows,
        self_totals=scoring_math.compute_totals(groups, criteria, self_values),
        verified_totals=scoring_math.compute_totals(groups, criteria, verified_values),
    )


# --- the dashboard ------------------------------------------------------------


@dataclass
class ReviewTasks:
    # (bloc-year, assessments left to verify by the user's agency)
    to_verify: list = field(default_factory=list)
    # (bloc-year, the agency's assessment id, number of adjustments)
    adjusted: list = field(default_factory=list)


def review_tasks_for(user: User) -> ReviewTasks:
    """What the review asks of the user's agency, in one query: assessments
    left to verify (assigned to it for cross-scoring, or, for the leading
    agency, the submitted ones) while the review runs; its own adjustments once
    the review is released and until the scores are locked."""
    tasks = ReviewTasks()
    if not user.is_authenticated or not user.agency_id:
        return tasks
    agency_id = user.agency_id

    def count_of(qs, key: str):
        grouped = qs.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)

    qs = (
        BlocYear.objects.filter(
            memberships__agency_id=agency_id,
            review__started_at__isnull=False,
            review__locked_at__isnull=True,
        )
        .select_related("bloc", "year", "review")
        .annotate(
            cross_left=count_of(
                ReviewAssignment.objects.filter(
                    bloc_year=OuterRef("pk"),
                    reviewer__agency_id=agency_id,
                    completed_at__isnull=True,
                ),
                "bloc_year",
            ),
            submitted_left=count_of(
                SelfAssessment.objects.filter(
                    membership__bloc_year=OuterRef("pk"), state=AssessmentState.SUBMITTED
                ),
                "membership__bloc_year",
            ),
            leads=Exists(
                Membership.objects.filter(
                    bloc_year=OuterRef("pk"), agency_id=agency_id, role__in=SECRETARIAT_ROLES
                )
            ),
            own_adjustments=count_of(
                Adjustment.objects.filter(
                    item__assessment__membership__bloc_year=OuterRef("pk"),
                    item__assessment__membership__agency_id=agency_id,
                ),
                "item__assessment",
            ),
            own_assessment=Subquery(
                SelfAssessment.objects.filter(
                    membership__bloc_year=OuterRef("pk"), membership__agency_id=agency_id
                ).values("pk")[:1]
            ),
        )
    )
    for bloc_year in qs:
        review = bloc_year.review
        if review.released_at is None:
            count = bloc_year.cross_left if review.uses_cross else 0
            if bloc_year.leads and review.uses_leader:
                count = max(count, bloc_year.submitted_left)
            if count:
                tasks.to_verify.append((bloc_year, count))
        elif bloc_year.own_adjustments and bloc_year.own_assessment:
            tasks.adjusted.append((bloc_year, bloc_year.own_assessment, bloc_year.own_adjustments))
    return tasks


# --- every agency's scores per criterion (the secretariat's export) -------------


@dataclass
class CriterionScores:
    membership: Membership
    criterion: Criterion
    self_score: Decimal | None
    not_applicable: bool
    # The leading agency's score, else the cross-scorer's; None while nobody verified it.
    verified: Decimal | None
    # What counts in the ranking: the verified (or self) score once the scores
    # are locked; None before.
    final: Decimal | None


def criterion_scores_of_bloc_year(bloc_year: BlocYear) -> list[CriterionScores]:
    """Each member's self, verified and final score on each criterion of its
    table, members in their order and criteria in the table's (five queries,
    whatever the number of members and criteria)."""
    review = review_of(bloc_year)
    locked = bool(review and review.locked_at)
    assessments = list(
        SelfAssessment.objects.filter(membership__bloc_year=bloc_year)
        .select_related("membership__agency")
        .order_by("membership__rotation_order", "membership__agency__name")
    )
    if not assessments:
        return []
    table_ids = {a.table_id for a in assessments}
    criteria = list(
        Criterion.objects.filter(table_id__in=table_ids)
        .select_related("group")
        .order_by("group__order", "group_id", "order", "id")
    )
    items = {
        (i.assessment_id, i.criterion_id): i
        for i in ItemScore.objects.filter(assessment__in=assessments).only(
            "pk", "assessment_id", "criterion_id", "score", "not_applicable"
        )
    }
    reviewed: dict[int, dict[str, Decimal]] = {}
    for item_id, stage, score in ReviewedScore.objects.filter(
        item__assessment__in=assessments
    ).values_list("item_id", "stage", "score"):
        reviewed.setdefault(item_id, {})[stage] = score
    rows = []
    for a in assessments:
        for c in criteria:
            if c.table_id != a.table_id:
                continue
            item = items.get((a.pk, c.pk))
            own = item.score if item else None
            checked = reviewed.get(item.pk, {}) if item else {}
            verified = effective(checked, None)
            rows.append(
                CriterionScores(
                    membership=a.membership,
                    criterion=c,
                    self_score=own,
                    not_applicable=bool(item and item.not_applicable),
                    verified=verified,
                    final=effective(checked, own) if locked else None,
                )
            )
    return rows
