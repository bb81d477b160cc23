from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from emulation.admin_site import AuditedAdmin, ReadOnlyAdmin
from emulation.models import AuditEvent, User

# Audit events no list or page shows (they stay in the append-only log): the
# casts of a secret ballot (their order and times), and the counting
# committee's paper counts (votes per candidate, before any publication).
HIDDEN_AUDIT_ACTIONS = ("ballot.cast", "poll.paper_count")


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = (
        "username",
        "full_name",
        "agency",
        "agency_role",
        "is_council_staff",
        "province",
        "is_superuser",
        "is_active",
    )
    list_filter = ("agency_role", "is_council_staff", "is_superuser", "is_active", "province")
    search_fields = ("username", "full_name", "email", "agency__name", "agency__code")
    list_select_related = ("agency", "province")
    autocomplete_fields = ("agency",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "position", "email")}),
        (
            _("Role"),
            {"fields": ("agency", "agency_role", "is_council_staff", "province", "is_national")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "agency",
                    "agency_role",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


class AuditActionFilter(admin.SimpleListFilter):
    """The actions listed, without the hidden ones (not even as a filter choice)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = (
            AuditEvent.objects.exclude(action__in=HIDDEN_AUDIT_ACTIONS)
            .order_by("action")
            .values_list("action", flat=True)
            .distinct()
        )
        return [(action, action) for action in actions]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events can be looked at, never changed or deleted.

    They are read in the list alone, which names no event's number: events
    are numbered in the order they are written, so the numbers left out by
    the hidden casts would say how many heads voted between two listed
    events (and a page opened by number would answer differently for a
    hidden one)."""

    list_display = ("created_at", "actor_name", "action", "target_repr", "data")
    list_display_links = None
    list_filter = (AuditActionFilter,)
    search_fields = ("action", "actor_name", "target_repr", "target_id")
    date_hierarchy = "created_at"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="{}_{}_changelist".format(*info),
            )
        ]

    def get_queryset(self, request):
        # A secret ballot's casts are not listed one by one: their times and
        # order would say who voted when (and, in a small poll, how). Who
        # voted is listed once per poll, by name, in its "poll.close" event.
        # Paper counts carry a tally that is shown only once published.
        return super().get_queryset(request).exclude(action__in=HIDDEN_AUDIT_ACTIONS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Issued documents: immutable; shown for inspection only.
from emulation.models import IssuedDocument  # noqa: E402


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("title", "kind", "number", "date", "version", "issued_by", "issued_at")
    list_filter = ("kind",)
    search_fields = ("title", "number", "subject_key")
    list_select_related = ("issued_by",)


# Notifications: shown for inspection (a failed e-mail's error, its attempts).
from emulation.models import Notification  # noqa: E402


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "read_at", "email", "email_attempts")
    list_filter = ("kind", "email")
    search_fields = ("recipient__username", "email_error")
    list_select_related = ("recipient",)


# --- what other libraries put in the admin --------------------------------------------
# Login locks are lifted on the council's page (audited), not by deleting the
# throttle's rows; task results are the worker's record. A group's
# permissions and a user's second-factor devices (reset when a phone is
# lost) stay editable, audited like the rest of the configuration.
OTHER_APPS_READ_ONLY = (
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "django_tasks_database.DBTaskResult",
)
OTHER_APPS_AUDITED = ("auth.Group", "otp_totp.TOTPDevice", "otp_static.StaticDevice")


def restrict_other_apps(site: admin.AdminSite) -> None:
    """Put the admins of the models other libraries registered under the same
    rules as ours: read-only, or every change audited (called once every
    app's admin module is loaded)."""
    for labels, mixin, extra in (
        (OTHER_APPS_READ_ONLY, ReadOnlyAdmin, {"actions": []}),
        (OTHER_APPS_AUDITED, AuditedAdmin, {}),
    ):
        for label in labels:
            model = apps.get_model(label)
            current = site._registry.get(model)
            if current is None or isinstance(current, mixin):
                continue
            site.unregister(model)
            site.register(model, type(type(current).__name__, (mixin, type(current)), extra))
