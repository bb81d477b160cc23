import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q

from blocs.enums import ASSESSMENT_EDITABLE_STATES, DeadlineStep, Phase
from blocs.models import SelfAssessment
from blocs.selectors.assessment import today_in_vietnam
from blocs.selectors.deadlines import membership_deadlines
from blocs.services.assessment import assessment_remind


class Command(BaseCommand):
    help = (
        "Remind the users of every agency whose self-assessment is not submitted when the "
        "deadline is N days away or less (for cron, e.g. daily at 07:00): a notification in the "
        "application, and an e-mail to each user who chose it. At most one reminder per agency "
        "and day (a second run the same day sends nothing); what was sent is recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=3, help="Remind this many days before the deadline."
        )

    def handle(self, *args, days: int = 3, **options):
        today = today_in_vietnam()
        last = today + datetime.timedelta(days=days)
        # The effective deadline is never before the year's, and is the year's
        # unless the bloc-year or the agency was given more time.
        candidates = list(
            SelfAssessment.objects.filter(
                Q(membership__bloc_year__year__self_assessment_deadline__gte=today)
                | Q(
                    membership__bloc_year__deadline_extensions__step=DeadlineStep.SELF_ASSESSMENT,
                    membership__bloc_year__deadline_extensions__deadline__gte=today,
                ),
                state__in=ASSESSMENT_EDITABLE_STATES,
                membership__bloc_year__phase=Phase.SELF_ASSESSMENT,
                membership__bloc_year__year__self_assessment_deadline__lte=last,
            )
            .distinct()
            .select_related(
                "membership__agency", "membership__bloc_year__year", "membership__bloc_year__bloc"
            )
        )
        deadlines = membership_deadlines(
            [a.membership for a in candidates], DeadlineStep.SELF_ASSESSMENT
        )
        assessments = [a for a in candidates if today <= deadlines[a.membership_id].date <= last]
        sent = skipped = 0
        for a in assessments:
            if assessment_remind(actor=None, assessment=a, today=today):
                sent += 1
            else:
                skipped += 1
        self.stdout.write(
            f"send_reminders: {sent} agencies reminded, {skipped} already reminded today."
        )
