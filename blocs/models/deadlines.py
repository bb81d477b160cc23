"""Later deadlines the council gives one bloc-year, or one agency in it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blocs.enums import DeadlineStep


class DeadlineExtension(models.Model):
    """A later deadline for one step of one bloc-year (``membership`` empty) or
    of one agency in it. The effective deadline is the latest of the year's,
    the bloc-year's and the agency's (``blocs.selectors.deadlines``)."""

    bloc_year = models.ForeignKey(
        "blocs.BlocYear",
        verbose_name=_("bloc-year"),
        on_delete=models.CASCADE,
        related_name="deadline_extensions",
    )
    membership = models.ForeignKey(
        "blocs.Membership",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadline_extensions",
    )
    step = models.CharField(_("step"), max_length=20, choices=DeadlineStep.choices)
    deadline = models.DateField(_("extended deadline"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"))

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["step", "membership_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "step"],
                condition=Q(membership__isnull=True),
                name="extension_one_per_bloc_year_step",
            ),
            models.UniqueConstraint(
                fields=["bloc_year", "membership", "step"],
                condition=Q(membership__isnull=False),
                name="extension_one_per_agency_step",
            ),
            models.CheckConstraint(name="extension_reason_given", condition=~Q(reason="")),
        ]

    def __str__(self):
        return f"{self.get_step_display()} → {self.deadline:%d/%m/%Y}"
