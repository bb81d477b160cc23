"""Import and export of agencies (Excel).

One row per agency: code, name, short name, active from/until and, optionally,
the province code. A new code creates the agency; a known code updates its
names and dates. Nothing is written unless every row is valid.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs import services
from blocs.models import Agency, Province
from emulation.excel import Column, ExcelFileError, ImportPreview, mark_duplicates, read_sheet

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

COLUMNS = [
    Column(
        "code",
        gettext_lazy("Agency code"),
        max_length=40,
        aliases=("agency code", "mã cơ quan", "mã", "code"),
    ),
    Column(
        "name",
        gettext_lazy("Agency name"),
        max_length=255,
        aliases=("agency name", "tên cơ quan", "tên", "name"),
    ),
    Column(
        "short_name",
        gettext_lazy("Short name"),
        required=False,
        max_length=100,
        aliases=("short name", "tên viết tắt", "tên ngắn"),
    ),
    Column(
        "active_from",
        gettext_lazy("Active from"),
        type="date",
        required=False,
        aliases=("active from", "hoạt động từ", "từ ngày"),
    ),
    Column(
        "active_to",
        gettext_lazy("Active until"),
        type="date",
        required=False,
        aliases=("active until", "hoạt động đến", "đến ngày"),
    ),
    Column(
        "province",
        gettext_lazy("Province code"),
        required=False,
        max_length=20,
        aliases=("province code", "mã tỉnh", "province"),
    ),
]

FIELDS = ("name", "short_name", "active_from", "active_to")

ACTION_LABELS = {
    "create": gettext_lazy("new"),
    "update": gettext_lazy("update"),
    "same": gettext_lazy("unchanged"),
}


def export_rows(agencies):
    """Header and rows for ``workbook_response``, in the import's format."""
    headers = [c.header for c in COLUMNS]
    rows = [
        [a.code, a.name, a.short_name, a.active_from, a.active_to, a.province.code]
        for a in agencies
    ]
    return headers, rows


def _default_province(default_province, allowed):
    if default_province is not None:
        return default_province
    if len(allowed) == 1:
        return allowed[0]
    return None


def preview(file, *, provinces, default_province: Province | None = None) -> ImportPreview:
    """Read and check the file; write nothing.

    ``provinces`` are the provinces the importing user manages; a row for
    another province is an error.
    """
    allowed = list(provinces)
    try:
        rows = read_sheet(file, columns=COLUMNS)
    except ExcelFileError as exc:
        return ImportPreview(rows=[], file_errors=[str(exc)])
    result = ImportPreview(rows=rows)
    if not rows:
        result.file_errors.append(_("The file has no data rows."))
        return result
    by_code = {p.code: p for p in allowed}
    fallback = _default_province(default_province, allowed)
    codes = {str(r.values.get("code") or "").lower() for r in rows}
    existing = {a.code: a for a in Agency.objects.filter(code__in=codes).select_related("province")}
    for row in rows:
        values = row.values
        code = (values.get("code") or "").lower()
        values["code"] = code
        if code and not CODE_RE.match(code):
            row.errors.append(
                _(
                    "Bad agency code “%(code)s”: use lower-case Latin letters, digits, "
                    "hyphens or underscores."
                )
                % {"code": code}
            )
        province_code = (values.get("province") or "").lower()
        province = by_code.get(province_code) if province_code else fallback
        if province is None:
            if province_code:
                row.errors.append(
                    _("Unknown province code “%(code)s”, or not one you manage.")
                    % {"code": province_code}
                )
            else:
                row.errors.append(_("Give the province code: you manage several provinces."))
        values["province_obj"] = province
        start, end = values.get("active_from"), values.get("active_to")
        if start and end and end < start:
            row.errors.append(_("“Active until” is before “Active from”."))
        agency = existing.get(code)
        values["agency"] = agency
        values["short_name"] = values.get("short_name") or ""
        if agency is not None:
            if province is not None and agency.province_id != province.pk:
                row.errors.append(
                    _("The code “%(code)s” belongs to an agency of %(province)s.")
                    % {"code": code, "province": agency.province.name}
                )
            changed = any(getattr(agency, f) != values.get(f) for f in FIELDS)
            values["action"] = "update" if changed else "same"
        else:
            values["action"] = "create"
        values["action_label"] = ACTION_LABELS[values["action"]]
    mark_duplicates(
        rows, lambda r: r.values.get("code") or None, _("The agency code appears twice.")
    )
    return result


def run(
    file,
    *,
    actor,
    provinces,
    default_province: Province | None = None,
    dry_run: bool = False,
) -> ImportPreview:
    """Check the file and, if every row is valid (and not ``dry_run``), write it
    through the services in one transaction."""
    result = preview(file, provinces=provinces, default_province=default_province)
    if not result.ok or dry_run:
        return result
    with transaction.atomic():
        for row in result.rows:
            values = row.values
            if values["action"] == "create":
                services.agency_create(
                    actor=actor,
                    province=values["province_obj"],
                    code=values["code"],
                    name=values["name"],
                    short_name=values["short_name"],
                    active_from=values.get("active_from"),
                    active_to=values.get("active_to"),
                )
            elif values["action"] == "update":
                services.agency_update(
                    actor=actor,
                    agency=values["agency"],
                    name=values["name"],
                    short_name=values["short_name"],
                    active_from=values.get("active_from"),
                    active_to=values.get("active_to"),
                )
            else:
                continue
            result.written += 1
    return result
