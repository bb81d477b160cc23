from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.utils.translation import gettext_lazy as _

from emulation import audit


class EmulationAdminSite(admin.AdminSite):
    """The Django admin, for superusers only."""

    site_header = _("Emulation blocs – administration")
    site_title = _("Emulation blocs administration")
    index_title = _("Administration")

    def has_permission(self, request):
        # Only in a session verified by the second factor (the site's
        # middleware sends an unverified one to the code step first).
        verified = not settings.TWO_FACTOR_REQUIRED or request.user.is_verified()
        return request.user.is_active and request.user.is_superuser and verified


class ReadOnlyAdmin:
    """Workflow data: shown for inspection; changes go through the
    application's services (which check the rules and audit them)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Configuration the admin may change: every change is written to the
    audit log, and a delete that would take workflow data with it by cascade
    (anything this admin could not delete one by one: memberships,
    assessments, ballots…) is refused."""

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        for model, instances in collector.data.items():
            if model is self.model or model._meta.auto_created:
                continue
            model_admin = self.admin_site._registry.get(model)
            if model_admin is None or not all(
                model_admin.has_delete_permission(request, obj) for obj in instances
            ):
                perms_needed.add(model._meta.verbose_name)
        return deleted, model_count, perms_needed, protected

    def log_addition(self, request, obj, message):
        audit.record(actor=request.user, action="admin.add", target=obj, data={"change": message})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit.record(
            actor=request.user, action="admin.change", target=obj, data={"change": message}
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit.record(
                actor=request.user, action="admin.delete", target=obj, data={"object": str(obj)}
            )
        return super().log_deletions(request, queryset)
