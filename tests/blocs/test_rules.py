"""Who is who in a bloc's year: each predicate of blocs.rules and each bloc
permission as a table of user kind × object → answer.

The users: the `cast` (secretariat = the leading agency's officer, a member's
officer and head, an outsider in another bloc, council staff of the province
and of another province, a superuser), plus the deputy leader's officer,
national council staff, a delegate of the member's head, and deactivated
accounts (a former secretariat officer, former council staff)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from awards.models import RuleSet
from blocs.enums import MemberRole, Phase
from blocs.rules import (
    is_council_of,
    is_delegate_for,
    is_head_of,
    is_member,
    is_own_agency,
    is_secretariat,
)
from blocs.selectors import bloc_years_visible_to
from blocs.services.assessment import delegation_grant
from emulation.enums import AgencyRole
from emulation.rules import is_council, sees_all_provinces
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory, add_member
from tests.factories.assessment import open_window

KINDS = [
    "anonymous",
    "national",
    "council",
    "other_council",
    "superuser",
    "secretariat",
    "secretariat_head",
    "deputy",
    "head",
    "officer",
    "delegate",
    "peer",
    "outsider",
    "inactive_secretariat",
    "inactive_council",
]


@pytest.fixture
def world(cast):
    """The cast's bloc-year with its self-assessment window open, and every kind of user."""
    window = open_window(cast)
    deputy = add_member(
        cast.bloc_year, AgencyFactory(province=cast.province, code="dep"), MemberRole.DEPUTY, 3
    )
    peer = add_member(cast.bloc_year, AgencyFactory(province=cast.province, code="peer"), order=4)
    users = {
        "anonymous": AnonymousUser(),
        "national": UserFactory(username="national", is_council_staff=True, is_national=True),
        "council": cast.council,
        "other_council": cast.other_council,
        "superuser": cast.admin,
        "secretariat": cast.secretariat,
        "secretariat_head": cast.secretariat_head,
        "deputy": UserFactory(
            username="dep.officer", agency=deputy.agency, agency_role=AgencyRole.OFFICER
        ),
        "head": cast.head,
        "officer": cast.officer,
        "delegate": UserFactory(
            username="mem.delegate", agency=cast.member.agency, agency_role=AgencyRole.OFFICER
        ),
        "peer": UserFactory(
            username="peer.officer", agency=peer.agency, agency_role=AgencyRole.OFFICER
        ),
        "outsider": cast.outsider,
        "inactive_secretariat": UserFactory(
            username="lead.former",
            agency=cast.leader.agency,
            agency_role=AgencyRole.OFFICER,
            is_active=False,
        ),
        "inactive_council": UserFactory(
            username="council.former",
            is_council_staff=True,
            province=cast.province,
            is_active=False,
        ),
    }
    delegation_grant(actor=cast.head, assessment=window.assessment, delegate=users["delegate"])
    objects = {
        "bloc_year": cast.bloc_year,
        "province": cast.province,
        "other_province": cast.other_council.province,
        "agency": cast.member.agency,
        "agency_elsewhere": AgencyFactory(province=ProvinceFactory(code="xa"), code="xa"),
        "membership": cast.member,
        "assessment": window.assessment,
        "national_rule_set": RuleSet(name="Mặc định", first_year=2020),
        "province_rule_set": RuleSet(name="Tỉnh", first_year=2020, province=cast.province),
    }
    return users, objects


def _rows(table: dict[tuple[str, str], set[str]]):
    """One row per (predicate, object): the kinds that answer True; every other
    kind answers False."""
    return [
        pytest.param(name, obj, allowed, id=f"{name}-{obj}")
        for (name, obj), allowed in table.items()
    ]


def _expected(allowed: set[str]) -> dict[str, bool]:
    return {kind: kind in allowed for kind in KINDS}


ALL_PROVINCES = {"national", "superuser"}
SECRETARIAT = {"secretariat", "secretariat_head", "deputy"}
MEMBERS = SECRETARIAT | {"head", "officer", "delegate", "peer"}
OWN = {"head", "officer", "delegate"}

PREDICATES = {
    "is_council_of": is_council_of,
    "is_secretariat": is_secretariat,
    "is_member": is_member,
    "is_own_agency": is_own_agency,
    "is_head_of": is_head_of,
    "is_delegate_for": is_delegate_for,
}

PREDICATE_TABLE = {
    ("is_council_of", "bloc_year"): ALL_PROVINCES | {"council"},
    ("is_council_of", "province"): ALL_PROVINCES | {"council"},
    ("is_council_of", "other_province"): ALL_PROVINCES | {"other_council"},
    ("is_council_of", "agency"): ALL_PROVINCES | {"council"},
    ("is_council_of", "agency_elsewhere"): ALL_PROVINCES,
    ("is_council_of", "assessment"): ALL_PROVINCES | {"council"},
    # A national default belongs to no province: only those who see them all.
    ("is_council_of", "national_rule_set"): ALL_PROVINCES,
    ("is_council_of", "province_rule_set"): ALL_PROVINCES | {"council"},
    ("is_secretariat", "bloc_year"): SECRETARIAT,
    ("is_secretariat", "assessment"): SECRETARIAT,
    ("is_member", "bloc_year"): MEMBERS,
    ("is_own_agency", "membership"): OWN,
    ("is_own_agency", "assessment"): OWN,
    ("is_own_agency", "agency"): OWN,
    ("is_head_of", "membership"): {"head"},
    ("is_head_of", "assessment"): {"head"},
    ("is_delegate_for", "assessment"): {"delegate"},
}


