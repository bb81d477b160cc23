"""Self-assessments: one per membership, a score per criterion, evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blocs.enums import AssessmentState
from emulation.uploads import RandomName


class SelfAssessment(models.Model):
    membership = models.OneToOneField(
        "blocs.Membership",
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="self_assessment",
    )
    table = models.ForeignKey(
        "blocs.ScoringTable",
        verbose_name=_("scoring table"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    report = models.TextField(_("narrative report"), blank=True)
    report_version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    # Set when the secretariat returns or reopens it: the agency may then edit
    # and submit after the deadline. Cleared on submission.
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["membership__rotation_order", "membership__agency__name"]

    def __str__(self):
        return str(self.membership)


class ItemScore(models.Model):
    assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,
    )
    criterion = models.ForeignKey(
        "blocs.Criterion",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="item_scores",
    )
    score = models.DecimalField(
        _("self score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    note = models.TextField(_("note"), blank=True)
    # Incremented by every save: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="itemscore_unique"),
            models.CheckConstraint(
                name="itemscore_score_not_negative",
                condition=Q(score__isnull=True) | Q(score__gte=0),
            ),
            models.CheckConstraint(
                name="itemscore_na_has_no_score",
                condition=Q(not_applicable=False) | Q(score__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.score}"


class Evidence(models.Model):
    item = models.ForeignKey(
        ItemScore, verbose_name=_("item"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=RandomName("evidence"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class AssessmentDelegation(models.Model):
    """The head lets another user of the agency submit the self-assessment."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="delegations", db_index=False
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegate"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("submission delegation")
        verbose_name_plural = _("submission delegations")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "delegate"], name="delegation_unique"),
        ]

    def __str__(self):
        return f"{self.delegate} – {self.assessment}"


class ReminderSent(models.Model):
    """A deadline reminder e-mailed to an agency: at most one per day."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    sent_on = models.DateField(_("sent on"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "sent_on"], name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.assessment} – {self.sent_on}"
