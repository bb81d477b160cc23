"""Who may do what at the conference, with the ballots, the proposal, the
documents, the facts and the rules: each awards permission as a table of user
kind × object → answer, on a conference of five members (k0 leads, k1
deputises, k0…k3 present, k4 absent, k3 gave its vote to k0 by proxy)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.enums import AttendanceStatus, PollState
from awards.models import Attendance, RuleSet
from awards.rules import holds_a_vote, is_counter
from awards.services.meeting import attendance_record, counter_add
from emulation.enums import AgencyRole
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory
from tests.factories.meeting import build_conference

KINDS = [
    "anonymous",
    "national",
    "council",
    "other_council",
    "superuser",
    "secretariat",
    "deputy",
    "leader_head",
    "head",
    "absent_head",
    "proxy_head",
    "officer",
    "counter",
    "outsider",
    "inactive_head",
]


@pytest.fixture
def world(db):
    conf = build_conference(members=5, present=4, prefix="r")
    province = conf.bloc_year.bloc.province
    m = conf.memberships
    attendance_record(
        actor=conf.secretariat,
        meeting=conf.meeting,
        membership=m[3],
        status=AttendanceStatus.PROXY,
        proxy_to=m[0],
        authorisation=SimpleUploadedFile("giay-uy-quyen.pdf", b"%PDF-1.4\n%test\n"),
        authorisation_name="giay-uy-quyen.pdf",
    )
    counter = UserFactory(username="r2.officer", agency=m[2].agency, agency_role=AgencyRole.OFFICER)
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=counter)
    other_province = ProvinceFactory(code="rkhac")
    users = {
        "anonymous": AnonymousUser(),
        "national": UserFactory(username="r.national", is_council_staff=True, is_national=True),
        "council": UserFactory(username="r.council", is_council_staff=True, province=province),
        "other_council": UserFactory(
            username="r.council2", is_council_staff=True, province=other_province
        ),
        "superuser": UserFactory(username="r.root", is_superuser=True, is_staff=True),
        "secretariat": conf.secretariat,
        "deputy": UserFactory(
            username="r1.officer", agency=m[1].agency, agency_role=AgencyRole.OFFICER
        ),
        "leader_head": conf.heads[0],
        "head": conf.heads[2],
        "absent_head": conf.heads[4],
        "proxy_head": conf.heads[3],
        "officer": UserFactory(
            username="r2.other", agency=m[2].agency, agency_role=AgencyRole.OFFICER
        ),
        "counter": counter,
        "outsider": UserFactory(
            username="r.outsider",
            agency=AgencyFactory(province=province, code="rout"),
            agency_role=AgencyRole.OFFICER,
        ),
        "inactive_head": UserFactory(
            username="r2.former", agency=m[2].agency, agency_role=AgencyRole.HEAD, is_active=False
        ),
    }
    poll = conf.draft_poll()
    objects = {
        "meeting": conf.meeting,
        "bloc_year": conf.bloc_year,
        "poll": poll,
        "proxy": Attendance.objects.get(meeting=conf.meeting, membership=m[3]),
        "national_rule_set": RuleSet(name="Mặc định", first_year=2020),
        "province_rule_set": RuleSet(name="Tỉnh", first_year=2020, province=province),
        "other_rule_set": RuleSet(name="Khác", first_year=2020, province=other_province),
    }
    return users, objects


def _expected(allowed: set[str]) -> dict[str, bool]:
    return {kind: kind in allowed for kind in KINDS}


def _answers(users, perm, obj) -> dict[str, bool]:
    return {kind: users[kind].has_perm(perm, obj) for kind in KINDS}


ALL_PROVINCES = {"national", "superuser"}
COUNCIL = ALL_PROVINCES | {"council"}
SECRETARIAT = {"secretariat", "deputy", "leader_head"}
# The members' staff (the absent and the proxy-giving heads too) and the province's council.
SEES_BLOC_YEAR = COUNCIL | SECRETARIAT | {"head", "absent_head", "proxy_head", "officer", "counter"}
# Heads of present agencies vote, the leader's also for k3 (proxy); k3's own
# head gave its vote away, k4's is absent; a deactivated head votes nothing.
VOTERS = {"leader_head", "head"}

TABLE = {
    ("awards.run_conference", "meeting"): SECRETARIAT,
    ("awards.run_conference", "poll"): SECRETARIAT,
    ("awards.run_conference", "bloc_year"): SECRETARIAT,
    ("awards.see_proxy_authorisation", "proxy"): SECRETARIAT | {"proxy_head"},
    ("awards.cast_ballot", "poll"): VOTERS,
    ("awards.count_paper_ballots", "poll"): {"counter"},
    ("awards.prepare_proposal", "bloc_year"): SECRETARIAT,
    ("awards.decide_proposal", "bloc_year"): COUNCIL,
    # An administrator may prepare and issue the dossier's documents, but runs
    # no conference and sends no proposal.
    ("awards.prepare_documents", "bloc_year"): SECRETARIAT | {"superuser"},
    ("awards.see_all_eligibility", "bloc_year"): COUNCIL | SECRETARIAT,
    ("awards.enter_facts", "bloc_year"): COUNCIL,
    ("awards.edit_rules", "national_rule_set"): ALL_PROVINCES,
    ("awards.edit_rules", "province_rule_set"): COUNCIL,
    ("awards.edit_rules", "other_rule_set"): ALL_PROVINCES | {"other_council"},
    # A province's council copies the national default into its own rule set.
    ("awards.copy_rule_set", "national_rule_set"): COUNCIL | {"other_council"},
    ("awards.copy_rule_set", "province_rule_set"): COUNCIL,
}


@pytest.mark.parametrize(
    ("perm", "obj", "allowed"),
    [pytest.param(p, o, a, id=f"{p}-{o}") for (p, o), a in TABLE.items()],
)
def test_permission(world, perm, obj, allowed):
    users, objects = world

    assert _answers(users, perm, objects[obj]) == _expected(allowed)


@pytest.mark.parametrize(
    ("state", "results", "receipts"),
    [
        (PollState.DRAFT, set(), set()),
        (PollState.OPEN, set(), set()),
        # Closed: nobody, the secretariat and the council included.
        (PollState.CLOSED, set(), set()),
        # Published: whoever sees the bloc-year (an inactive account sees nothing).
        (PollState.PUBLISHED, SEES_BLOC_YEAR, SEES_BLOC_YEAR),
        (PollState.CANCELLED, set(), set()),
    ],
)
def test_results_and_receipts_by_poll_state(world, state, results, receipts):
    users, objects = world
    poll = objects["poll"]
    poll.state = state

    assert _answers(users, "awards.see_results", poll) == _expected(results)
    assert _answers(users, "awards.check_receipts", poll) == _expected(receipts)


def test_history_is_imported_by_council_staff_of_a_province(world):
    users, _objects = world

    answers = {kind: users[kind].has_perm("awards.import_history") for kind in KINDS}

    assert answers == _expected({"council", "other_council"})


def test_predicates_of_the_meeting(world):
    users, objects = world
    meeting = objects["meeting"]

    assert {k for k in KINDS if holds_a_vote(users[k], meeting)} == VOTERS
    assert {k for k in KINDS if is_counter(users[k], meeting)} == {"counter"}
