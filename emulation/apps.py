from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "emulation"
    verbose_name = _("System")
    default = True
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The search connects to the models' signals: imported once the app
        # registry is ready.
        from emulation import search

        search.connect()

        # Timestamps read from PostgreSQL are parsed in C (emulation.timestamps).
        from emulation import timestamps

        timestamps.connect()

        # A migration may change rows without the services (a data migration):
        # the figures kept in the shared cache are renewed after each.
        from django.db.models.signals import post_migrate

        from emulation.figures import renew_after_migrate

        post_migrate.connect(renew_after_migrate, dispatch_uid="emulation.figures")


class EmulationAdminConfig(admin_apps.AdminConfig):
    """The admin, restricted to superusers (see emulation.admin_site)."""

    default = False
    default_site = "emulation.admin_site.EmulationAdminSite"

    def ready(self):
        super().ready()  # loads every app's admin module
        from django.contrib.admin import site

        from emulation.admin import restrict_other_apps

        restrict_other_apps(site)
