"""Facts per agency and year: ratings, women share, disqualifications, awards."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from awards.enums import AwardSource, DisqualificationKind, TaskRating
from awards.models.catalogue import AwardType


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


class AgencyYearFact(models.Model):
    """An agency's facts for a year: task-completion rating, women share, the
    composition of its people (Law Art. 27, 28), and achievements recorded
    with their evidence (Law Art. 73, 74). Empty = no such fact recorded."""

    agency = models.ForeignKey(
        "blocs.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="facts",
        db_index=False,
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
    staff_total = _count(_("people"))
    staff_completed = _count(_("people who completed their tasks"))
    staff_ldtt = _count(_("people holding Lao động tiên tiến"))
    staff_cstdcs = _count(_("people holding Chiến sĩ thi đua cơ sở"))
    staff_disciplined = _count(_("people disciplined at warning or above"))
    staff_women = _count(_("women"))
    movement_outstanding = models.CharField(
        _("outstanding in an emulation movement (evidence)"), max_length=500, blank=True
    )
    one_off = models.CharField(_("one-off achievement (evidence)"), max_length=500, blank=True)
    contribution = models.CharField(
        _("contribution to the province's development (evidence)"), max_length=500, blank=True
    )

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
            *[
                models.CheckConstraint(
                    name=f"fact_{part}_within_total",
                    condition=Q(**{f"staff_{part}__isnull": True})
                    | Q(staff_total__isnull=True)
                    | Q(**{f"staff_{part}__lte": F("staff_total")}),
                )
                for part in ("completed", "ldtt", "cstdcs", "disciplined", "women")
            ],
        ]

    def __str__(self):
        return f"{self.agency} {self.year}"

    def staff(self):
        """The composition as a plain dict (None values = not recorded)."""
        return {
            "total": self.staff_total,
            "completed": self.staff_completed,
            "ldtt": self.staff_ldtt,
            "cstdcs": self.staff_cstdcs,
            "disciplined": self.staff_disciplined,
            "women": self.staff_women,
        }


class Disqualification(models.Model):
    """A case that bars awards, judged on the date of consideration
    (Decree 98/2023 Art. 4, Decree 152/2025 Art. 4, Circular 15/2025).

    A case (discipline being considered, investigation, inspection,
    examination, complaint, denunciation, press verification) bars while open
    on that date — an investigation, inspection or examination only with
    ``signs_of_violation``; once closed it bars no more unless a violation
    was found (then for the achievement years it concerns: ``year``). An
    imposed discipline (kind ``discipline``) has its period from
    ``started_on`` to ``ended_on``; achievements count only from its end.
    A dissolved unit (kind ``dissolved``, ``started_on`` = the date) receives
    nothing from then on."""

    agency = models.ForeignKey(
        "blocs.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="disqualifications",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=24, choices=DisqualificationKind.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    source_document = models.CharField(_("source document"), max_length=255)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    signs_of_violation = models.BooleanField(_("with signs of violation"), default=False)
    violation_found = models.BooleanField(
        _("violation found at the conclusion"),
        null=True,
        blank=True,
        help_text=_("Empty: not concluded yet (or not stated)."),
    )

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
    # The key another system gave this award (an award received through the
    # API): a second call with the same key finds this record instead of
    # writing another. Empty for awards entered, imported or decided here.
    external_key = models.CharField(_("external key"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

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
            # The key is the sending system's: unique per agency, hence within
            # one province (another province's keys never collide with it).
            models.UniqueConstraint(
                fields=["agency", "external_key"],
                condition=~Q(external_key=""),
                name="awardrecord_unique_external_key",
            ),
        ]

    def __str__(self):
        return f"{self.award_type} {self.year} – {self.agency}"


class LeadingChoice(models.Model):
    """The collective the bloc's conference chose as **leading the bloc** for
    the year (Law Art. 25, 26), where the ranking does not settle it (a shared
    first rank). When recorded, it replaces "rank 1 after the tie-breaks"."""

    bloc_year = models.OneToOneField(
        "blocs.BlocYear",
        verbose_name=_("bloc-year"),
        on_delete=models.CASCADE,
        related_name="leading_choice",
    )
    membership = models.ForeignKey(
        "blocs.Membership",
        verbose_name=_("member leading the bloc"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_document = models.CharField(_("source document"), max_length=255)

    class Meta:
        verbose_name = _("collective leading the bloc")
        verbose_name_plural = _("collectives leading their blocs")

    def __str__(self):
        return f"{self.bloc_year}: {self.membership}"
