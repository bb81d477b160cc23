"""Import and export of memberships (Excel).

One row per member of a bloc in a year: bloc code, year, agency code, role,
rotation order. A missing bloc-year is created (its year must exist); a known
member's role and order are updated. Nothing is written unless every row is
valid.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs import services
from blocs.enums import MEMBERSHIP_EDITABLE_PHASES, MemberRole, Phase
from blocs.importers.agencies import CODE_RE
from blocs.models import Agency, Bloc, BlocYear, EmulationYear, Membership
from emulation.excel import Column, ExcelFileError, ImportPreview, mark_duplicates, read_sheet

ROLE_CHOICES = {
    "leader": MemberRole.LEADER,
    "trưởng khối": MemberRole.LEADER,
    "khối trưởng": MemberRole.LEADER,
    "trưởng cụm": MemberRole.LEADER,
    "deputy": MemberRole.DEPUTY,
    "deputy leader": MemberRole.DEPUTY,
    "phó khối": MemberRole.DEPUTY,
    "khối phó": MemberRole.DEPUTY,
    "phó trưởng khối": MemberRole.DEPUTY,
    "phó cụm": MemberRole.DEPUTY,
    "member": MemberRole.MEMBER,
    "thành viên": MemberRole.MEMBER,
}

COLUMNS = [
    Column("bloc", gettext_lazy("Bloc code"), max_length=40, aliases=("bloc code", "mã khối")),
    Column(
        "year",
        gettext_lazy("Year"),
        type="int",
        aliases=("year", "năm"),
    ),
    Column(
        "agency",
        gettext_lazy("Agency code"),
        max_length=40,
        aliases=("agency code", "mã cơ quan"),
    ),
    Column(
        "role",
        gettext_lazy("Role"),
        required=False,
        choices=ROLE_CHOICES,
        aliases=("role", "vai trò"),
    ),
    Column(
        "rotation_order",
        gettext_lazy("Rotation order"),
        type="int",
        required=False,
        aliases=("rotation order", "thứ tự luân phiên", "thứ tự"),
    ),
]

ROLE_EXPORT = {
    MemberRole.LEADER: "trưởng khối",
    MemberRole.DEPUTY: "phó khối",
    MemberRole.MEMBER: "thành viên",
}

ACTION_LABELS = {
    "create": gettext_lazy("new"),
    "update": gettext_lazy("update"),
    "same": gettext_lazy("unchanged"),
}


def export_rows(memberships):
    headers = [c.header for c in COLUMNS]
    rows = [
        [
            m.bloc_year.bloc.code,
            m.bloc_year.year.year,
            m.agency.code,
            ROLE_EXPORT[MemberRole(m.role)],
            m.rotation_order,
        ]
        for m in memberships
    ]
    return headers, rows


def preview(file, *, provinces) -> ImportPreview:
    """Read and check the file against the database; write nothing."""
    allowed = {p.pk for p in provinces}
    try:
        rows = read_sheet(file, columns=COLUMNS)
    except ExcelFileError as exc:
        return ImportPreview(rows=[], file_errors=[str(exc)])
    result = ImportPreview(rows=rows)
    if not rows:
        result.file_errors.append(_("The file has no data rows."))
        return result

    for row in rows:
        row.values["bloc"] = (row.values.get("bloc") or "").lower()
        row.values["agency"] = (row.values.get("agency") or "").lower()
    blocs = {
        b.code: b
        for b in Bloc.objects.filter(
            code__in={r.values["bloc"] for r in rows}, province_id__in=allowed
        )
    }
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in={r.values["agency"] for r in rows})
    }
    years = {
        (y.province_id, y.year): y
        for y in EmulationYear.objects.filter(
            province_id__in=allowed, year__in={r.values.get("year") for r in rows}
        )
    }
    bloc_years = {
        (by.bloc_id, by.year_id): by
        for by in BlocYear.objects.filter(
            bloc__in=blocs.values(), year__in=years.values()
        ).select_related("bloc", "year")
    }
    # Every membership of those years: who is where, and with which role.
    existing = list(
        Membership.objects.filter(year__in=years.values()).select_related(
            "bloc_year__bloc", "agency"
        )
    )
    where = {(m.agency_id, m.year_id): m for m in existing}

    final_roles: dict[tuple, dict[int, str]] = defaultdict(dict)  # (bloc, year) → agency → role
    for m in existing:
        final_roles[(m.bloc_year.bloc_id, m.year_id)][m.agency_id] = m.role

    for row in rows:
        values = row.values
        bloc_code, agency_code, year_number = values["bloc"], values["agency"], values.get("year")
        values["role"] = values.get("role") or MemberRole.MEMBER
        bloc = blocs.get(bloc_code)
        agency = agencies.get(agency_code)
        if bloc_code and bloc is None:
            row.errors.append(
                _("Unknown bloc code “%(code)s”, or not a bloc you manage.") % {"code": bloc_code}
            )
        if agency_code and not CODE_RE.match(agency_code):
            row.errors.append(_("Bad agency code “%(code)s”.") % {"code": agency_code})
        elif agency_code and agency is None:
            row.errors.append(_("Unknown agency code “%(code)s”.") % {"code": agency_code})
        year = None
        if bloc is not None and year_number:
            year = years.get((bloc.province_id, year_number))
            if year is None:
                row.errors.append(
                    _("The year %(year)s has not been created in %(province)s.")
                    % {"year": year_number, "province": bloc.province}
                )
        values.update(bloc_obj=bloc, agency_obj=agency, year_obj=year)
        if bloc is None or agency is None or year is None:
            continue
        if agency.province_id != bloc.province_id:
            row.errors.append(
                _("%(agency)s belongs to another province than the bloc.") % {"agency": agency}
            )
            continue
        if agency.active_to and agency.active_to.year < year.year:
            row.errors.append(
                _("%(agency)s is no longer active in %(year)s.")
                % {"agency": agency, "year": year.year}
            )
        bloc_year = bloc_years.get((bloc.pk, year.pk))
        values["bloc_year"] = bloc_year
        if bloc_year is not None and bloc_year.phase not in MEMBERSHIP_EDITABLE_PHASES:
            row.errors.append(
                _("%(bloc)s %(year)s is in phase “%(phase)s”: its members can no longer change.")
                % {"bloc": bloc.code, "year": year.year, "phase": Phase(bloc_year.phase).label}
            )
        current = where.get((agency.pk, year.pk))
        values["membership"] = None
        if current is not None and current.bloc_year.bloc_id != bloc.pk:
            row.errors.append(
                _("%(agency)s is already a member of another bloc in %(year)s: %(bloc)s.")
                % {"agency": agency, "year": year.year, "bloc": current.bloc_year.bloc.name}
            )
            continue
        if current is not None:
            values["membership"] = current
            order = values.get("rotation_order")
            changed = current.role != values["role"] or (
                order is not None and order != current.rotation_order
            )
            values["action"] = "update" if changed else "same"
        else:
            values["action"] = "create"
        values["action_label"] = ACTION_LABELS[values["action"]]
        final_roles[(bloc.pk, year.pk)][agency.pk] = values["role"]

    # Rows without a rotation order go last, in the order of the file.
    last_order: dict[tuple, int] = defaultdict(int)
    for m in existing:
        key = (m.bloc_year.bloc_id, m.year_id)
        last_order[key] = max(last_order[key], m.rotation_order)
    for row in rows:
        if row.values.get("action") and row.values.get("rotation_order") is not None:
            key = (row.values["bloc_obj"].pk, row.values["year_obj"].pk)
            last_order[key] = max(last_order[key], row.values["rotation_order"])
    for row in rows:
        if row.values.get("action") == "create" and row.values.get("rotation_order") is None:
            key = (row.values["bloc_obj"].pk, row.values["year_obj"].pk)
            last_order[key] += 1
            row.values["rotation_order"] = last_order[key]

    mark_duplicates(
        rows,
        lambda r: (r.values["agency"], r.values.get("year")) if r.values["agency"] else None,
        _("The agency appears twice for the same year."),
    )
    # At most one leader and one deputy per bloc-year, after the import.
    for row in rows:
        values = row.values
        if values.get("action") is None or values["role"] == MemberRole.MEMBER:
            continue
        key = (values["bloc_obj"].pk, values["year_obj"].pk)
        holders = [a for a, r in final_roles[key].items() if r == values["role"]]
        if len(holders) > 1:
            row.errors.append(
                _("%(bloc)s %(year)s would have more than one %(role)s.")
                % {
                    "bloc": values["bloc_obj"].code,
                    "year": values["year_obj"].year,
                    "role": MemberRole(values["role"]).label.lower(),
                }
            )
    return result


def run(file, *, actor, provinces, dry_run: bool = False) -> ImportPreview:
    """Check the file and, if every row is valid (and not ``dry_run``), write it
    through the services in one transaction."""
    result = preview(file, provinces=provinces)
    if not result.ok or dry_run:
        return result
    # Demotions first, so that a new leader never meets the old one.
    rank = {MemberRole.MEMBER: 0, MemberRole.DEPUTY: 1, MemberRole.LEADER: 2}
    ordered = sorted(result.rows, key=lambda r: rank[MemberRole(r.values["role"])])
    created: dict[tuple, BlocYear] = {}
    with transaction.atomic():
        for row in ordered:
            values = row.values
            if values["action"] == "same":
                continue
            if values["action"] == "update":
                membership = values["membership"]
                services.membership_update(
                    actor=actor,
                    membership=membership,
                    role=values["role"],
                    rotation_order=(
                        values["rotation_order"]
                        if values.get("rotation_order") is not None
                        else membership.rotation_order
                    ),
                )
            else:
                bloc_year = values.get("bloc_year")
                key = (values["bloc_obj"].pk, values["year_obj"].pk)
                if bloc_year is None:
                    bloc_year = created.get(key)
                if bloc_year is None:
                    bloc_year = services.bloc_year_create(
                        actor=actor, bloc=values["bloc_obj"], year=values["year_obj"]
                    )
                    created[key] = bloc_year
                services.membership_add(
                    actor=actor,
                    bloc_year=bloc_year,
                    agency=values["agency_obj"],
                    role=values["role"],
                    rotation_order=values.get("rotation_order"),
                )
            result.written += 1
    return result