@pytest.mark.parametrize(("name", "obj", "allowed"), _rows(PREDICATE_TABLE))
def test_predicate(world, name, obj, allowed):
    users, objects = world

    answers = {kind: PREDICATES[name](users[kind], objects[obj]) for kind in KINDS}

    assert answers == _expected(allowed)


PERMISSION_TABLE = {
    ("blocs.see_bloc_year", "bloc_year"): ALL_PROVINCES | {"council"} | MEMBERS,
    ("blocs.oversee_bloc_year", "bloc_year"): ALL_PROVINCES | {"council"} | SECRETARIAT,
    ("blocs.manage_bloc_year", "bloc_year"): ALL_PROVINCES | {"council"} | SECRETARIAT,
    ("blocs.run_bloc_year", "bloc_year"): SECRETARIAT,
    ("blocs.oversee_province", "bloc_year"): ALL_PROVINCES | {"council"},
    ("blocs.run_review", "bloc_year"): SECRETARIAT,
    ("blocs.unlock_scores", "bloc_year"): ALL_PROVINCES | {"council"},
    ("blocs.edit_movement", "province"): ALL_PROVINCES | {"council"},
    ("blocs.edit_registration", "membership"): OWN,
    ("blocs.submit_registration", "membership"): {"head"},
    ("blocs.reopen_registration", "membership"): SECRETARIAT,
    # Before the ranking is published, a peer does not see another member's scores.
    ("blocs.view_assessment", "assessment"): ALL_PROVINCES | {"council"} | SECRETARIAT | OWN,
    ("blocs.edit_assessment", "assessment"): OWN,
    ("blocs.submit_assessment", "assessment"): {"head", "delegate"},
    ("blocs.delegate_submission", "assessment"): {"head"},
    ("blocs.return_assessment", "assessment"): SECRETARIAT,
    ("blocs.dispute_scores", "assessment"): OWN,
}


@pytest.mark.parametrize(("perm", "obj", "allowed"), _rows(PERMISSION_TABLE))
def test_permission(world, perm, obj, allowed):
    users, objects = world

    answers = {kind: users[kind].has_perm(perm, objects[obj]) for kind in KINDS}

    assert answers == _expected(allowed)


def test_a_published_ranking_opens_the_assessments_to_the_members(world):
    users, objects = world
    assessment = objects["assessment"]
    assessment.membership.bloc_year.phase = Phase.RANKING_PUBLISHED

    answers = {kind: users[kind].has_perm("blocs.view_assessment", assessment) for kind in KINDS}

    assert answers == _expected(ALL_PROVINCES | {"council"} | MEMBERS)


USER_TABLE = {
    # The council's pages: council staff of any province, and administrators.
    "is_council": ALL_PROVINCES | {"council", "other_council"},
    "sees_all_provinces": ALL_PROVINCES,
    "emulation.use_council_pages": ALL_PROVINCES | {"council", "other_council"},
    # A movement is launched for the launcher's own province: a national user
    # with none does not, nor does an administrator.
    "blocs.launch_movement": {"council", "other_council"},
}


@pytest.mark.parametrize(("name", "allowed"), USER_TABLE.items(), ids=list(USER_TABLE))
def test_about_the_user_alone(world, name, allowed):
    users, _objects = world
    predicate = {"is_council": is_council, "sees_all_provinces": sees_all_provinces}.get(name)

    answers = {
        kind: predicate(user) if predicate else user.has_perm(name) for kind, user in users.items()
    }

    assert answers == _expected(allowed)


def test_the_secretariat_answer_is_asked_once_per_request(world, django_assert_num_queries):
    users, objects = world
    user = users["secretariat"]

    with django_assert_num_queries(1):
        answers = {user.has_perm("blocs.run_review", objects["bloc_year"]) for _ in range(3)}

    assert answers == {True}


def test_the_agencys_role_answers_every_question_about_it_from_one_query(
    world, django_assert_num_queries
):
    """Member and secretariat are one fact, the agency's role in the bloc-year:
    read once per request, whichever rule asks first."""
    users, objects = world
    bloc_year = objects["bloc_year"]

    with django_assert_num_queries(1):
        peer = (is_member(users["peer"], bloc_year), is_secretariat(users["peer"], bloc_year))
    with django_assert_num_queries(1):
        deputy = (
            users["deputy"].has_perm("blocs.run_review", bloc_year),
            users["deputy"].has_perm("blocs.see_bloc_year", bloc_year),
        )

    assert peer == (True, False)
    assert deputy == (True, True)


def test_an_administrator_keeps_every_model_permission_of_the_admin(world):
    users, _objects = world

    assert users["superuser"].has_perm("blocs.change_blocyear")
    assert not users["council"].has_perm("blocs.change_blocyear")


def test_seeing_a_bloc_year_agrees_with_the_pages_query(world):
    """The pages fetch through bloc_years_visible_to (404 otherwise); the
    permission says the same for everyone who can sign in."""
    users, objects = world
    bloc_year = objects["bloc_year"]
    signed_in = {kind: user for kind, user in users.items() if not kind.startswith("inactive")}

    by_permission = {k: u.has_perm("blocs.see_bloc_year", bloc_year) for k, u in signed_in.items()}
    by_query = {
        k: bloc_years_visible_to(u).filter(pk=bloc_year.pk).exists() for k, u in signed_in.items()
    }

    assert by_permission == by_query
