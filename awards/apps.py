from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from blocs import hooks
from emulation.dashboard import register


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: these modules read models, which exist only once the app
        # registry is ready.
        from awards import dashboard_eligibility, dashboard_meeting
        from awards.documents import dashboard as documents_dashboard
        from awards.selectors import proposal, registrable_award_types, women_share_by_agency
        from awards.selectors.meeting import next_leadership_for

        hooks.women_shares.supply(women_share_by_agency)
        hooks.registrable_award_types.supply(registrable_award_types)
        hooks.next_leadership.supply(next_leadership_for)

        register(dashboard_meeting.tasks_for)
        register(proposal.dashboard_tasks)
        register(dashboard_eligibility.tasks_for)
        register(documents_dashboard.tasks_for)
