"""Who a user is, whatever the object: small named predicates (django-rules).

Every predicate answers False for an anonymous or a deactivated user. The
predicates about a bloc-year, an agency or a province are in ``blocs.rules``,
those about the conference, the ballots and the proposal in ``awards.rules``.
"""

import rules


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def _superuser_flag(user) -> bool:
    return bool(user.is_superuser)


@rules.predicate
def _council_staff_flag(user) -> bool:
    return bool(user.is_council_staff)


@rules.predicate
def _national_flag(user) -> bool:
    return bool(user.is_national)


@rules.predicate
def _has_province(user) -> bool:
    return user.province_id is not None


@rules.predicate
def _has_agency(user) -> bool:
    return user.agency_id is not None


@rules.predicate
def _head_role(user) -> bool:
    return bool(user.is_agency_head)


# An administrator: manages users and configuration, sees every province.
is_superuser = is_signed_in & _superuser_flag

# Staff of a council's secretariat (Phòng Thi đua – Khen thưởng), of one
# province or national.
is_council_staff = is_signed_in & _council_staff_flag

# National council staff: see every province.
is_national = is_council_staff & _national_flag

# Council staff who belong to one province: they launch its movements and
# import its award history (a national user with no province does not).
is_provincial_council_staff = is_council_staff & _has_province

# The council's pages (agencies, blocs, years, tables, rules, the inbox) are
# for council staff of any province and for administrators; which province's
# rows they see is each page's query (``blocs.rules.is_council_of``).
is_council = is_council_staff | is_superuser

# Who sees every province.
sees_all_provinces = is_superuser | is_national

# A user of an agency (its officer or its head).
is_agency_user = is_signed_in & _has_agency

# The head of an agency (thủ trưởng): submits, votes, delegates.
is_agency_head = is_agency_user & _head_role


rules.add_perm("emulation.use_council_pages", is_council)


# --- the accounts of a province -------------------------------------------------------


def province_id_of_account(target) -> int | None:
    """The province an account (a user) or an agency belongs to: an agency
    user's agency's, council staff's own."""
    agency_id = getattr(target, "agency_id", None)
    if agency_id is not None:
        return target.agency.province_id
    return getattr(target, "province_id", None)


@rules.predicate
def _council_of_account(user, target) -> bool:
    if target is None:
        return False
    if sees_all_provinces(user):
        return True
    return user.province_id is not None and user.province_id == province_id_of_account(target)


@rules.predicate
def _agency_account_or_agency(user, target) -> bool:
    # An agency (it has a code and no username) or an agency's user.
    return not hasattr(target, "username") or getattr(target, "agency_id", None) is not None


@rules.predicate
def _someone_else(user, target) -> bool:
    return getattr(target, "pk", None) != user.pk or not hasattr(target, "username")


# Council staff manage the accounts of their province's agencies (invite,
# deactivate, change the role); administrators and national staff every
# province's. ``target`` is an agency (to invite into) or an agency's user.
manages_agency_accounts = is_council & _council_of_account & _agency_account_or_agency

# Resetting another user's second factor: any account of the province, the
# council's own colleagues included, never one's own.
resets_second_factor = is_council & _council_of_account & _someone_else

# Two-factor sign-in is required of council staff and administrators.
needs_second_factor = is_council

rules.add_perm("emulation.manage_accounts", is_council)
rules.add_perm("emulation.manage_agency_account", manages_agency_accounts & _someone_else)
rules.add_perm("emulation.reset_second_factor", resets_second_factor)
# Lifting a login lock: any account of the province (the selector
# ``users_whose_locks_user_lifts`` lists the same accounts).
rules.add_perm("emulation.lift_login_lock", is_council & _council_of_account)
