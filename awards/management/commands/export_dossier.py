"""python manage.py export_dossier --year Y --bloc CODE --out FILE.zip

Writes the bloc-year's dossier: FILE.zip (every issued document in PDF and
DOCX, the table of contents, the evidence index and the merged PDF) and,
beside it, FILE.pdf, the merged PDF alone in the order a council files it.
Only issued documents are included (the newest version of each)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from awards.documents.export import assemble_dossier
from blocs.models import BlocYear


class Command(BaseCommand):
    help = "Write a bloc-year's dossier of issued documents as a ZIP and a merged PDF."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="Year of achievement, e.g. 2023."
        )
        parser.add_argument("--bloc", required=True, help="The bloc's code, e.g. tmth.")
        parser.add_argument(
            "--out", required=True, help="The ZIP file to write; the merged PDF goes beside it."
        )

    def handle(self, *args, year: int, bloc: str, out: str, **options):
        bloc_year = (
            BlocYear.objects.select_related("bloc", "bloc__province", "year")
            .filter(bloc__code=bloc, year__year=year)
            .first()
        )
        if bloc_year is None:
            raise CommandError(f"No bloc-year for bloc {bloc!r} in {year}.")
        archive_path = Path(out)
        if archive_path.suffix.lower() != ".zip":
            raise CommandError("--out must name a .zip file.")
        try:
            dossier = assemble_dossier(bloc_year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        archive_path.parent.mkdir(parents=True, exist_ok=True)
        archive_path.write_bytes(dossier.archive)
        merged_path = archive_path.with_suffix(".pdf")
        merged_path.write_bytes(dossier.merged_pdf)
        self.stdout.write(
            f"{archive_path}: {dossier.documents} documents; {merged_path}: {dossier.pages} pages."
        )
