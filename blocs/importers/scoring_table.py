"""Import and export of a scoring table as an Excel sheet: one row per
criterion, the group repeated on each row. All or nothing."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs import scoring_math
from blocs.enums import CriterionKind
from blocs.models import Bloc, EmulationYear, ScoringTable
from blocs.selectors.scoring import table_structure
from blocs.services.scoring import scoring_table_import
from emulation.excel import Column, ExcelFileError, ImportPreview, mark_duplicates, read_sheet

KINDS = {
    "standard": CriterionKind.STANDARD,
    "chuẩn": CriterionKind.STANDARD,
    "tiêu chuẩn": CriterionKind.STANDARD,
    "bonus": CriterionKind.BONUS,
    "thưởng": CriterionKind.BONUS,
    "điểm thưởng": CriterionKind.BONUS,
    "deduction": CriterionKind.DEDUCTION,
    "trừ": CriterionKind.DEDUCTION,
    "điểm trừ": CriterionKind.DEDUCTION,
}

COLUMNS = [
    Column("group_order", gettext_lazy("Group no."), "int"),
    Column("group_name", gettext_lazy("Group"), "str", max_length=255),
    Column("group_max", gettext_lazy("Group maximum"), "decimal"),
    Column("code", gettext_lazy("Code"), "str", max_length=20),
    Column("text", gettext_lazy("Criterion"), "str"),
    Column("max_points", gettext_lazy("Maximum points"), "decimal"),
    Column("kind", gettext_lazy("Kind"), "str", required=False, choices=KINDS),
    Column("step", gettext_lazy("Step"), "decimal", required=False),
    Column("evidence_required", gettext_lazy("Evidence required"), "bool", required=False),
    Column("na_allowed", gettext_lazy("May be not applicable"), "bool", required=False),
    Column("guidance", gettext_lazy("Guidance"), "str", required=False),
    Column("order", gettext_lazy("Order"), "int", required=False),
]


def _positive(value) -> bool:
    return value is not None and Decimal(value) > 0


def preview(file) -> ImportPreview:
    """Read and check every row; nothing is written."""
    try:
        rows = read_sheet(file, columns=COLUMNS, max_rows=500)
    except ExcelFileError as exc:
        return ImportPreview(rows=[], file_errors=[str(exc)])
    group_max: dict[tuple, Decimal] = {}
    for row in rows:
        v = row.values
        kind = v.get("kind") or CriterionKind.STANDARD
        v["kind"] = kind
        v["step"] = v.get("step") or Decimal("0.25")
        for key in ("group_max", "max_points", "step"):
            if v.get(key) is not None and not _positive(v[key]):
                row.errors.append(
                    _("“%(column)s” must be greater than zero.")
                    % {"column": next(str(c.header) for c in COLUMNS if c.key == key)}
                )
        if v.get("na_allowed") and kind != CriterionKind.STANDARD:
            row.errors.append(_("Only standard criteria can be marked not applicable."))
        two_places = True
        for key in ("group_max", "max_points", "step"):
            if v.get(key) is not None and Decimal(v[key]) != scoring_math.q2(v[key]):
                row.errors.append(_("Use at most two decimal places."))
                two_places = False
                break
        # Only once both have two places at most: a step like 6.39e-273 has
        # no remainder the decimal context can compute.
        if (
            two_places
            and _positive(v.get("max_points"))
            and _positive(v.get("step"))
            and Decimal(v["max_points"]) % Decimal(v["step"]) != 0
        ):
            row.errors.append(_("The maximum points must be a multiple of the step."))
        key = (v.get("group_order"), v.get("group_name"))
        if v.get("group_max") is not None and None not in key:
            if key in group_max and group_max[key] != v["group_max"]:
                row.errors.append(
                    _("The group “%(group)s” has two different maximums.") % {"group": key[1]}
                )
            group_max.setdefault(key, v["group_max"])
    mark_duplicates(rows, lambda r: r.values.get("code"), _("This code is repeated."))
    result = ImportPreview(rows=rows)
    if not rows:
        result.file_errors.append(_("The file has no criteria."))
    return result


def import_table(file, *, actor, year: EmulationYear, bloc: Bloc | None, dry_run: bool = False):
    """Preview, and write the table only if every row is valid (and not a dry run).
    Returns ``(preview, table or None)``."""

    result = preview(file)
    if not result.ok or dry_run:
        return result, None
    table = scoring_table_import(
        actor=actor, year=year, bloc=bloc, rows=[r.values for r in result.rows]
    )
    result.written = len(result.rows)
    return result, table


def export_rows(table: ScoringTable) -> tuple[list, list[list]]:
    groups, _criteria = table_structure(table)
    rows = []
    for g in groups:
        for c in g.items:
            rows.append(
                [
                    g.order,
                    g.name,
                    g.max_points,
                    c.code,
                    c.text,
                    c.max_points,
                    c.kind,
                    c.step,
                    _("yes") if c.evidence_required else _("no"),
                    _("yes") if c.na_allowed else _("no"),
                    c.guidance,
                    c.order,
                ]
            )
    return [str(c.header) for c in COLUMNS], rows
