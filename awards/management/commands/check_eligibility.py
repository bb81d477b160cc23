"""Judge hypothetical agencies from a JSON file, without touching the database.

    python manage.py check_eligibility --file CASES.json [--format json]

The input and output formats are described in ``awards.what_if``; the
verdicts come from the same engine as the eligibility pages.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from awards.models import AwardType
from awards.what_if import WhatIfError, judge_cases


class Command(BaseCommand):
    help = (
        "Judge hypothetical agencies (a JSON file of cases) for co_chinh_phu, co_tinh, "
        "tt_ldxs, tt_ldtt, bk_ttg and bk_ubnd, with the reasons; writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True, help="the JSON file of cases")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--language", default="vi", help="language of the reasons (vi, en)")

    def handle(self, *args, file, format, language, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from None
        with translation.override(language):
            try:
                result = judge_cases(data)
            except WhatIfError as error:
                raise CommandError(str(error)) from None
            if format == "json":
                self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
                return
            self._text(result)

    def _text(self, result):
        names = dict(AwardType.objects.values_list("code", "name"))
        out = self.stdout
        for case in result["cases"]:
            day = datetime.date.fromisoformat(case["considered_on"])
            out.write(
                f"== {case['id']} — "
                + _("considered on %(date)s") % {"date": day.strftime("%d/%m/%Y")}
            )
            out.write("   " + _("Legal basis: %(basis)s") % {"basis": case["legal_basis"] or "—"})
            for code, verdict in case["verdicts"].items():
                mark = "✓" if verdict["eligible"] else "✗"
                out.write(f"  [{mark}] {names.get(code, code)} ({code})")
                for reason in verdict["reasons"]:
                    out.write(f"      - {reason}")
            out.write("")
