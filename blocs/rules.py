"""Who may do what in a bloc's year: one named predicate per role, and the
permissions of the bloc's pages built from them (django-rules).

The roles, each defined here once:

- council staff of a province (``is_council_of``): the staff of the
  province's council secretariat; national staff and administrators are
  council staff of every province;
- the secretariat of a bloc-year (``is_secretariat``): the users of its
  leading and deputy agencies — an administrator is not a bloc's secretariat;
- the head of an agency (``is_head_of``), and a user the head delegated the
  submission of a self-assessment to (``is_delegate_for``);
- a member of a bloc-year (``is_member``): the users of its member agencies.

Views ask ``request.user.has_perm("blocs.…", obj)``; the answer for what a
user may *see* is the selectors' querysets (``get_bloc_year_for`` and
friends: 404), these permissions answer what they may *do* with it (403).
"""

from __future__ import annotations

import rules

from blocs.enums import RANKED_PHASES, SECRETARIAT_ROLES
from blocs.models import (
    Agency,
    AssessmentDelegation,
    BlocYear,
    Membership,
    Province,
    Registration,
    SelfAssessment,
)
from emulation.prepared import PreparedQuery
from emulation.rules import (
    is_agency_head,
    is_council,
    is_provincial_council_staff,
    sees_all_provinces,
)

# --- what an object belongs to ----------------------------------------------------


def bloc_year_of(obj) -> BlocYear | None:
    """The bloc-year an object belongs to: itself, a membership's, an
    assessment's or a registration's, or (a conference, a proposal) its
    ``bloc_year``."""
    if obj is None or isinstance(obj, BlocYear):
        return obj
    if isinstance(obj, (SelfAssessment, Registration)):
        return obj.membership.bloc_year
    return getattr(obj, "bloc_year", None)


def _province_id_of(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Province):
        return obj.pk
    bloc_year = bloc_year_of(obj)
    if bloc_year is not None:
        return bloc_year.bloc.province_id
    # An agency, a bloc, a year, a movement, a rule set (None: a national default).
    return getattr(obj, "province_id", None)


def _agency_id_of(obj) -> int | None:
    if isinstance(obj, Agency):
        return obj.pk
    if isinstance(obj, (SelfAssessment, Registration)):
        return obj.membership.agency_id
    if isinstance(obj, Membership):
        return obj.agency_id
    return getattr(obj, "agency_id", None)


# --- the roles ----------------------------------------------------------------------


@rules.predicate
def is_council_of(user, obj) -> bool:
    """Council staff of the object's province; national staff and
    administrators are council staff of every province."""
    if not is_council(user):
        return False
    if sees_all_provinces(user):
        return True
    province_id = _province_id_of(obj)
    return province_id is not None and user.province_id == province_id


# The role of an agency in a bloc-year (a membership's, or nothing): read on
# every page of a bloc-year, compiled once per process.
_membership_of = PreparedQuery(
    lambda bloc_year_id, agency_id: Membership.objects.filter(
        bloc_year_id=bloc_year_id, agency_id=agency_id
    ).only("role"),
    arity=2,
)


def _membership_at_hand(obj) -> Membership | None:
    """The membership an object is or belongs to (an assessment's, a
    registration's), as loaded with it."""
    if isinstance(obj, (SelfAssessment, Registration)):
        return obj.membership
    return obj if isinstance(obj, Membership) else None


def _role_in(user, bloc_year, obj=None) -> str | None:
    """The role of the user's agency in the bloc-year, None if it is no member.
    One page asks this several times (permissions, buttons, stage tabs); the
    answer is kept on the user object, which lives for one request (set as an
    attribute, so that request.user's lazy wrapper keeps it on the user too).
    When ``obj`` is the user's own agency's (its assessment, say), its
    membership was read with it and holds the role: no query."""
    known = getattr(user, "_role_in", None)
    if known is None:
        known = user._role_in = {}
    key = (user.agency_id, bloc_year.pk)
    if key not in known:
        own = _membership_at_hand(obj)
        if own is not None and (own.agency_id, own.bloc_year_id) == key:
            known[key] = own.role
        else:
            found = _membership_of(bloc_year.pk, user.agency_id)
            known[key] = found[0].role if found else None
    return known[key]


