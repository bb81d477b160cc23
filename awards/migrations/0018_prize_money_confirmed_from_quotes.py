"""Prize money before Decree 152/2025 and the earlier base salaries, checked
against sources that quote the decrees.

Confirmed (each row's note names the article and where it was read):
- Decree 91/2017 Art. 69 (titles: Cờ Chính phủ 12, Cờ tỉnh 8, Tập thể LĐXS
  1.5, Tập thể LĐTT 0.8) and Art. 73 (Bằng khen of the Prime Minister 3.5
  and of the province 1.0 for a person, twice that for a collective: 7 and 2);
- Decree 98/2023 Art. 54 (the same four titles: 12, 8, 1.5, 0.8);
- base salary 1,490,000 from 1 July 2019 (Decree 38/2019) and 1,800,000 from
  1 July 2023 (Decree 24/2023).
Not found: Decree 98/2023's coefficients for the Bằng khen; those two rows
stay "not confirmed", with a note saying what the software applies meanwhile.
"""

import datetime
import importlib

from django.db import migrations

SOURCE_91 = "Nghị định 91/2017/NĐ-CP, mức tiền thưởng"
SOURCE_98 = "Nghị định 98/2023/NĐ-CP, mức tiền thưởng"

NOTE_91_TITLES = (
    "Điều 69 Nghị định 91/2017/NĐ-CP; đối chiếu qua trích dẫn (thuvienphapluat.vn, "
    "hoatieu.vn)."
)
NOTE_91_MERIT = (
    "Điều 73 Nghị định 91/2017/NĐ-CP: cá nhân được tặng Bằng khen của Thủ tướng Chính phủ "
    "3,5 lần, Bằng khen cấp bộ, ngành, tỉnh 1,0 lần mức lương cơ sở; tập thể gấp hai lần cá "
    "nhân. Đối chiếu qua trích dẫn (plo.vn, lawnet.vn, hoatieu.vn)."
)
NOTE_98_TITLES = (
    "Điều 54 Nghị định 98/2023/NĐ-CP; đối chiếu qua trích dẫn (Cổng thông tin phường Phương "
    "Đúc, Thừa Thiên Huế; lsvn.vn)."
)
NOTE_98_MERIT = (
    "Chưa tìm thấy trích dẫn hệ số Bằng khen của Nghị định 98/2023/NĐ-CP. Trong khi chờ Hội "
    "đồng kiểm tra, phần mềm áp dụng mức của Nghị định 91/2017/NĐ-CP (cá nhân {person} lần, "
    "tập thể gấp hai lần)."
)
TITLES = ("co_chinh_phu", "co_tinh", "tt_ldxs", "tt_ldtt")
MERIT = {"bk_ttg": "3,5", "bk_ubnd": "1,0"}

SALARIES = {
    datetime.date(2019, 7, 1): "Nghị định 38/2019/NĐ-CP: 1.490.000 đồng/tháng từ ngày "
    "01/7/2019; đối chiếu qua trích dẫn (thuvienphapluat.vn).",
    datetime.date(2023, 7, 1): "Nghị định 24/2023/NĐ-CP ngày 14/5/2023: 1.800.000 đồng/tháng "
    "từ ngày 01/7/2023; đối chiếu qua trích dẫn (Sở Nội vụ tỉnh Nam Định).",
}


def apply(apps, schema_editor):
    Coefficient = apps.get_model("awards", "PrizeCoefficient")
    BaseSalary = apps.get_model("awards", "BaseSalary")
    national = Coefficient.objects.filter(province__isnull=True)
    for code in TITLES:
        national.filter(source=SOURCE_91, award_type__code=code).update(
            confirmed=True, note=NOTE_91_TITLES
        )
        national.filter(source=SOURCE_98, award_type__code=code).update(
            confirmed=True, note=NOTE_98_TITLES
        )
    for code, person in MERIT.items():
        national.filter(source=SOURCE_91, award_type__code=code).update(
            confirmed=True, note=NOTE_91_MERIT
        )
        national.filter(source=SOURCE_98, award_type__code=code).update(
            confirmed=False, note=NOTE_98_MERIT.format(person=person)
        )
    for valid_from, note in SALARIES.items():
        BaseSalary.objects.filter(valid_from=valid_from).update(confirmed=True, note=note)


def unapply(apps, schema_editor):
    """Back to 0014's marks: every earlier row unconfirmed, with its note."""
    Coefficient = apps.get_model("awards", "PrizeCoefficient")
    BaseSalary = apps.get_model("awards", "BaseSalary")
    earlier = importlib.import_module("awards.migrations.0014_prize_money_before_decree_152")
    for decree in earlier.EARLIER:
        Coefficient.objects.filter(
            province__isnull=True, source=f"{decree}, mức tiền thưởng"
        ).update(confirmed=False, note=earlier.NOTE_EARLIER.format(decree=decree))
    for valid_from, note in earlier.SALARY_NOTES.items():
        BaseSalary.objects.filter(valid_from=valid_from).update(confirmed=False, note=note)


class Migration(migrations.Migration):
    dependencies = [("awards", "0017_dossier_export")]

    operations = [migrations.RunPython(apply, unapply)]
