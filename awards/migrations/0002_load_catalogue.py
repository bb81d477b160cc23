"""Load the award catalogue with the legal Vietnamese names (Law 06/2022/QH15)."""

from django.db import migrations

# code, legal name, short name, kind, level, for_collective, order
CATALOGUE = [
    ("co_chinh_phu", "Cờ thi đua của Chính phủ", "Cờ thi đua Chính phủ", "title", "state", True, 10),
    ("co_tinh", "Cờ thi đua của Ủy ban nhân dân tỉnh", "Cờ thi đua UBND tỉnh", "title", "province", True, 20),
    ("tt_ldxs", "Tập thể lao động xuất sắc", "Tập thể LĐXS", "title", "province", True, 30),
    ("tt_ldtt", "Tập thể lao động tiên tiến", "Tập thể LĐTT", "title", "agency", True, 40),
    ("bk_ttg", "Bằng khen của Thủ tướng Chính phủ", "Bằng khen Thủ tướng", "form", "state", True, 50),
    ("bk_ubnd", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "Bằng khen UBND tỉnh", "form", "province", True, 60),
    ("giay_khen", "Giấy khen", "Giấy khen", "form", "agency", True, 70),
    ("cstd_toan_quoc", "Chiến sĩ thi đua toàn quốc", "CSTĐ toàn quốc", "title", "state", False, 110),
    ("cstd_tinh", "Chiến sĩ thi đua cấp tỉnh", "CSTĐ cấp tỉnh", "title", "province", False, 120),
    ("cstd_co_so", "Chiến sĩ thi đua cơ sở", "CSTĐ cơ sở", "title", "agency", False, 130),
    ("ld_tien_tien", "Lao động tiên tiến", "Lao động tiên tiến", "title", "agency", False, 140),
]


def load(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    for code, name, short, kind, level, collective, order in CATALOGUE:
        AwardType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "level": level,
                "for_collective": collective,
                "order": order,
                "is_active": True,
            },
        )


def unload(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    AwardType.objects.filter(code__in=[row[0] for row in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_catalogue")]

    operations = [migrations.RunPython(load, unload)]
