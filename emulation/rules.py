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
