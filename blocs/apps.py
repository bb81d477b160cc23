from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from emulation.dashboard import register


class BlocsConfig(AppConfig):
    name = "blocs"
    verbose_name = _("Emulation blocs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: the providers read models, which exist only once the app
        # registry is ready.
        from blocs import dashboard, dashboard_registration, dashboard_review
        from blocs.selectors import assessment

        register(dashboard.tasks_for)
        register(assessment.dashboard_tasks)
        register(dashboard_registration.tasks_for)
        register(dashboard_review.tasks_for)
