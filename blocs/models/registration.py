"""The start of the year: movements taken up, the covenant, each agency's
registration of targets and titles, and its progress reports."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from blocs.enums import (
    REGISTRATION_EDITABLE_STATES,
    CovenantState,
    MovementLauncher,
    ProgressPeriod,
    RegistrationState,
)
from blocs.models.organisation import BlocYear, Membership, Province
from emulation.uploads import RandomName


class Movement(models.Model):
    """An emulation movement (phong trào thi đua) launched in a province."""

    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="movements",
        db_index=False,
    )
    title = models.CharField(_("title"), max_length=300)
    launched_by = models.CharField(
        _("launched by"), max_length=20, choices=MovementLauncher.choices
    )
    launch_document = models.CharField(
        _("launching document"),
        max_length=200,
        blank=True,
        help_text=_("Number and date of the directive or plan, e.g. Chỉ thị số 10/CT-TTg."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    anniversary = models.CharField(
        _("anniversary aimed at"),
        max_length=300,
        blank=True,
        help_text=_("The anniversary or event the movement is aimed at, if any."),
    )
    description = models.TextField(_("description"), blank=True)
    document = models.FileField(
        _("document"), upload_to=RandomName("movements"), max_length=200, blank=True
    )
    document_name = models.CharField(_("document name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["province", "title"], name="movement_unique_title"),
            models.CheckConstraint(
                name="movement_dates",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
            ),
        ]

    def __str__(self):
        return self.title


class BlocYearMovement(models.Model):
    """A movement taken up by a bloc in a year."""

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("bloc-year"),
        on_delete=models.CASCADE,
        related_name="movements_taken_up",
        db_index=False,
    )
    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("how the bloc takes it up"), max_length=500, blank=True)
    taken_up_at = models.DateTimeField(_("taken up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("movement taken up")
        verbose_name_plural = _("movements taken up")
        ordering = ["movement__starts_on", "movement__title"]
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "movement"], name="blocyearmovement_once"),
        ]

    def __str__(self):
        return f"{self.movement} – {self.bloc_year}"


class Covenant(models.Model):
    """The emulation covenant (giao ước thi đua) the members of a bloc-year sign."""

    bloc_year = models.OneToOneField(
        BlocYear, verbose_name=_("bloc-year"), on_delete=models.CASCADE, related_name="covenant"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CovenantState.choices, default=CovenantState.DRAFT
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    signed_on = models.DateField(_("signing date"))
    place = models.CharField(_("place"), max_length=100)
    content = models.TextField(
        _("content"), help_text=_("One paragraph per line; a line in capitals is a heading.")
    )
    signed_scan = models.FileField(
        _("signed scan"), upload_to=RandomName("covenants"), max_length=200, blank=True
    )
    signed_scan_name = models.CharField(_("file name"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")
        constraints = [
            models.CheckConstraint(
                name="covenant_signed_has_scan",
                condition=Q(state=CovenantState.DRAFT) | ~Q(signed_scan=""),
            ),
        ]

    def __str__(self):
        return f"{_('Covenant')} – {self.bloc_year}"


class Registration(models.Model):
    """An agency's registration (đăng ký thi đua) in a bloc-year."""

    membership = models.OneToOneField(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="registration",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=RegistrationState.choices,
        default=RegistrationState.DRAFT,
    )
    award_types = models.ManyToManyField(
        "awards.AwardType",
        verbose_name=_("titles and forms aimed for"),
        related_name="registrations",
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_reason = models.CharField(_("reason for reopening"), max_length=500, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                name="registration_submitted_has_time",
                condition=Q(state=RegistrationState.DRAFT) | Q(submitted_at__isnull=False),
            ),
            models.CheckConstraint(
                name="registration_reopened_has_reason",
                condition=~Q(state=RegistrationState.REOPENED) | ~Q(reopened_reason=""),
            ),
        ]

    def __str__(self):
        return f"{_('Registration')} – {self.membership.agency}"

    @property
    def is_editable(self) -> bool:

        return self.state in REGISTRATION_EDITABLE_STATES


class RegistrationTarget(models.Model):
    """One registered target: a measurable indicator and its target value."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="targets",
        db_index=False,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    indicator = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("registered target")
        verbose_name_plural = _("registered targets")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "indicator"], name="target_unique_indicator"
            ),
            models.CheckConstraint(name="target_value_positive", condition=Q(target_value__gt=0)),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.target_value} {self.unit}"


class TargetProgress(models.Model):
    """What an agency reports on one target at the mid-year review or the year end."""

    target = models.ForeignKey(
        RegistrationTarget,
        verbose_name=_("target"),
        on_delete=models.CASCADE,
        related_name="progress",
        db_index=False,
    )
    period = models.CharField(_("period"), max_length=10, choices=ProgressPeriod.choices)
    value = models.DecimalField(_("value achieved"), max_digits=14, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)

    class Meta:
        verbose_name = _("progress on a target")
        verbose_name_plural = _("progress on targets")
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="progress_once_per_period"),
            models.CheckConstraint(name="progress_value_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self):
        return f"{self.target} – {self.get_period_display()}: {self.value}"
