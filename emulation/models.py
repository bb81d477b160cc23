from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rules.permissions import has_perm as object_rule
from rules.permissions import perm_exists

from emulation.enums import (
    AgencyRole,
    DocumentKind,
    EmailDelivery,
    NarrativeSection,
    NotificationKind,
)
from emulation.text import download_name
from emulation.uploads import RandomName


def name_shown(full_name: str, first_name: str, last_name: str, username: str) -> str:
    """A user's name as pages show it (``User.get_full_name``), from its
    columns: for a page that reads many users' names without their objects."""
    return full_name or f"{first_name} {last_name}".strip() or username


class User(AbstractUser):
    """A person who logs in.

    Agency users (officer or head) belong to one agency. Council staff belong to
    one province and see only it; a national user sees every province.
    Superusers administer the system in the Django admin.
    """

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    agency = models.ForeignKey(
        "blocs.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    agency_role = models.CharField(
        _("role in the agency"), max_length=16, choices=AgencyRole.choices, blank=True
    )
    is_council_staff = models.BooleanField(
        _("council staff"),
        default=False,
        help_text=_("Staff of the provincial Emulation and Commendation Council's secretariat."),
    )
    province = models.ForeignKey(
        "blocs.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_staff",
        help_text=_("The province whose data council staff may see."),
    )
    is_national = models.BooleanField(
        _("national view"),
        default=False,
        help_text=_("Sees every province (the Ministry's view)."),
    )

    invited_at = models.DateTimeField(
        _("invited at"),
        null=True,
        blank=True,
        help_text=_("When the council last e-mailed the invitation to set a password."),
    )

    objects = UserManager()

    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("vi", "Tiếng Việt"), ("en", "English")],
        help_text=_("The language the user chose for the interface; empty: Vietnamese."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_agency_role_with_agency",
                condition=(
                    Q(agency__isnull=True, agency_role="")
                    | Q(agency__isnull=False) & ~Q(agency_role="")
                ),
            ),
            models.CheckConstraint(
                name="user_council_staff_has_scope",
                condition=Q(is_council_staff=False)
                | Q(province__isnull=False)
                | Q(is_national=True),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return name_shown(self.full_name, self.first_name, self.last_name, self.username)

    def has_perm(self, perm, obj=None):
        # The permissions of the emulation cycle (``<app>/rules.py``) are
        # answered by their predicates alone: an administrator is no bloc's
        # secretariat and casts no ballot. Every other permission (the admin's
        # model permissions) keeps Django's rule that an active superuser has it.
        if perm_exists(perm):
            return object_rule(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def is_agency_head(self) -> bool:
        return self.agency_id is not None and self.agency_role == AgencyRole.HEAD

    @property
    def is_agency_officer(self) -> bool:
        return self.agency_id is not None and self.agency_role == AgencyRole.OFFICER

    @property
    def invitation_pending(self) -> bool:
        """Invited and the password not yet set."""
        return self.invited_at is not None and not self.has_usable_password()


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit events are append-only.")

    def delete(self):
        raise PermissionDenied("Audit events are append-only.")


class AuditEvent(models.Model):
    """One recorded state change. Append-only: written once, never changed.

    Written only through ``emulation.audit.record``; the admin shows it read-only
    and, on PostgreSQL, a trigger refuses UPDATE and DELETE.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        # Every state change writes an event, so the table has only the
        # indexes its readers use: an object's history (type and key), the
        # log by action (matched whole: no index for LIKE), by time and by
        # actor (the foreign key's own).
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are append-only.")


class IssuedDocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Issued documents are immutable.")

    def delete(self):
        raise PermissionDenied("Issued documents are immutable.")


class IssuedDocument(models.Model):
    """One issued version of an official document: its DOCX and PDF as issued.

    Written only by ``emulation.documents.services.document_issue``; never
    changed or regenerated afterwards. Issuing again makes a new version.
    ``subject_key`` ("blocs.blocyear:12", "awards.proposal:3") names what the
    document is about, so versions count per kind and subject.
    """

    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    bloc_year = models.ForeignKey(
        "blocs.BlocYear",
        verbose_name=_("bloc-year"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    subject_key = models.CharField(max_length=120, editable=False)
    title = models.CharField(_("title"), max_length=255)
    number = models.CharField(_("number"), max_length=60, blank=True)
    date = models.DateField(_("date"))
    version = models.PositiveSmallIntegerField(_("version"))
    docx = models.FileField(_("DOCX file"), upload_to=RandomName("documents"), max_length=200)
    pdf = models.FileField(_("PDF file"), upload_to=RandomName("documents"), max_length=200)
    docx_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(
        User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["kind", "subject_key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "version"], name="issueddocument_version_unique"
            ),
            models.CheckConstraint(
                name="issueddocument_version_positive", condition=Q(version__gte=1)
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Issued documents are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Issued documents are immutable.")

    def filename(self, extension: str) -> str:
        """ "bien-ban-hop-04-bb-ktd-v1.pdf": the Vietnamese name of the document
        whatever the reader's language."""
        with translation.override("vi"):
            kind = str(self.get_kind_display())
        return download_name(kind, self.number, f"v{self.version}", extension=extension)


class DocumentNarrative(models.Model):
    """A narrative section of a bloc-year's documents (the year-end report, the
    minutes), written by the bloc secretariat. Written only by
    ``awards.documents.narratives.narrative_save``."""

    bloc_year = models.ForeignKey(
        "blocs.BlocYear",
        verbose_name=_("bloc-year"),
        on_delete=models.CASCADE,
        related_name="document_narratives",
        db_index=False,
    )
    section = models.CharField(_("section"), max_length=30, choices=NarrativeSection.choices)
    text = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document narrative")
        verbose_name_plural = _("document narratives")
        ordering = ["bloc_year", "section"]
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "section"], name="narrative_unique"),
        ]

    def __str__(self):
        return f"{self.bloc_year} – {self.get_section_display()}"


class Notification(models.Model):
    """Something a user is told, in the app and (by the user's choice) by e-mail.

    Written only by ``emulation.services.notification_send``, in the same
    transaction as the change it tells of. It keeps its kind and parameters,
    not a text: the text is rendered in the reader's language when shown, and
    in the recipient's language when e-mailed (``emulation.notifications``).
    """

    recipient = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email = models.CharField(
        _("e-mail"), max_length=10, choices=EmailDelivery.choices, default=EmailDelivery.NONE
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.CharField(_("last e-mail error"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self):
        return f"{self.recipient} – {self.get_kind_display()}"


class EmailOptOut(models.Model):
    """A kind of notification a user does not want by e-mail (shown in the app
    all the same). No row: the kind comes by e-mail."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="email_opt_outs", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)

    class Meta:
        verbose_name = _("e-mail opt-out")
        verbose_name_plural = _("e-mail opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()}"
