from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from emulation.admin_site import AuditedAdmin, ReadOnlyAdmin
from emulation.models import AuditEvent, User


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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events can be looked at, never changed or deleted."""

    list_display = ("created_at", "actor_name", "action", "target_repr")
    list_filter = ("action",)
    search_fields = ("action", "actor_name", "target_repr", "target_id")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "actor",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "data",
    )

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
