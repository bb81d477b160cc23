"""Import award history (earlier years' decisions) from Excel, so that
prerequisites work from the first day of use.

Columns: Mã cơ quan, Mã danh hiệu (award code), Năm, Số quyết định, Ngày quyết định,
Người ký, Đột xuất/chuyên đề.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardRecord, AwardType
from awards.services import award_records_import
from blocs.models import Agency
from emulation.excel import (
    Column,
    ExcelFileError,
    ImportPreview,
    RowResult,
    mark_duplicates,
    read_sheet,
)


@dataclass
class HistoryLookups:
    """The agencies and award types a batch of rows may name, by code."""

    agencies: dict[str, Agency]
    types: dict[str, AwardType]


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


def check_rows(rows: list[RowResult], *, agencies: QuerySet[Agency]) -> HistoryLookups:
    """Check award-history rows beyond their cells' types: known agency (among
    ``agencies``) and award codes, a plausible year, not already in the
    history, not twice in the rows. Adds the errors to the rows. The Excel
    import and the API's write of an award decided elsewhere both ask this."""
    lookups = HistoryLookups(
        agencies={a.code: a for a in agencies},
        types={t.code: t for t in AwardType.objects.all()},
    )
    existing = set(
        AwardRecord.objects.filter(agency__in=agencies, one_off=False).values_list(
            "agency__code", "award_type__code", "year"
        )
    )
    for row in rows:
        v = row.values
        if v.get("agency") and v["agency"] not in lookups.agencies:
            row.errors.append(_("Unknown agency code “%(code)s”.") % {"code": v["agency"]})
        if v.get("award_type") and v["award_type"] not in lookups.types:
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
    return lookups


def record_values(row: RowResult, lookups: HistoryLookups) -> dict:
    """A valid row as the keyword arguments of the award-record services."""
    v = row.values
    return {
        "agency": lookups.agencies[v["agency"]],
        "award_type": lookups.types[v["award_type"]],
        "year": v["year"],
        "decision_number": v["decision_number"],
        "decision_date": v["decision_date"],
        "signer": v.get("signer") or "",
        "one_off": bool(v.get("one_off")),
    }


def import_history(*, actor, file, province, write: bool) -> ImportPreview:
    try:
        rows = read_sheet(file, columns=columns())
    except ExcelFileError as error:
        return ImportPreview(rows=[], file_errors=[str(error)])
    if not rows:
        return ImportPreview(rows=[], file_errors=[_("The file has no data rows.")])
    lookups = check_rows(rows, agencies=Agency.objects.filter(province=province))
    preview = ImportPreview(rows=rows)
    if write and preview.ok:
        try:
            with transaction.atomic():
                preview.written = award_records_import(
                    actor=actor, rows=[record_values(r, lookups) for r in rows]
                )
        except ValidationError as error:
            preview.file_errors.extend(error.messages)
    return preview
