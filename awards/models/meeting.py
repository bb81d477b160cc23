"""The year-end conference (hội nghị tổng kết): meeting, attendance, counting
committee and next year's leadership."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from awards.enums import AttendanceStatus, LeadershipMethod
from emulation.uploads import RandomName


class Meeting(models.Model):
    """The conference of one bloc-year, with its quorum rule (a fraction)."""

    bloc_year = models.OneToOneField(
        "blocs.BlocYear",
        verbose_name=_("bloc-year"),
        on_delete=models.PROTECT,
        related_name="meeting",
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255)
    # When the conference opened and closed, as the minutes record them; blank
    # until the secretariat enters them (the minutes cannot be issued before).
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    ends_at = models.TimeField(_("end time"), null=True, blank=True)
    chair = models.CharField(_("chair"), max_length=150)
    secretary = models.CharField(_("secretary"), max_length=150)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                name="meeting_quorum_fraction",
                condition=Q(quorum_numerator__gte=1)
                & Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=F("quorum_denominator")),
            ),
            models.CheckConstraint(
                name="meeting_ends_after_it_starts",
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
            ),
        ]

    def __str__(self):
        return f"{self.bloc_year} – {self.date:%d/%m/%Y}"


class Attendance(models.Model):
    """One member agency at the meeting: present (with its representative),
    absent, or represented by another member's head (with a written proxy)."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendances",
        db_index=False,
    )
    membership = models.ForeignKey(
        "blocs.Membership",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    representative = models.CharField(_("representative"), max_length=150, blank=True)
    proxy_to = models.ForeignKey(
        "blocs.Membership",
        verbose_name=_("proxy holder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxies_held",
    )
    authorisation = models.FileField(
        _("written authorisation"), upload_to=RandomName("proxies"), blank=True
    )
    authorisation_name = models.CharField(_("file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["membership__rotation_order", "membership__agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_unique"),
            models.CheckConstraint(
                name="attendance_proxy_consistent",
                condition=(
                    Q(status=AttendanceStatus.PROXY, proxy_to__isnull=False)
                    & ~Q(authorisation="")
                    & ~Q(proxy_to=F("membership"))
                )
                | (~Q(status=AttendanceStatus.PROXY) & Q(proxy_to__isnull=True)),
            ),
        ]

    def __str__(self):
        return f"{self.membership.agency} – {self.get_status_display()}"


class CountingCommitteeMember(models.Model):
    """A member of the counting committee (ban kiểm phiếu) of the meeting."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="counters",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("counting committee member")
        verbose_name_plural = _("counting committee")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="counter_unique"),
        ]

    def __str__(self):
        return str(self.user)


class NextLeadership(models.Model):
    """Next year's leader and deputy as the meeting settled them; read by the
    carry-forward of the bloc to the next year."""

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="next_leadership",
    )
    leader = models.ForeignKey(
        "blocs.Agency", verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+"
    )
    deputy = models.ForeignKey(
        "blocs.Agency", verbose_name=_("deputy leader"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("method"), max_length=12, choices=LeadershipMethod.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("next year's leadership")
        verbose_name_plural = _("next year's leadership")
        constraints = [
            models.CheckConstraint(
                name="next_leadership_distinct", condition=~Q(leader=F("deputy"))
            ),
        ]

    def __str__(self):
        return f"{self.leader} / {self.deputy}"
