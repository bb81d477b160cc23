"""Nothing unpublished ever leaves through the API: for every endpoint and
every unpublished state (an unpublished ranking, a poll drafted, open, closed
and not published, or cancelled, a draft or returned proposal), the thing is
absent from every list, while the same thing once published appears."""

from __future__ import annotations

from decimal import Decimal

import pytest

from awards.services import proposal_receive, proposal_return, proposal_submit
from awards.services.proposal import proposal_create
from awards.services.voting import poll_cancel, poll_close
from blocs.enums import Phase
from tests.api.conftest import ENDPOINTS, every_page, make_token
from tests.factories import put_in_phase
from tests.factories.meeting import build_conference
from tests.factories.proposal import build_voted
from tests.factories.review import FinalScoreFactory

pytestmark = pytest.mark.django_db

SECRET_TOTAL = Decimal("87.65")


def revealed(name: str, rows: list[dict]) -> set[tuple[str, int]]:
    """What a list shows of rankings, poll tallies and proposals, and the
    scores it carries."""
    found = set()
    for row in rows:
        if name == "api:rankings":
            found.add(("ranking", row["bloc_year"]))
            found |= {("score", Decimal(r["total"])) for r in row["rows"]}
        elif name == "api:poll_results":
            found.add(("poll", row["id"]))
        elif name == "api:proposals":
            found.add(("proposal", row["id"]))
        elif name == "api:decisions":
            found.add(("proposal", row["proposal"]))
    if SECRET_TOTAL.to_eng_string() in str(rows):
        found.add(("score", SECRET_TOTAL))
    return found


def _ranking(phase):
    def build():
        conf = build_conference(members=3, prefix="r")
        put_in_phase(conf.bloc_year, phase)
        for membership in conf.memberships:
            FinalScoreFactory(membership=membership, total=SECRET_TOTAL)
        return conf.bloc_year.bloc.province, {
            ("ranking", conf.bloc_year.pk),
            ("score", SECRET_TOTAL),
        }

    return build


def _poll(state):
    def build():
        conf = build_conference(members=3, prefix="v")
        if state == "draft":
            poll = conf.draft_poll()
        else:
            poll = conf.open_poll()
            for voter in range(3):
                conf.cast(poll, voter, [0])
            if state in ("closed", "cancelled"):
                poll_close(actor=conf.secretariat, poll=poll)
            if state == "cancelled":
                poll_cancel(actor=conf.secretariat, poll=poll, reason="Sai sót phiếu bầu")
        return conf.bloc_year.bloc.province, {("poll", poll.pk)}

    return build


def _proposal(state):
    def build():
        conf = build_voted(members=4, prefix="d")
        proposal = proposal_create(actor=conf.secretariat, bloc_year=conf.bloc_year)
        if state == "returned":
            proposal_submit(actor=conf.secretariat, proposal=proposal)
            proposal_receive(actor=None, proposal=proposal)
            proposal_return(actor=None, proposal=proposal, reason="Thiếu biên bản họp")
        return conf.bloc_year.bloc.province, {("proposal", proposal.pk)}

    return build


UNPUBLISHED = {
    "ranking in review": _ranking(Phase.REVIEW),
    "ranking in self-assessment": _ranking(Phase.SELF_ASSESSMENT),
    "poll drafted": _poll("draft"),
    "poll open": _poll("open"),
    "poll closed, not published": _poll("closed"),
    "poll cancelled": _poll("cancelled"),
    "proposal in draft": _proposal("draft"),
    "proposal returned for correction": _proposal("returned"),
}


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("state", sorted(UNPUBLISHED))
def test_nothing_unpublished_is_returned(state, name, client):
    province, hidden = UNPUBLISHED[state]()
    for token in (make_token(province), make_token(None)):
        rows = every_page(client, token, name)

        assert not revealed(name, rows) & hidden, f"{name} shows the {state}"


def test_the_same_things_once_published_are_returned(client):
    ranked = build_conference(members=3, prefix="r")
    put_in_phase(ranked.bloc_year, Phase.RANKING_PUBLISHED)
    for membership in ranked.memberships:
        FinalScoreFactory(membership=membership, total=SECRET_TOTAL)
    voted = build_voted(members=4, prefix="d")
    proposal = proposal_create(actor=voted.secretariat, bloc_year=voted.bloc_year)
    proposal_submit(actor=voted.secretariat, proposal=proposal)
    token = make_token(None)

    shown = set()
    for name in ENDPOINTS:
        shown |= revealed(name, every_page(client, token, name))

    assert {("ranking", ranked.bloc_year.pk), ("score", SECRET_TOTAL)} <= shown
    assert ("proposal", proposal.pk) in shown
    assert {p for p in shown if p[0] == "poll"}  # the published polls of build_voted
