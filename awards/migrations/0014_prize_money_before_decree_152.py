"""Prize money before Decree 152/2025 as dated data, and what is not yet
confirmed about the base salaries.

The coefficients of Decree 152/2025 (Art. 50–54, quoted in the rules
reference) now apply from 1 July 2025. Before it, the decision's date picks
Decree 98/2023 (from 1 January 2024, with Law 06/2022) or Decree 91/2017
(until 31 December 2023). Their coefficients are entered as the software's
reading of those decrees, not checked against the texts here: each row is
marked unconfirmed with its note, for the council to verify or correct.

Base salaries: 2,340,000 from 1 July 2024 (Decree 73/2024) is in the rules
reference; 1,490,000 (Decree 38/2019) and 1,800,000 (Decree 24/2023) are not,
and are marked unconfirmed with a note.
"""

import datetime
from decimal import Decimal

from django.db import migrations, models

DECREE_152_FROM = datetime.date(2025, 7, 1)
DECREE_98 = (datetime.date(2024, 1, 1), datetime.date(2025, 6, 30))
DECREE_91_UNTIL = datetime.date(2023, 12, 31)

NOTE_EARLIER = (
    "Hệ số theo cách đọc {decree} của phần mềm, chưa đối chiếu với văn bản gốc: "
    "cần Hội đồng kiểm tra trước khi dùng cho quyết định khen thưởng."
)
# (award, coefficient) for the collectives, articles not checked either; a
# collective's Bằng khen is twice an individual's (1.0 times the base salary
# for the province's).
EARLIER = {
    "Nghị định 91/2017/NĐ-CP": [
        ("co_chinh_phu", "12"),
        ("co_tinh", "8"),
        ("tt_ldxs", "1.5"),
        ("tt_ldtt", "0.8"),
        ("bk_ttg", "7"),
        ("bk_ubnd", "2"),
    ],
    "Nghị định 98/2023/NĐ-CP": [
        ("co_chinh_phu", "12"),
        ("co_tinh", "8"),
        ("tt_ldxs", "1.5"),
        ("tt_ldtt", "0.8"),
        ("bk_ttg", "7"),
        ("bk_ubnd", "2"),
    ],
}
SALARY_NOTES = {
    datetime.date(2019, 7, 1): "Không có trong tài liệu tra cứu quy định của dự án; "
    "chưa đối chiếu với Nghị định 38/2019/NĐ-CP.",
    datetime.date(2023, 7, 1): "Không có trong tài liệu tra cứu quy định của dự án; "
    "chưa đối chiếu với Nghị định 24/2023/NĐ-CP.",
}


def apply(apps, schema_editor):
    """Idempotent: the 152/2025 rows get their start date, the earlier
    decrees' rows are added once, the base salaries get their notes."""
    AwardType = apps.get_model("awards", "AwardType")
    Coefficient = apps.get_model("awards", "PrizeCoefficient")
    BaseSalary = apps.get_model("awards", "BaseSalary")
    types = {t.code: t for t in AwardType.objects.all()}
    Coefficient.objects.filter(
        province__isnull=True, source__contains="152/2025", valid_from__isnull=True
    ).update(valid_from=DECREE_152_FROM, confirmed=True, note="")
    for decree, rows in EARLIER.items():
        if decree.startswith("Nghị định 91"):
            valid_from, valid_to = None, DECREE_91_UNTIL
        else:
            valid_from, valid_to = DECREE_98
        for code, coefficient in rows:
            if code not in types:
                continue
            source = f"{decree}, mức tiền thưởng"
            if Coefficient.objects.filter(
                province__isnull=True, award_type=types[code], source=source
            ).exists():
                continue
            Coefficient.objects.create(
                award_type=types[code],
                coefficient=Decimal(coefficient),
                valid_from=valid_from,
                valid_to=valid_to,
                source=source,
                confirmed=False,
                note=NOTE_EARLIER.format(decree=decree),
            )
    for valid_from, note in SALARY_NOTES.items():
        BaseSalary.objects.filter(valid_from=valid_from).update(confirmed=False, note=note)


def unapply(apps, schema_editor):
    Coefficient = apps.get_model("awards", "PrizeCoefficient")
    Coefficient.objects.filter(
        province__isnull=True,
        source__in=[f"{decree}, mức tiền thưởng" for decree in EARLIER],
    ).delete()
    Coefficient.objects.filter(province__isnull=True, source__contains="152/2025").update(
        valid_from=None
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0013_meeting_times")]

    operations = [
        migrations.AddField(
            model_name="basesalary",
            name="confirmed",
            field=models.BooleanField(
                default=True,
                help_text="Untick when the value is applied meanwhile, not yet confirmed in the text.",
                verbose_name="confirmed in the text",
            ),
        ),
        migrations.AddField(
            model_name="basesalary",
            name="note",
            field=models.CharField(blank=True, max_length=500, verbose_name="note"),
        ),
        migrations.RunPython(apply, unapply),
    ]
