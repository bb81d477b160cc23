"""Seed the two national default rule sets with the numbers of the rules
reference: Decree 98/2023/NĐ-CP for reviews of 2024 and before, Decree
152/2025/NĐ-CP from 2025. Every number stays editable data."""

from django.db import migrations

ALL_DISQUALIFIERS = ["discipline", "investigation", "inspection", "complaint"]

RULE_SETS = [
    (
        "Nghị định 98/2023/NĐ-CP",
        "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 98/2023/NĐ-CP",
        2020,
        2024,
    ),
    (
        "Nghị định 152/2025/NĐ-CP",
        "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP",
        2025,
        None,
    ),
]

# award code → rule fields (the same numbers for both decrees; provinces edit them)
RULES = {
    "co_chinh_phu": {
        "quota_kind": "percent",
        "quota_percent": "20.00",
        "quota_rounding": "down",
        "quota_of": "co_tinh",
        "threshold_percent": 80,
        "threshold_base": "valid",
        "prerequisites": [{"type": "eligible_for", "award_type": "co_tinh"}],
        "registration_required": True,
        "note": "Tối đa 20% số tập thể đạt tiêu chuẩn Cờ thi đua cấp tỉnh.",
    },
    "co_tinh": {
        "quota_kind": "count",
        "quota_count": 1,
        "threshold_percent": 80,
        "threshold_base": "valid",
        "prerequisites": [{"type": "rating", "min_rating": "excellent", "years": 1}],
        "registration_required": True,
        "note": "Tập thể dẫn đầu khối thi đua; mỗi khối 01 Cờ.",
    },
    "tt_ldxs": {
        "threshold_percent": 50,
        "threshold_base": "valid",
        "prerequisites": [{"type": "rating", "min_rating": "excellent", "years": 1}],
        "registration_required": True,
    },
    "tt_ldtt": {
        "threshold_percent": 50,
        "threshold_base": "valid",
        "prerequisites": [{"type": "rating", "min_rating": "good", "years": 1}],
        "registration_required": True,
    },
    "bk_ttg": {
        "quota_kind": "count",
        "quota_count": 1,
        "threshold_percent": 80,
        "threshold_base": "valid",
        "prerequisites": [{"type": "rating", "min_rating": "excellent", "years": 5}],
    },
    "bk_ubnd": {
        "quota_kind": "percent",
        "quota_percent": "30.00",
        "quota_rounding": "down",
        "threshold_percent": 50,
        "threshold_base": "valid",
        "prerequisites": [
            {"type": "rating", "min_rating": "excellent", "years": 2},
            {"type": "award", "award_type": "tt_ldxs", "years": 2, "end_offset": 1},
        ],
    },
}


def seed(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    RuleSet = apps.get_model("awards", "RuleSet")
    AwardRule = apps.get_model("awards", "AwardRule")
    types = {t.code: t for t in AwardType.objects.all()}
    for name, basis, first, last in RULE_SETS:
        if RuleSet.objects.filter(province__isnull=True, name=name).exists():
            continue
        rule_set = RuleSet.objects.create(
            province=None, name=name, legal_basis=basis, first_year=first, last_year=last
        )
        for code, fields in RULES.items():
            if code not in types:
                continue
            fields = dict(fields)
            quota_of = fields.pop("quota_of", None)
            AwardRule.objects.create(
                rule_set=rule_set,
                award_type=types[code],
                quota_of=types.get(quota_of) if quota_of else None,
                disqualifying_kinds=list(ALL_DISQUALIFIERS),
                **fields,
            )


def unseed(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    RuleSet.objects.filter(province__isnull=True, name__in=[r[0] for r in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_rules_and_facts")]

    operations = [migrations.RunPython(seed, unseed)]
