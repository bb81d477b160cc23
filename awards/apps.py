from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: the providers read models, which exist only once the app
        # registry is ready.
        from awards import dashboard_eligibility, dashboard_meeting
        from awards.documents import dashboard as documents_dashboard
        from awards.selectors import proposal
        from emulation.dashboard import register

        register(dashboard_meeting.tasks_for)
        register(proposal.dashboard_tasks)
        register(dashboard_eligibility.tasks_for)
        register(documents_dashboard.tasks_for)
