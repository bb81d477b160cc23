"""python manage.py render_documents --year Y --bloc CODE --out DIR

Writes every document of the bloc-year (year-end report, score summary,
minutes, vote count, proposal letter, draft decision and the achievement
report of each proposed agency) as DOCX and PDF, from the data as they are
now. Nothing is stored in the database: issuing is done in the application."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from awards.documents.builders import documents_for
from blocs.models import BlocYear
from emulation.documents import render_docx, render_pdf


class Command(BaseCommand):
    help = "Write every document of a bloc-year as DOCX and PDF into a directory."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="Year of achievement, e.g. 2023."
        )
        parser.add_argument("--bloc", required=True, help="The bloc's code, e.g. tmth.")
        parser.add_argument("--out", required=True, help="Directory to write into (created).")
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Date to print on the documents (YYYY-MM-DD); blank date line if omitted.",
        )
        parser.add_argument(
            "--draft", action="store_true", help='Mark every document "DỰ THẢO" (draft).'
        )

    def handle(self, *args, year: int, bloc: str, out: str, date=None, draft=False, **options):
        bloc_year = (
            BlocYear.objects.select_related("bloc", "bloc__province", "year")
            .filter(bloc__code=bloc, year__year=year)
            .first()
        )
        if bloc_year is None:
            raise CommandError(f"No bloc-year for bloc {bloc!r} in {year}.")
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        written = 0
        for entry in documents_for(bloc_year):
            spec = entry.build(bloc_year, date=date, draft=draft)
            (directory / entry.filename("docx")).write_bytes(render_docx(spec))
            (directory / entry.filename("pdf")).write_bytes(render_pdf(spec))
            written += 2
            self.stdout.write(f"{entry.filename('docx')}, {entry.filename('pdf')}: {entry.title}")
        self.stdout.write(self.style.SUCCESS(f"{written} files written to {directory}"))
