"""Facts per agency and year: ratings, women share, disqualifications, awards."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from awards.enums import AwardSource, DisqualificationKind, TaskRating
from awards.models.catalogue import AwardType


class AgencyYearFact(models.Model):
    """An agency's task-completion rating and share of women staff in a year."""

    agency = models.ForeignKey(
        "blocs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="facts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(
        _("task-completion rating"), max_length=16, choices=TaskRating.choices, blank=True
    )
    women_percent = models.DecimalField(
        _("women staff (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    source_document = models.CharField(_("source document"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("agency fact")
        verbose_name_plural = _("agency facts")
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="fact_unique_agency_year"),
            models.CheckConstraint(
                name="fact_women_percent_range",
                condition=Q(women_percent__isnull=True)
                | (Q(women_percent__gte=0) & Q(women_percent__lte=100)),
            ),
        ]

    def __str__(self):
        return f"{self.agency} {self.year}"


class Disqualification(models.Model):
    """A fact that bars awards for a year while it is open (no end date): discipline,
    investigation, inspection, unresolved complaint."""

    agency = models.ForeignKey(
        "blocs.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="disqualifications",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=DisqualificationKind.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    source_document = models.CharField(_("source document"), max_length=255)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("disqualifying fact")
        verbose_name_plural = _("disqualifying facts")
        ordering = ["-year", "agency__name", "started_on"]
        constraints = [
            models.CheckConstraint(
                name="disqualification_dates",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
        ]

    def __str__(self):
        return f"{self.agency} {self.year}: {self.get_kind_display()}"


class AwardRecord(models.Model):
    """An award an agency received: its history, on which prerequisites rest."""

    agency = models.ForeignKey(
        "blocs.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="award_records",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.PROTECT, related_name="records"
    )
    year = models.PositiveSmallIntegerField(_("year of achievement"))
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signer / issuer"), max_length=255, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=AwardSource.choices, default=AwardSource.MANUAL
    )
    one_off = models.BooleanField(
        _("one-off or thematic"),
        default=False,
        help_text=_("One-off (đột xuất) and thematic awards do not count for prerequisites."),
    )

    class Meta:
        verbose_name = _("award record")
        verbose_name_plural = _("award records")
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "award_type", "year"],
                condition=Q(one_off=False),
                name="awardrecord_unique_merit",
            ),
        ]

    def __str__(self):
        return f"{self.award_type} {self.year} – {self.agency}"
