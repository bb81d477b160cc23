"""Import agency facts for one year from Excel.

Columns: Mã cơ quan (agency code), Xếp loại (rating), Tỷ lệ nữ (%), Văn bản căn cứ,
and optionally the composition of its people (Số người, Hoàn thành nhiệm vụ, Lao
động tiên tiến, Chiến sĩ thi đua cơ sở, Bị kỷ luật từ cảnh cáo, Số nữ) and the
achievements' evidence (Tiêu biểu phong trào, Thành tích đột xuất, Đóng góp cho
tỉnh). An empty cell keeps what is recorded.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.enums import TaskRating
from awards.services import agency_facts_save
from blocs.models import Agency
from emulation.excel import Column, ExcelFileError, ImportPreview, mark_duplicates, read_sheet


def _rating_choices() -> dict[str, str]:
    choices = {}
    for value, label in TaskRating.choices:
        choices[" ".join(str(label).split()).casefold()] = value
        choices[value] = value
    return choices


def columns() -> list[Column]:
    return [
        Column("agency", gettext_lazy("Agency code"), aliases=("mã cơ quan", "ma co quan")),
        Column(
            "rating",
            gettext_lazy("Rating"),
            required=False,
            choices=_rating_choices(),
            aliases=("xếp loại",),
        ),
        Column(
            "women_percent",
            gettext_lazy("Women (%)"),
            type="decimal",
            required=False,
            aliases=("tỷ lệ nữ (%)", "tỷ lệ nữ"),
        ),
        Column(
            "source_document",
            gettext_lazy("Source document"),
            required=False,
            max_length=255,
            aliases=("văn bản căn cứ",),
        ),
        *[
            Column(key, label, type="int", required=False, aliases=aliases)
            for key, label, aliases in STAFF_COLUMNS
        ],
        *[
            Column(key, label, required=False, max_length=500, aliases=aliases)
            for key, label, aliases in ACHIEVEMENT_COLUMNS
        ],
    ]


STAFF_COLUMNS = [
    ("staff_total", gettext_lazy("People"), ("số người", "tổng số người")),
    ("staff_completed", gettext_lazy("Completed their tasks"), ("hoàn thành nhiệm vụ",)),
    ("staff_ldtt", gettext_lazy("Lao động tiên tiến"), ("lđtt",)),
    ("staff_cstdcs", gettext_lazy("Chiến sĩ thi đua cơ sở"), ("cstđcs",)),
    (
        "staff_disciplined",
        gettext_lazy("Disciplined (warning or above)"),
        ("bị kỷ luật từ cảnh cáo", "kỷ luật"),
    ),
    ("staff_women", gettext_lazy("Women"), ("số nữ",)),
]
ACHIEVEMENT_COLUMNS = [
    (
        "movement_outstanding",
        gettext_lazy("Outstanding in a movement (evidence)"),
        ("tiêu biểu phong trào",),
    ),
    ("one_off", gettext_lazy("One-off achievement (evidence)"), ("thành tích đột xuất",)),
    (
        "contribution",
        gettext_lazy("Contribution to the province (evidence)"),
        ("đóng góp cho tỉnh",),
    ),
]


def import_facts(*, actor, file, year: int, province, write: bool) -> ImportPreview:
    """Read and check the file; with ``write`` and no error, save every row."""
    try:
        rows = read_sheet(file, columns=columns())
    except ExcelFileError as error:
        return ImportPreview(rows=[], file_errors=[str(error)])
    if not rows:
        return ImportPreview(rows=[], file_errors=[_("The file has no data rows.")])
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    for row in rows:
        code = row.values.get("agency")
        if code and code not in agencies:
            row.errors.append(_("Unknown agency code “%(code)s”.") % {"code": code})
        pct = row.values.get("women_percent")
        if pct is not None and not 0 <= pct <= 100:
            row.errors.append(_("The share of women staff must be between 0 and 100 percent."))
        total = row.values.get("staff_total")
        for key, label, _aliases in STAFF_COLUMNS:
            value = row.values.get(key)
            if value is not None and value < 0:
                row.errors.append(_("“%(column)s” cannot be negative.") % {"column": label})
            elif key != "staff_total" and None not in (value, total) and value > total:
                row.errors.append(
                    _("“%(column)s” (%(value)s) cannot exceed the number of people (%(total)s).")
                    % {"column": label, "value": value, "total": total}
                )
    mark_duplicates(rows, lambda r: r.values.get("agency"), _("The agency appears twice."))
    preview = ImportPreview(rows=rows)
    if write and preview.ok:
        preview.written = agency_facts_save(
            actor=actor,
            year=year,
            source="excel",
            rows=[
                {
                    "agency": agencies[r.values["agency"]],
                    "rating": r.values.get("rating") or "",
                    "women_percent": r.values.get("women_percent"),
                    "source_document": r.values.get("source_document") or "",
                    **{
                        key: r.values[key]
                        for key, _label, _aliases in STAFF_COLUMNS + ACHIEVEMENT_COLUMNS
                        if r.values.get(key) not in (None, "")
                    },
                }
                for r in rows
            ],
        )
    return preview
