"""Demo of eligibility: award history for 2021–2022 and facts for 2023 such that
some members of tmth are eligible and some are not, for different reasons.

2023 (Nghị định 98/2023/NĐ-CP), Bằng khen của Chủ tịch UBND tỉnh:
- vpubnd, ttt, snv, skhdt, bdt: rated "hoàn thành xuất sắc" 2022 and 2023 → eligible;
- stc: only "hoàn thành tốt" in 2022 → not eligible;
- stp: only "hoàn thành tốt" in 2023 → not eligible (nor Tập thể LĐXS);
- sngv: under inspection in 2023 → no award at all;
- vpdbqh: rated "tốt" in 2022 but Tập thể LĐXS 2021 and 2022 → eligible through its awards.
2025 (Nghị định 152/2025/NĐ-CP): Sở Dân tộc và Tôn giáo (sdttg, from 1 March 2025)
meets the two-year condition only through its predecessor Ban Dân tộc's 2024 rating
(the 2024 and 2025 ratings are illustrative, recorded so that the lineage rule shows).
"""

from __future__ import annotations

import datetime
import importlib

from awards.enums import AwardSource, DisqualificationKind, TaskRating
from awards.models import AgencyYearFact, AwardRecord, AwardType, Disqualification, RuleSet
from awards.services import agency_fact_set, award_record_add, disqualification_add
from emulation.demo import DemoContext

X, T = TaskRating.EXCELLENT, TaskRating.GOOD

# agency → {year: rating}
RATINGS = {
    "vpubnd": {2021: X, 2022: X, 2023: X},
    "ttt": {2021: X, 2022: X, 2023: X},
    "stc": {2021: X, 2022: T, 2023: X},
    "snv": {2021: X, 2022: X, 2023: X},
    "stp": {2021: X, 2022: X, 2023: T},
    "sngv": {2021: X, 2022: X, 2023: X},
    "skhdt": {2021: T, 2022: X, 2023: X},
    "vpdbqh": {2021: X, 2022: T, 2023: X},
    "bdt": {2021: T, 2022: X, 2023: X, 2024: X},
    "sdttg": {2025: X},
}

WOMEN = {
    "vpubnd": "46.5",
    "ttt": "31.0",
    "stc": "58.2",
    "snv": "62.0",
    "stp": "71.4",
    "sngv": "55.0",
    "skhdt": "44.8",
    "vpdbqh": "52.3",
    "bdt": "38.9",
}

# (agency, award, year, decision number, decision date)
HISTORY = [
    ("vpubnd", "tt_ldxs", 2021, "356/QĐ-UBND", datetime.date(2022, 2, 18)),
    ("vpubnd", "co_tinh", 2021, "357/QĐ-UBND", datetime.date(2022, 2, 18)),
    ("vpubnd", "tt_ldxs", 2022, "412/QĐ-UBND", datetime.date(2023, 2, 24)),
    ("ttt", "tt_ldxs", 2022, "412/QĐ-UBND", datetime.date(2023, 2, 24)),
    ("ttt", "co_tinh", 2022, "413/QĐ-UBND", datetime.date(2023, 2, 24)),
    ("snv", "tt_ldxs", 2021, "356/QĐ-UBND", datetime.date(2022, 2, 18)),
    ("snv", "tt_ldxs", 2022, "412/QĐ-UBND", datetime.date(2023, 2, 24)),
    ("vpdbqh", "tt_ldxs", 2021, "356/QĐ-UBND", datetime.date(2022, 2, 18)),
    ("vpdbqh", "tt_ldxs", 2022, "412/QĐ-UBND", datetime.date(2023, 2, 24)),
    ("stp", "bk_ubnd", 2022, "415/QĐ-UBND", datetime.date(2023, 2, 24)),
]

ONE_OFF = [
    # A thematic award: recorded, but it does not count for prerequisites.
    ("stc", "bk_ubnd", 2022, "1205/QĐ-UBND", datetime.date(2022, 9, 2)),
]

SIGNER = "Chủ tịch Ủy ban nhân dân tỉnh"


def _ensure_reference_data() -> None:
    """The catalogue and the two rule sets come from data migrations; a test
    database flushed by a transactional test has lost them, so reload them
    (the migration functions are idempotent)."""
    from django.apps import apps

    if not AwardType.objects.exists():
        importlib.import_module("awards.migrations.0002_load_catalogue").load(apps, None)
    if not RuleSet.objects.exists():
        importlib.import_module("awards.migrations.0004_seed_rule_sets").seed(apps, None)


def run(ctx: DemoContext) -> None:
    _ensure_reference_data()
    council = ctx.data["council"]
    agencies = dict(ctx.data["agencies"])
    types = {t.code: t for t in AwardType.objects.all()}

    for code, by_year in RATINGS.items():
        agency = agencies.get(code)
        if agency is None:
            continue
        for year, rating in by_year.items():
            if AgencyYearFact.objects.filter(agency=agency, year=year).exists():
                continue
            agency_fact_set(
                actor=council,
                agency=agency,
                year=year,
                rating=rating,
                women_percent=WOMEN.get(code) if year in (2022, 2023) else None,
                source_document=f"Quyết định xếp loại năm {year} của UBND tỉnh",
            )

    for rows, one_off in ((HISTORY, False), (ONE_OFF, True)):
        for code, award, year, number, date in rows:
            agency = agencies[code]
            if AwardRecord.objects.filter(
                agency=agency, award_type=types[award], year=year, decision_number=number
            ).exists():
                continue
            award_record_add(
                actor=council,
                agency=agency,
                award_type=types[award],
                year=year,
                decision_number=number,
                decision_date=date,
                signer=SIGNER,
                source=AwardSource.IMPORTED,
                one_off=one_off,
            )

    sngv = agencies["sngv"]
    if not Disqualification.objects.filter(agency=sngv, year=2023).exists():
        disqualification_add(
            actor=council,
            agency=sngv,
            year=2023,
            kind=DisqualificationKind.INSPECTION,
            source_document="Quyết định số 86/QĐ-TTr ngày 14/9/2023 của Thanh tra tỉnh",
            started_on=datetime.date(2023, 9, 14),
            description="Thanh tra việc quản lý, sử dụng kinh phí đoàn ra, đoàn vào",
        )
    ctx.log(
        f"  awards: {AgencyYearFact.objects.count()} facts, "
        f"{AwardRecord.objects.count()} awards in history"
    )
