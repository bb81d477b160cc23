"""Import of agencies' users (Excel): one row per person to invite — full
name, e-mail, agency code, role. Every row becomes an invitation (a one-time
link to set a password); nothing is written unless every row is valid."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emulation.enums import AgencyRole
from emulation.excel import Column, ExcelFileError, ImportPreview, mark_duplicates, read_sheet
from emulation.models import User
from emulation.services import user_invite

ROLE_CHOICES = {
    "officer": AgencyRole.OFFICER,
    "cán bộ": AgencyRole.OFFICER,
    "cán bộ thi đua": AgencyRole.OFFICER,
    "head": AgencyRole.HEAD,
    "thủ trưởng": AgencyRole.HEAD,
    "thủ trưởng cơ quan": AgencyRole.HEAD,
}

COLUMNS = [
    Column(
        "full_name",
        gettext_lazy("Full name"),
        max_length=150,
        aliases=("full name", "họ và tên", "họ tên"),
    ),
    Column(
        "email", gettext_lazy("E-mail"), max_length=150, aliases=("email", "e-mail", "thư điện tử")
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
        choices=ROLE_CHOICES,
        aliases=("role", "vai trò"),
    ),
]

ACTION_LABEL = gettext_lazy("invite")


def preview(file, *, agencies) -> ImportPreview:
    """Read and check the file; write nothing. ``agencies`` are those the
    importing user manages: any other code is an error."""
    try:
        rows = read_sheet(file, columns=COLUMNS)
    except ExcelFileError as exc:
        return ImportPreview(rows=[], file_errors=[str(exc)])
    result = ImportPreview(rows=rows)
    if not rows:
        result.file_errors.append(_("The file has no data rows."))
        return result
    codes = {str(r.values.get("agency") or "").lower() for r in rows}
    by_code = {a.code: a for a in agencies.filter(code__in=codes)}
    emails = {str(r.values.get("email") or "").strip().lower() for r in rows}
    taken = {
        e.lower() for e in User.objects.filter(email__in=emails).values_list("email", flat=True)
    } | {
        u.lower()
        for u in User.objects.filter(username__in=emails).values_list("username", flat=True)
    }
    for row in rows:
        values = row.values
        email = str(values.get("email") or "").strip().lower()
        values["email"] = email
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("“%(email)s” is not an e-mail address.") % {"email": email})
            if email in taken:
                row.errors.append(
                    _("An account with the e-mail %(email)s already exists.") % {"email": email}
                )
        code = str(values.get("agency") or "").lower()
        values["agency_obj"] = by_code.get(code)
        if code and values["agency_obj"] is None:
            row.errors.append(
                _("Unknown agency code “%(code)s”, or not an agency you manage.") % {"code": code}
            )
        values["action_label"] = ACTION_LABEL
    mark_duplicates(rows, lambda r: r.values.get("email") or None, _("The e-mail appears twice."))
    return result


def run(file, *, actor, agencies, site_url: str, dry_run: bool = False) -> ImportPreview:
    """Check the file and, if every row is valid (and not ``dry_run``),
    invite every person in one transaction (the e-mails leave after it)."""
    result = preview(file, agencies=agencies)
    if not result.ok or dry_run:
        return result
    with transaction.atomic():
        for row in result.rows:
            values = row.values
            user_invite(
                actor=actor,
                full_name=values["full_name"],
                email=values["email"],
                agency=values["agency_obj"],
                agency_role=values["role"],
                site_url=site_url,
            )
            result.written += 1
    return result
