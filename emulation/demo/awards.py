"""Demo of eligibility: award history for 2021–2022 and facts for 2023 such that
some members of tmth are eligible and some are not, for different reasons.

2023, considered at the conference of 18/01/2024 (Nghị định 98/2023/NĐ-CP):
- Bằng khen của Chủ tịch UBND tỉnh: vpubnd, snv, skhdt rated "hoàn thành xuất
  sắc" 2022 and 2023 → eligible; ttt through its outstanding movement result,
  snv's contribution to the province is recorded too; stc: only "tốt" in 2022;
  stp: only "tốt" in 2023; vpdbqh through its 2022 Tập thể LĐXS and meeting the
  standard in 2023;
- Tập thể lao động xuất sắc (Art. 27): vpubnd, ttt (exactly 70% LĐTT),
  vpdbqh meet it; stc 68.7% LĐTT; snv 49 of 50 completed their tasks; sngv
  has no Chiến sĩ thi đua cơ sở; stp rated only "tốt";
- the flags go to the leader of the bloc (rank 1): vpubnd, registered for both;
- sngv is under a routine inspection without signs of violation: no bar;
  stc has a denunciation being handled: no award; skhdt's complaint was
  concluded on 05/01/2024 with no violation: no bar; bdt's discipline ran
  until 31/03/2023: its 2023 achievements do not count;
- skhdt was dissolved on 01/03/2025 (merged into Sở Tài chính): no award from then.
2025 (Nghị định 152/2025/NĐ-CP): Sở Dân tộc và Tôn giáo (sdttg, from 1 March 2025)
meets the two-year condition only through its predecessor Ban Dân tộc's 2024 rating
(the 2024 and 2025 ratings are illustrative, recorded so that the lineage rule shows).
"""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps

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

# 2023: agency → (people, completed their tasks, LĐTT, CSTĐCS, disciplined at warning+)
STAFF_2023 = {
    "vpubnd": (45, 45, 36, 3, 0),
    "ttt": (60, 60, 42, 2, 0),
    "stc": (80, 80, 55, 2, 0),
    "snv": (50, 49, 40, 2, 0),
    "stp": (50, 50, 36, 1, 0),
    "sngv": (35, 35, 25, 0, 0),
    "skhdt": (40, 40, 30, 1, 0),
    "vpdbqh": (30, 30, 22, 1, 0),
    "bdt": (25, 25, 18, 1, 0),
}

# 2023: achievements recorded with their evidence (Law Art. 74)
ACHIEVEMENTS_2023 = {
    "ttt": {
        "movement_outstanding": "Quyết định số 2210/QĐ-UBND ngày 28/12/2023: tập thể tiêu biểu "
        "phong trào thi đua “Chuyển đổi số” năm 2023"
    },
    "snv": {"contribution": "Báo cáo số 315/BC-UBND ngày 15/12/2023 về sắp xếp tổ chức bộ máy"},
}

# (agency, kind, year, source, from, until, signs of violation, violation found, description)
CASES = [
    (
        "sngv",
        DisqualificationKind.INSPECTION,
        2023,
        "Quyết định số 86/QĐ-TTr ngày 14/9/2023 của Thanh tra tỉnh",
        datetime.date(2023, 9, 14),
        None,
        False,
        None,
        "Thanh tra việc quản lý, sử dụng kinh phí đoàn ra, đoàn vào (theo kế hoạch; chưa có "
        "dấu hiệu vi phạm)",
    ),
    (
        "stc",
        DisqualificationKind.DENUNCIATION,
        2023,
        "Đơn tố cáo ngày 20/12/2023 do Thanh tra tỉnh thụ lý",
        datetime.date(2023, 12, 20),
        None,
        False,
        None,
        "Tố cáo việc thực hiện quy trình đấu thầu mua sắm tài sản",
    ),
    (
        "skhdt",
        DisqualificationKind.COMPLAINT,
        2023,
        "Quyết định giải quyết khiếu nại số 05/QĐ-SKHĐT ngày 05/01/2024",
        datetime.date(2023, 11, 2),
        datetime.date(2024, 1, 5),
        False,
        False,
        "Khiếu nại kết quả xét tuyển viên chức; kết luận không vi phạm",
    ),
    (
        "bdt",
        DisqualificationKind.DISCIPLINE,
        2022,
        "Quyết định kỷ luật số 118/QĐ-UBND ngày 30/9/2022 (khiển trách tập thể)",
        datetime.date(2022, 10, 1),
        datetime.date(2023, 3, 31),
        False,
        True,
        "Kỷ luật tập thể lãnh đạo, thời hạn 06 tháng",
    ),
    (
        "skhdt",
        DisqualificationKind.DISSOLVED,
        2025,
        "Nghị quyết số 12/NQ-HĐND ngày 21/02/2025 (hợp nhất vào Sở Tài chính)",
        datetime.date(2025, 3, 1),
        None,
        False,
        None,
        "Giải thể khi hợp nhất Sở Kế hoạch và Đầu tư vào Sở Tài chính",
    ),
]

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
    if not AwardType.objects.exists():
        importlib.import_module("awards.migrations.0002_load_catalogue").load(apps, None)
    if not RuleSet.objects.exists():
        importlib.import_module("awards.migrations.0004_seed_rule_sets").seed(apps, None)
        importlib.import_module("awards.migrations.0009_rules_as_the_law_says").apply(apps, None)


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

    for code, (total, completed, ldtt, cstdcs, disciplined) in STAFF_2023.items():
        agency = agencies.get(code)
        fact = AgencyYearFact.objects.filter(agency=agency, year=2023).first()
        if agency is None or fact is None or fact.staff_total is not None:
            continue
        agency_fact_set(
            actor=council,
            agency=agency,
            year=2023,
            rating=fact.rating,
            women_percent=fact.women_percent,
            source_document=fact.source_document,
            staff_total=total,
            staff_completed=completed,
            staff_ldtt=ldtt,
            staff_cstdcs=cstdcs,
            staff_disciplined=disciplined,
            **ACHIEVEMENTS_2023.get(code, {}),
        )

    for code, kind, year, source, start, end, signs, found, description in CASES:
        agency = agencies.get(code)
        if agency is None or Disqualification.objects.filter(agency=agency, kind=kind).exists():
            continue
        disqualification_add(
            actor=council,
            agency=agency,
            year=year,
            kind=kind,
            source_document=source,
            started_on=start,
            ended_on=end,
            description=description,
            signs_of_violation=signs,
            violation_found=found,
        )
    ctx.log(
        f"  awards: {AgencyYearFact.objects.count()} facts, "
        f"{AwardRecord.objects.count()} awards in history"
    )
