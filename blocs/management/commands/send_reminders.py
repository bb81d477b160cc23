import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from blocs.enums import ASSESSMENT_EDITABLE_STATES, DeadlineStep, Phase
from blocs.models import SelfAssessment
from blocs.selectors.assessment import progress_by_assessment, today_in_vietnam
from blocs.selectors.deadlines import membership_deadlines
from blocs.services.assessment import assessment_remind


class Command(BaseCommand):
    help = (
        "E-mail the users of every agency whose self-assessment is not submitted when the "
        "deadline is N days away or less (for cron, e.g. daily at 07:00). At most one reminder "
        "per agency and day; what was sent is recorded."
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
        progress = progress_by_assessment([a.pk for a in assessments])
        sent = skipped = 0
        with translation.override("vi"):
            for a in assessments:
                year = a.membership.bloc_year.year
                deadline = deadlines[a.membership_id].date
                left = (deadline - today).days
                body = _(
                    "The self-assessment %(year)s of %(agency)s in %(bloc)s is not submitted yet. "
                    "Deadline: %(date)s (%(left)s days left). Progress: %(progress)s."
                ) % {
                    "year": year.year,
                    "agency": a.membership.agency.name,
                    "bloc": a.membership.bloc_year.bloc.name,
                    "date": deadline.strftime("%d/%m/%Y"),
                    "left": left,
                    "progress": progress[a.pk],
                }
                if assessment_remind(actor=None, assessment=a, today=today, body=body):
                    sent += 1
                else:
                    skipped += 1
        self.stdout.write(
            f"send_reminders: {sent} agencies reminded, {skipped} already reminded today."
        )
