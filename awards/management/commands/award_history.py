"""Print an agency's award history, its predecessors included."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from awards.selectors import award_history
from blocs.models import Agency
from blocs.selectors import agency_history


class Command(BaseCommand):
    help = "Print the award history of the agency CODE, including its predecessors."

    def add_arguments(self, parser):
        parser.add_argument("code", help="agency code, e.g. stc")
        parser.add_argument("--language", default="vi", help="language of the output (vi, en)")

    def handle(self, *args, code, language, **options):
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(f"No agency with code {code!r}.")
        with translation.override(language):
            agencies, links = agency_history(agency)
            self.stdout.write(f"{agency.name} ({agency.code})")
            for link in links:
                self.stdout.write(
                    f"  {link.predecessor.name} ({link.predecessor.code}) → "
                    f"{link.successor.name} ({link.successor.code}): "
                    f"{link.get_kind_display()} {link.effective_date:%d/%m/%Y}"
                )
            records = list(award_history(agency_ids=[a.pk for a in agencies]))
            if not records:
                self.stdout.write(str(translation.gettext("No award recorded.")))
            for record in records:
                via = "" if record.agency_id == agency.pk else f" [{record.agency.code}]"
                self.stdout.write(
                    f"{record.year}\t{record.award_type.name}{via}\t"
                    f"{record.decision_number} {record.decision_date:%d/%m/%Y}"
                    f"\t{record.get_source_display()}"
                )
