"""Verification of self-assessments: how a bloc-year is reviewed, who reviews
whom, verified scores with their adjustments, disputes, and the locked
snapshot of final scores from which the ranking is read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from blocs.enums import DisputeState, ReviewMode, ReviewStage
from emulation.uploads import RandomName


class BlocYearReview(models.Model):
    """A bloc-year's review settings and milestones (one per bloc-year)."""

    bloc_year = models.OneToOneField(
        "blocs.BlocYear",
        verbose_name=_("bloc-year"),
        on_delete=models.CASCADE,
        related_name="review",
    )
    mode = models.CharField(
        _("review mode"), max_length=10, choices=ReviewMode.choices, default=ReviewMode.LEADER
    )
    tie_break_group = models.ForeignKey(
        "blocs.CriterionGroup",
        verbose_name=_("tie-break group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("On equal totals, the higher score in this group ranks first."),
    )
    seed = models.PositiveIntegerField(_("assignment seed"), default=0)
    started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    released_at = models.DateTimeField(_("review released at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("scores locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("ranking published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bloc-year review")
        verbose_name_plural = _("bloc-year reviews")
        constraints = [
            models.CheckConstraint(
                name="review_release_after_start",
                condition=Q(released_at__isnull=True) | Q(started_at__isnull=False),
            ),
            models.CheckConstraint(
                name="review_lock_after_release",
                condition=Q(locked_at__isnull=True) | Q(released_at__isnull=False),
            ),
            models.CheckConstraint(
                name="review_publish_after_lock",
                condition=Q(published_at__isnull=True) | Q(locked_at__isnull=False),
            ),
        ]

    def __str__(self):
        return str(self.bloc_year)

    @property
    def uses_cross(self) -> bool:
        return self.mode in (ReviewMode.CROSS, ReviewMode.BOTH)

    @property
    def uses_leader(self) -> bool:
        return self.mode in (ReviewMode.LEADER, ReviewMode.BOTH)


class ReviewAssignment(models.Model):
    """A member (reviewer) cross-scores another member's assessment."""

    bloc_year = models.ForeignKey(
        "blocs.BlocYear", on_delete=models.CASCADE, related_name="review_assignments"
    )
    reviewer = models.ForeignKey(
        "blocs.Membership",
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="reviews_given",
    )
    reviewee = models.ForeignKey(
        "blocs.Membership",
        verbose_name=_("reviewed member"),
        on_delete=models.CASCADE,
        related_name="reviews_received",
        db_index=False,
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cross-scoring assignment")
        verbose_name_plural = _("cross-scoring assignments")
        ordering = ["reviewee__rotation_order", "reviewee__agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["reviewee"], name="assignment_one_reviewer"),
            models.CheckConstraint(
                name="assignment_not_self", condition=~Q(reviewer=F("reviewee"))
            ),
        ]

    def __str__(self):
        return f"{self.reviewer.agency} → {self.reviewee.agency}"


class ReviewedScore(models.Model):
    """The verified score of one item at one stage (cross or leader)."""

    item = models.ForeignKey(
        "blocs.ItemScore", on_delete=models.CASCADE, related_name="reviewed_scores", db_index=False
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ReviewStage.choices)
    score = models.DecimalField(_("verified score"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verified score")
        verbose_name_plural = _("verified scores")
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="reviewedscore_unique"),
            models.CheckConstraint(name="reviewedscore_not_negative", condition=Q(score__gte=0)),
        ]

    def __str__(self):
        return f"{self.item_id} {self.stage}: {self.score}"


class Adjustment(models.Model):
    """A change of an item's score by a reviewer or a resolved dispute (append-only)."""

    item = models.ForeignKey(
        "blocs.ItemScore", on_delete=models.CASCADE, related_name="adjustments"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ReviewStage.choices)
    old_score = models.DecimalField(
        _("old score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    new_score = models.DecimalField(_("new score"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"))
    dispute = models.ForeignKey(
        "blocs.Dispute", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(name="adjustment_has_reason", condition=~Q(reason="")),
            models.CheckConstraint(name="adjustment_not_negative", condition=Q(new_score__gte=0)),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.old_score} → {self.new_score}"


class Dispute(models.Model):
    """An agency's objection to the verified score of one item."""

    item = models.ForeignKey("blocs.ItemScore", on_delete=models.CASCADE, related_name="disputes")
    explanation = models.TextField(_("explanation"))
    state = models.CharField(
        _("state"), max_length=10, choices=DisputeState.choices, default=DisputeState.OPEN
    )
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_score = models.DecimalField(
        _("score after resolution"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state=DisputeState.OPEN),
                name="dispute_one_open_per_item",
            ),
            models.CheckConstraint(
                name="dispute_resolved_has_reason",
                condition=Q(state=DisputeState.OPEN)
                | (~Q(resolution="") & Q(resolved_at__isnull=False)),
            ),
        ]

    def __str__(self):
        return f"{self.item_id} ({self.state})"


class DisputeEvidence(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=RandomName("dispute"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dispute evidence")
        verbose_name_plural = _("dispute evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class FinalScore(models.Model):
    """The locked snapshot of one member's final score, with its ranking."""

    bloc_year = models.ForeignKey(
        "blocs.BlocYear", on_delete=models.CASCADE, related_name="final_scores"
    )
    membership = models.OneToOneField(
        "blocs.Membership", on_delete=models.CASCADE, related_name="final_score"
    )
    self_total = models.DecimalField(_("self-assessed total"), max_digits=7, decimal_places=2)
    total = models.DecimalField(_("final total"), max_digits=7, decimal_places=2)
    deduction = models.DecimalField(_("deductions"), max_digits=7, decimal_places=2)
    tie_break_score = models.DecimalField(
        _("tie-break group score"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    women_percent = models.DecimalField(
        _("women staff (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    shared_rank = models.BooleanField(_("shared rank"), default=False)
    locked_at = models.DateTimeField(_("locked at"))

    class Meta:
        verbose_name = _("final score")
        verbose_name_plural = _("final scores")
        ordering = ["rank", "membership__rotation_order"]
        constraints = [
            models.CheckConstraint(name="finalscore_total_not_negative", condition=Q(total__gte=0)),
            models.CheckConstraint(name="finalscore_rank_positive", condition=Q(rank__gte=1)),
        ]

    def __str__(self):
        return f"{self.membership.agency}: {self.total} ({self.rank})"
