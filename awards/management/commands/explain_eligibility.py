"""Print the eligibility matrix of a bloc-year with the reasons."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from awards.eligibility import matrix
from awards.models import AwardType
from blocs.models import BlocYear


class Command(BaseCommand):
    help = "Print, for a bloc-year, every member × award type: eligible or not, and why."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="year of achievement, e.g. 2023"
        )
        parser.add_argument("--bloc", required=True, help="bloc code, e.g. tmth")
        parser.add_argument(
            "--award",
            action="append",
            default=[],
            help="award type code (repeatable); default: all",
        )
        parser.add_argument("--language", default="vi", help="language of the reasons (vi, en)")

    def handle(self, *args, year, bloc, award, language, **options):
        bloc_year = (
            BlocYear.objects.select_related("bloc", "bloc__province", "year")
            .filter(bloc__code=bloc, year__year=year)
            .first()
        )
        if bloc_year is None:
            raise CommandError(f"No bloc-year for bloc {bloc!r} and year {year}.")
        award_types = None
        if award:
            found = {t.code: t for t in AwardType.objects.filter(code__in=award)}
            unknown = [code for code in award if code not in found]
            if unknown:
                raise CommandError(f"Unknown award type(s): {', '.join(unknown)}")
            award_types = [found[code] for code in award]
        with translation.override(language):
            result = matrix(bloc_year=bloc_year, award_types=award_types)
            out = self.stdout
            out.write(f"{bloc_year.bloc.name} – {year}")
            if result.rule_set is not None:
                out.write(f"{result.rule_set.name}: {result.rule_set.legal_basis}")
            out.write(f"{result.considered_on:%d/%m/%Y}")
            out.write("")
            width = max((len(m.agency.display_name) for m in result.memberships), default=10)
            codes = [t.code for t in result.award_types]
            out.write(" ".join([" " * width, *[c.ljust(12) for c in codes]]))
            for membership, cells in result.rows():
                marks = [("✓" if c.eligible else "✗").ljust(12) for c in cells]
                out.write(" ".join([membership.agency.display_name.ljust(width), *marks]))
            for membership, cells in result.rows():
                out.write("")
                out.write(f"== {membership.agency.name}")
                for cell in cells:
                    out.write(f"  [{'✓' if cell.eligible else '✗'}] {cell.award_type.name}")
                    for reason in cell.reasons:
                        out.write(f"      - {reason}")
