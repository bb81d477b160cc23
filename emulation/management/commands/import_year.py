from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from emulation.backup import import_year


class Command(BaseCommand):
    help = "Restore an archive written by export_year (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            written = import_year(Path(file).read_bytes())
        except (ValidationError, OSError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        for label, count in sorted(written.items()):
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"{sum(written.values())} rows restored."))
