from pathlib import Path

from django.core.management.base import BaseCommand

from emulation.backup import export_year


class Command(BaseCommand):
    help = "Write a complete, versioned archive (data and files) of one emulation year."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--out", required=True, help="the .zip file to write")

    def handle(self, *args, year: int, out: str, **options):
        content = export_year(year)
        Path(out).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Year {year}: {len(content)} bytes written to {out}"))
