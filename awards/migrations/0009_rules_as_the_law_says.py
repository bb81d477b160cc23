"""The national default rule sets as Law 06/2022 and its decrees say: the basis
chosen by the date of consideration, the composition conditions of Art. 27–28,
the bloc's leader for the flags (no per-bloc quota for the Government flag),
the alternatives of Art. 73–74, every disqualifying case, one achievement one
form, and the bloc's vote counted on all members (provincial guidance).
Every number stays editable data; existing disqualifying facts keep blocking
as before (an open investigation or inspection is taken as showing signs of
violation)."""

import datetime

from django.db import migrations

ALL_KINDS = [
    "discipline_considered",
    "discipline",
    "investigation",
    "inspection",
    "examination",
    "complaint",
    "denunciation",
    "press",
    "dissolved",
]

VOTE_NOTE = (
    "Tỷ lệ biểu quyết của khối tính trên tổng số thành viên: hướng dẫn của tỉnh, "
    "chưa có quy định cấp quốc gia (vấn đề còn mở)."
)

RULE_SETS = {
    "Nghị định 98/2023/NĐ-CP": {
        "valid_from": datetime.date(2024, 1, 1),
        "valid_until": datetime.date(2025, 6, 30),
        "transitional_before": None,
        "note": "Áp dụng cho việc xét từ 01/01/2024 (Luật 06/2022/QH15 có hiệu lực) "
        "đến 30/6/2025.",
    },
    "Nghị định 152/2025/NĐ-CP": {
        "valid_from": datetime.date(2025, 7, 1),
        "valid_until": None,
        "transitional_before": datetime.date(2025, 7, 1),
        "note": "Áp dụng cho việc xét từ 01/7/2025. Điều 60 (quy định chuyển tiếp): hồ sơ "
        "đã nộp trước 01/7/2025 tiếp tục thực hiện theo Nghị định 98/2023/NĐ-CP "
        "(câu chữ của Điều 60 còn cần đối chiếu).",
    },
}

LED = {"type": "led_bloc"}

