from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from blocs.importers import scoring_table
from blocs.models import Bloc, EmulationYear


class Command(BaseCommand):
    help = (
        "Import a scoring table from an .xlsx file (one row per criterion: group no., group, "
        "group maximum, code, criterion, maximum points, kind, step, evidence required, may be "
        "not applicable, guidance, order). Without --bloc it is the province's default table "
        "for the year. Nothing is written unless every row is valid; a frozen table gets a new "
        "version."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx file to import.")
        parser.add_argument("--year", type=int, required=True, help="The year, e.g. 2024.")
        parser.add_argument("--bloc", help="Code of the bloc whose own table this is.")
        parser.add_argument(
            "--province", help="Province code (needed only when several provinces have the year)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and print its errors only."
        )

    def handle(self, *args, file, year, bloc=None, province=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        bloc_obj = None
        if bloc:
            bloc_obj = Bloc.objects.filter(code=bloc).first()
            if bloc_obj is None:
                raise CommandError(f"No bloc with code {bloc}.")
        years = EmulationYear.objects.filter(year=year)
        if bloc_obj is not None:
            years = years.filter(province_id=bloc_obj.province_id)
        if province:
            years = years.filter(province__code=province)
        years = list(years)
        if not years:
            raise CommandError(f"No emulation year {year} (create it first).")
        if len(years) > 1:
            raise CommandError(f"Several provinces have the year {year}: give --province.")
        with translation.override("vi"):
            try:
                result, table = scoring_table.import_table(
                    path, actor=None, year=years[0], bloc=bloc_obj, dry_run=dry_run
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            if not result.ok:
                for line in result.error_lines():
                    self.stderr.write(line)
                raise CommandError(
                    f"import_scoring_table: the file is invalid ({result.error_count} errors); "
                    "nothing was written."
                )
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"import_scoring_table: {len(result.rows)} criteria valid "
                    "(dry run: nothing written)."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"import_scoring_table: {result.written} criteria written to "
                    f"“{table.name}” version {table.version} (id {table.pk})."
                )
            )
