"""Small named predicates about who a user is (django-rules)."""

import rules


@rules.predicate
def is_council_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_council_staff)


@rules.predicate
def is_national(user) -> bool:
    return bool(user and user.is_authenticated and user.is_council_staff and user.is_national)


@rules.predicate
def is_agency_user(user) -> bool:
    return bool(user and user.is_authenticated and user.agency_id)


@rules.predicate
def is_agency_head(user) -> bool:
    return bool(user and user.is_authenticated and user.is_agency_head)


@rules.predicate
def is_superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


is_staff_or_admin = is_council_staff | is_superuser
