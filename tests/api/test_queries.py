"""Each list costs the same number of queries for one decided bloc-year as for
five (with their agencies, lineage, members, rankings, polls, proposals,
decisions and award records)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blocs.services import lineage_add
from tests.api.conftest import ENDPOINTS, build_decided, get, make_token
from tests.factories import ProvinceFactory

pytestmark = pytest.mark.django_db


def add_bloc(province, index: int) -> None:
    decided = build_decided(prefix=f"q{index}", province=province)
    first, second = (m.agency for m in decided.conf.memberships[:2])
    lineage_add(
        actor=None,
        predecessor=first,
        successor=second,
        kind="merge",
        effective_date=datetime.date(2025, 1, 1),
    )


def counts(client, token) -> dict[str, int]:
    found = {}
    for name in ENDPOINTS:
        with CaptureQueriesContext(connection) as queries:
            response = get(client, token, name)
        assert response.status_code == 200
        found[name] = len(queries)
    return found


def test_query_counts_do_not_grow_with_the_data(client):
    province = ProvinceFactory(code="tinh")
    token = make_token(province)
    add_bloc(province, 0)
    one = counts(client, token)

    for index in range(1, 5):
        add_bloc(province, index)
    five = counts(client, token)

    assert len(get(client, token, "api:decisions").json()["results"]) == 5
    assert five == one
    assert max(one.values()) <= 8, one
