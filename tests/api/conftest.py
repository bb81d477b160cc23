"""The API's tests: clients with tokens, and worlds of published and
unpublished things built through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.urls import reverse

from api.services import api_client_create
from awards.enums import ItemDecision
from awards.services import (
    decision_record,
    proposal_items_decide,
    proposal_receive,
    proposal_submit,
)
from blocs.models import Province
from tests.factories.proposal import build_proposal
from tests.factories.review import FinalScoreFactory

ENDPOINTS = (
    "api:agencies",
    "api:blocs",
    "api:bloc_years",
    "api:rankings",
    "api:poll_results",
    "api:proposals",
    "api:decisions",
    "api:award_records",
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limits count in the cache: no test inherits another's calls."""
    cache.clear()
    yield
    cache.clear()


def make_token(province: Province | None, *, write: bool = False, name: str = "") -> str:
    _client, token = api_client_create(
        actor=None,
        name=name or f"client-{province.code if province else 'national'}-{write}",
        province=province,
        can_write=write,
    )
    return token


def get(client, token: str | None, name: str, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(reverse(name), params, **headers)


def post(client, token: str | None, name: str, data: dict):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(reverse(name), data, content_type="application/json", **headers)


def every_page(client, token: str, name: str, **params) -> list[dict]:
    """All the rows of a list, following the cursor."""
    rows, response = [], get(client, token, name, **params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        if not body["next"]:
            return rows
        response = client.get(body["next"], HTTP_AUTHORIZATION=f"Bearer {token}")


@dataclass
class Decided:
    """A bloc-year whose year went the whole way: ranked, voted and published,
    proposed, received, decided (every item approved), with its ranking."""

    conf: object
    proposal: object
    decision: object
    extra: dict = field(default_factory=dict)

    @property
    def province(self):
        return self.conf.bloc_year.bloc.province


def build_decided(*, prefix: str, province=None, members: int = 4) -> Decided:
    conf, proposal = build_proposal(members=members, prefix=prefix, province=province)
    for rank, membership in enumerate(conf.memberships, start=1):
        FinalScoreFactory(membership=membership, rank=rank, total=100 - rank)
    proposal_submit(actor=conf.secretariat, proposal=proposal)
    proposal_receive(actor=None, proposal=proposal)
    proposal_items_decide(
        actor=None,
        proposal=proposal,
        approved_ids=set(proposal.items.values_list("pk", flat=True)),
    )
    decision = decision_record(
        actor=None,
        proposal=proposal,
        number=f"{prefix}/QĐ-UBND",
        date=datetime.date(2024, 3, 15),
        signer="Chủ tịch UBND tỉnh",
    )
    assert proposal.items.filter(decision=ItemDecision.APPROVED).exists()
    return Decided(conf, proposal, decision)