def note_members(user, bloc_year, memberships) -> None:
    """The role of the user's agency in ``bloc_year`` taken from
    ``memberships``, all the bloc-year's memberships or member rows (their
    ``agency_id`` and ``role``: a page that lists them): the permissions the
    page asks next read no membership of their own (see ``_role_in``)."""
    if not user.is_authenticated or not user.agency_id:
        return
    known = getattr(user, "_role_in", None)
    if known is None:
        known = user._role_in = {}
    known.setdefault(
        (user.agency_id, bloc_year.pk),
        next((m.role for m in memberships if m.agency_id == user.agency_id), None),
    )


def _agency_user_of(user, bloc_year) -> bool:
    return (
        bloc_year is not None and user.is_authenticated and user.is_active and bool(user.agency_id)
    )


@rules.predicate
def is_secretariat(user, obj) -> bool:
    """The users of the bloc-year's leading and deputy agencies."""
    bloc_year = bloc_year_of(obj)
    return _agency_user_of(user, bloc_year) and _role_in(user, bloc_year, obj) in SECRETARIAT_ROLES


@rules.predicate
def is_member(user, obj) -> bool:
    """The users of the bloc-year's member agencies (the secretariat included)."""
    bloc_year = bloc_year_of(obj)
    return _agency_user_of(user, bloc_year) and _role_in(user, bloc_year, obj) is not None


@rules.predicate
def is_own_agency(user, obj) -> bool:
    """The object (an agency, a membership, its assessment or registration)
    is the user's own agency's."""
    if obj is None or not user.is_authenticated or not user.is_active or not user.agency_id:
        return False
    return user.agency_id == _agency_id_of(obj)


# The head of the agency the object belongs to.
is_head_of = is_agency_head & is_own_agency


_delegation_of = PreparedQuery(
    lambda assessment_id, user_id: AssessmentDelegation.objects.filter(
        assessment_id=assessment_id, delegate_id=user_id
    ).only("pk")[:1],
    arity=2,
)


@rules.predicate
def is_delegate_for(user, assessment) -> bool:
    """A user of the agency whom its head delegated the submission of this
    self-assessment to."""
    if not isinstance(assessment, SelfAssessment) or not is_own_agency(user, assessment):
        return False
    if getattr(assessment, "delegation_read_for", None) == user.pk:
        return assessment.reader_is_delegate  # read with the assessment, for this user
    return bool(_delegation_of(assessment.pk, user.pk))


@rules.predicate
def ranking_is_published(user, obj) -> bool:
    bloc_year = bloc_year_of(obj)
    return bloc_year is not None and bloc_year.phase in RANKED_PHASES


# Sees every member's pages of the bloc-year and changes its set-up.
oversees = is_council_of | is_secretariat


# --- the permissions ------------------------------------------------------------------

# The bloc-year: who oversees it, runs it, and manages its set-up.
rules.add_perm("blocs.see_bloc_year", is_council_of | is_member)
rules.add_perm("blocs.oversee_bloc_year", oversees)
rules.add_perm("blocs.manage_bloc_year", oversees)
rules.add_perm("blocs.run_bloc_year", is_secretariat)
rules.add_perm("blocs.oversee_province", is_council_of)

# Movements.
rules.add_perm("blocs.launch_movement", is_provincial_council_staff)
rules.add_perm("blocs.edit_movement", is_council_of)

# Registrations (the object is the agency's membership).
rules.add_perm("blocs.edit_registration", is_own_agency)
rules.add_perm("blocs.submit_registration", is_head_of)
rules.add_perm("blocs.reopen_registration", is_secretariat)

# Self-assessments (the object is the assessment).
rules.add_perm(
    "blocs.view_assessment", is_own_agency | oversees | (ranking_is_published & is_member)
)
rules.add_perm("blocs.edit_assessment", is_own_agency)
rules.add_perm("blocs.submit_assessment", is_head_of | is_delegate_for)
rules.add_perm("blocs.delegate_submission", is_head_of)
rules.add_perm("blocs.return_assessment", is_secretariat)
rules.add_perm("blocs.remind_agency", is_secretariat)

# The review (the object is the bloc-year; for a dispute, the assessment).
# When each may happen (the review's stage, the deadline) the review's own
# selectors and services decide: ``stage_for``, ``can_dispute``.
rules.add_perm("blocs.run_review", is_secretariat)
rules.add_perm("blocs.unlock_scores", is_council_of)
rules.add_perm("blocs.dispute_scores", is_own_agency)
# Undoing a completed verification: the role above the reviewer (the object is the assessment).
rules.add_perm("blocs.reopen_verification", oversees)

# Deadlines: a later one for a bloc-year, or one agency in it.
rules.add_perm("blocs.extend_deadline", is_council_of)
