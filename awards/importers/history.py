"""Import award history (earlier years' decisions) from Excel, so that
prerequisites work from the first day of use.

Columns: Mã cơ quan, Mã danh hiệu (award code), Năm, Số quyết định, Ngày quyết định,
Người ký, Đột xuất/chuyên đề.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardRecord, AwardType
from awards.services import award_records_import
from blocs.models import Agency
from emulation.excel import Column, ExcelFileError, ImportPreview, mark_duplicates, read_sheet


def columns() -> list[Column]:
    return [
        Column("agency", gettext_lazy("Agency code"), aliases=("mã cơ quan",)),
        Column("award_type", gettext_lazy("Award code"), aliases=("mã danh hiệu",)),
        Column("year", gettext_lazy("Year"), type="int", aliases=("năm",)),
        Column(
            "decision_number",
            gettext_lazy("Decision number"),
            max_length=60,
            aliases=("số quyết định",),
        ),
        Column(
            "decision_date",
            gettext_lazy("Decision date"),
            type="date",
            aliases=("ngày quyết định",),
        ),
        Column(
            "signer", gettext_lazy("Signer"), required=False, max_length=255, aliases=("người ký",)
        ),
        Column(
            "one_off",
            gettext_lazy("One-off or thematic"),
            type="bool",
            required=False,
            aliases=("đột xuất/chuyên đề", "đột xuất"),
        ),
    ]


def import_history(*, actor, file, province, write: bool) -> ImportPreview:
    try:
        rows = read_sheet(file, columns=columns())
    except ExcelFileError as error:
        return ImportPreview(rows=[], file_errors=[str(error)])
    if not rows:
        return ImportPreview(rows=[], file_errors=[_("The file has no data rows.")])
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    types = {t.code: t for t in AwardType.objects.all()}
    existing = set(
        AwardRecord.objects.filter(agency__province=province, one_off=False).values_list(
            "agency__code", "award_type__code", "year"
        )
    )
    for row in rows:
        v = row.values
        if v.get("agency") and v["agency"] not in agencies:
            row.errors.append(_("Unknown agency code “%(code)s”.") % {"code": v["agency"]})
        if v.get("award_type") and v["award_type"] not in types:
            row.errors.append(_("Unknown award code “%(code)s”.") % {"code": v["award_type"]})
        if v.get("year") is not None and not 2000 <= v["year"] <= 2100:
            row.errors.append(_("The year must be between 2000 and 2100."))
        if (
            not v.get("one_off")
            and (v.get("agency"), v.get("award_type"), v.get("year")) in existing
        ):
            row.errors.append(_("This award is already in the history."))
    mark_duplicates(
        [r for r in rows if not r.values.get("one_off")],
        lambda r: (r.values.get("agency"), r.values.get("award_type"), r.values.get("year")),
        _("The same award appears twice."),
    )
    preview = ImportPreview(rows=rows)
    if write and preview.ok:
        try:
            with transaction.atomic():
                preview.written = award_records_import(
                    actor=actor,
                    rows=[
                        {
                            "agency": agencies[r.values["agency"]],
                            "award_type": types[r.values["award_type"]],
                            "year": r.values["year"],
                            "decision_number": r.values["decision_number"],
                            "decision_date": r.values["decision_date"],
                            "signer": r.values.get("signer") or "",
                            "one_off": bool(r.values.get("one_off")),
                        }
                        for r in rows
                    ],
                )
        except ValidationError as error:
            preview.file_errors.extend(error.messages)
    return preview
