"""Scoring tables: a table per year (province default or one bloc's), its
groups and criteria. Frozen once a self-assessment window opens."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blocs.enums import CriterionKind


class ScoringTable(models.Model):
    year = models.ForeignKey(
        "blocs.EmulationYear",
        verbose_name=_("year"),
        on_delete=models.PROTECT,
        related_name="scoring_tables",
    )
    bloc = models.ForeignKey(
        "blocs.Bloc",
        verbose_name=_("bloc"),
        on_delete=models.PROTECT,
        related_name="scoring_tables",
        null=True,
        blank=True,
        help_text=_("Empty: the province's default table for the year."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=255)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("scoring table")
        verbose_name_plural = _("scoring tables")
        ordering = ["-year__year", "bloc__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "bloc", "version"],
                condition=Q(bloc__isnull=False),
                name="scoringtable_unique_bloc_version",
            ),
            models.UniqueConstraint(
                fields=["year", "version"],
                condition=Q(bloc__isnull=True),
                name="scoringtable_unique_default_version",
            ),
            models.CheckConstraint(
                name="scoringtable_version_positive", condition=Q(version__gte=1)
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class CriterionGroup(models.Model):
    table = models.ForeignKey(
        ScoringTable,
        verbose_name=_("scoring table"),
        on_delete=models.CASCADE,
        related_name="groups",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=255)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("criterion group")
        verbose_name_plural = _("criterion groups")
        ordering = ["table", "order", "id"]
        constraints = [
            models.CheckConstraint(
                name="criteriongroup_max_positive", condition=Q(max_points__gt=0)
            ),
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    # Denormalised from group so that the database holds "codes unique per table".
    table = models.ForeignKey(
        ScoringTable,
        on_delete=models.CASCADE,
        related_name="criteria",
        editable=False,
        db_index=False,
    )
    group = models.ForeignKey(
        CriterionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("criterion"))
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CriterionKind.choices, default=CriterionKind.STANDARD
    )
    step = models.DecimalField(
        _("step"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.25"),
        help_text=_("Scores must be multiples of this, e.g. 0.25."),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    na_allowed = models.BooleanField(_("may be not applicable"), default=False)
    guidance = models.TextField(_("guidance"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="criterion_code_unique"),
            models.CheckConstraint(name="criterion_max_positive", condition=Q(max_points__gt=0)),
            models.CheckConstraint(name="criterion_step_positive", condition=Q(step__gt=0)),
            models.CheckConstraint(
                name="criterion_na_only_standard",
                condition=Q(na_allowed=False) | Q(kind=CriterionKind.STANDARD),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.text[:60]}"