RULES = {
    "co_chinh_phu": {
        "quota_kind": "none",
        "quota_percent": None,
        "quota_of": None,
        "threshold_percent": 80,
        "conditions": [LED],
        "prerequisites": [{"type": "rating", "min_rating": "excellent", "years": 1}],
        "registration_required": True,
        "excludes": ["co_tinh"],
        "options": {},
        "note": "Chọn trong các tập thể dẫn đầu khối, cụm thi đua (Luật TĐKT 2022, Điều 25); "
        "không có hạn mức theo khối; Hội đồng Thi đua – Khen thưởng tỉnh chọn trong toàn tỉnh.",
    },
    "co_tinh": {
        "quota_kind": "count",
        "quota_count": 1,
        "threshold_percent": 80,
        "conditions": [LED],
        "prerequisites": [{"type": "rating", "min_rating": "excellent", "years": 1}],
        "registration_required": True,
        "excludes": ["co_chinh_phu"],
        "options": {},
        "note": "Tập thể dẫn đầu khối thi đua (Luật TĐKT 2022, Điều 26); mỗi khối 01 Cờ.",
    },
    "tt_ldxs": {
        "threshold_percent": 50,
        "conditions": [
            {"type": "completed_share", "min_percent": 100},
            {"type": "ldtt_share", "min_percent": 70},
            {"type": "cstdcs_count", "min": 1},
        ],
        "prerequisites": [{"type": "rating", "min_rating": "excellent", "years": 1}],
        "registration_required": True,
        "excludes": ["tt_ldtt"],
        "options": {},
        "note": "Luật TĐKT 2022, Điều 27: 100% hoàn thành nhiệm vụ, trong đó ít nhất 70% "
        "đạt Lao động tiên tiến; có ít nhất 01 Chiến sĩ thi đua cơ sở.",
    },
    "tt_ldtt": {
        "threshold_percent": 50,
        "conditions": [
            {"type": "ldtt_share", "min_percent": 70},
            {"type": "disciplined_max", "max": 0},
        ],
        "prerequisites": [{"type": "rating", "min_rating": "good", "years": 1}],
        "registration_required": True,
        "excludes": ["tt_ldxs"],
        "options": {},
        "note": "Luật TĐKT 2022, Điều 28: ít nhất 70% đạt Lao động tiên tiến; không có cá "
        "nhân bị kỷ luật từ hình thức cảnh cáo trở lên.",
    },
    "bk_ttg": {
        "quota_kind": "count",
        "quota_count": 1,
        "threshold_percent": 80,
        "conditions": [],
        "prerequisites": [
            {"type": "fact", "fact": "movement_outstanding"},
            {"type": "fact", "fact": "one_off"},
            {"type": "rating", "min_rating": "excellent", "years": 5},
        ],
        "excludes": ["bk_ubnd"],
        "options": {
            "earlier_award_within_window": {
                "value": False,
                "award_types": ["bk_ubnd", "co_tinh", "co_chinh_phu"],
                "note": "Có phải đã được khen thưởng trong 05 năm đó không: bắt buộc theo "
                "Nghị định 65/2014 (đã hết hiệu lực); theo Luật 2022 chưa xác định được "
                "(vấn đề còn mở). Mặc định: không bắt buộc.",
            }
        },
        "note": "Luật TĐKT 2022, Điều 73: một trong các trường hợp — tiêu biểu trong phong "
        "trào thi đua; thành tích đột xuất; 05 năm liên tục hoàn thành xuất sắc nhiệm vụ.",
    },
    "bk_ubnd": {
        "quota_kind": "percent",
        "quota_percent": "30.00",
        "quota_rounding": "down",
        "threshold_percent": 50,
        "conditions": [],
        "prerequisites": [
            {"type": "fact", "fact": "movement_outstanding"},
            {"type": "fact", "fact": "one_off"},
            {"type": "fact", "fact": "contribution"},
            {"type": "rating", "min_rating": "excellent", "years": 2},
            {"type": "award", "award_type": "tt_ldxs", "years": 2, "this_year_standard": True},
        ],
        "excludes": ["bk_ttg"],
        "options": {},
        "note": "Luật TĐKT 2022, Điều 74: một trong các trường hợp — tiêu biểu trong phong "
        "trào thi đua; thành tích đột xuất; đóng góp cho sự phát triển của tỉnh; 02 năm "
        "liên tục hoàn thành xuất sắc nhiệm vụ (hoặc 02 năm Tập thể lao động xuất sắc).",
    },
}


def apply(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    RuleSet = apps.get_model("awards", "RuleSet")
    AwardRule = apps.get_model("awards", "AwardRule")
    types = {t.code: t for t in AwardType.objects.all()}
    for rule_set in RuleSet.objects.filter(province__isnull=True, name__in=list(RULE_SETS)):
        for field, value in RULE_SETS[rule_set.name].items():
            setattr(rule_set, field, value)
        rule_set.note = f"{rule_set.note} {VOTE_NOTE}"
        rule_set.save()
        for code, fields in RULES.items():
            if code not in types:
                continue
            rule = AwardRule.objects.filter(rule_set=rule_set, award_type=types[code]).first()
            if rule is None:
                continue
            fields = dict(fields)
            if "quota_of" in fields:
                rule.quota_of = None
                fields.pop("quota_of")
            for field, value in fields.items():
                setattr(rule, field, value)
            rule.threshold_base = "all"
            rule.disqualifying_kinds = list(ALL_KINDS)
            rule.save()
    Disqualification = apps.get_model("awards", "Disqualification")
    Disqualification.objects.filter(
        kind__in=["investigation", "inspection"], ended_on__isnull=True
    ).update(signs_of_violation=True)
    Disqualification.objects.filter(ended_on__isnull=False).exclude(kind="discipline").update(
        violation_found=False
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0008_legal_basis_composition_cases")]

    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
