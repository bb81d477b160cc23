"""Shared body of the import_agencies and import_memberships commands."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from blocs.models import Province


class ImportCommand(BaseCommand):
    importer = None  # a module with run(file, *, actor, provinces, dry_run)
    what = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print its errors; write nothing.",
        )

    def handle(self, *args, file: str, dry_run: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        with translation.override("vi"):
            try:
                result = self.importer.run(
                    path, actor=None, provinces=Province.objects.all(), dry_run=dry_run
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            if not result.ok:
                for line in result.error_lines():
                    self.stderr.write(line)
                raise CommandError(
                    f"{self.what}: the file is invalid ({result.error_count} errors); "
                    "nothing was written."
                )
            if dry_run:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{self.what}: {len(result.rows)} rows valid (dry run: nothing written)."
                    )
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{self.what}: {len(result.rows)} rows valid, {result.written} written."
                    )
                )
