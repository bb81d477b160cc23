"""Reading the API: the token is required, a province's client sees only its
province, the filters narrow, the cursor pages, every call is logged."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from api.models import ApiCall, ApiClient
from api.services import api_client_revoke
from blocs.services import agency_update, lineage_add
from tests.api.conftest import ENDPOINTS, build_decided, every_page, get, make_token
from tests.factories import AgencyFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces():
    """Two provinces whose years were decided (one bloc each)."""
    return build_decided(prefix="a"), build_decided(prefix="b")


@pytest.mark.parametrize("name", ENDPOINTS)
def test_without_a_token_every_endpoint_answers_401(name, client):
    response = get(client, None, name)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    call = ApiCall.objects.get()
    assert (call.client, call.method, call.status) == (None, "GET", 401)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_wrong_or_revoked_token_answers_401(name, client):
    province = ProvinceFactory()
    token = make_token(province)
    api_client_revoke(actor=None, client=ApiClient.objects.get())

    assert get(client, "not-a-token", name).status_code == 401
    assert get(client, token, name).status_code == 401
    assert client.get("/api/v1/agencies/", HTTP_AUTHORIZATION="Bearer").status_code == 401


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_province_token_sees_nothing_of_another_province(name, client, two_provinces):
    a, b = two_provinces
    token = make_token(a.province)

    rows = every_page(client, token, name)
    asked_for_b = every_page(client, token, name, province=b.province.code)

    assert rows, f"{name} shows the client's own province"
    text = str(rows)
    assert "'b0'" not in text and "'bkhoi'" not in text and "'btinh'" not in text
    assert "'a0'" in text or "'akhoi'" in text or "'atinh'" in text
    assert asked_for_b == []


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_national_token_sees_every_province(name, client, two_provinces):
    token = make_token(None)

    text = str(every_page(client, token, name))

    assert ("'a0'" in text or "'akhoi'" in text) and ("'b0'" in text or "'bkhoi'" in text)


def test_the_lists_carry_what_was_decided(client):
    decided = build_decided(prefix="a")
    token = make_token(decided.province)

    rankings = every_page(client, token, "api:rankings")
    polls = every_page(client, token, "api:poll_results")
    proposals = every_page(client, token, "api:proposals")
    decisions = every_page(client, token, "api:decisions")
    records = every_page(client, token, "api:award_records")
    bloc_years = every_page(client, token, "api:bloc_years")

    assert [r["agency"] for r in rankings[0]["rows"]] == ["a0", "a1", "a2", "a3"]
    assert rankings[0]["rows"][0]["rank"] == 1
    assert {p["award_type"] for p in polls} == {"tt_ldxs", "bk_ubnd"}
    assert all(r["votes"] == 4 for p in polls for r in p["results"] if r["elected"])
    assert proposals[0]["state"] == "decided"
    assert decisions[0]["number"] == "a/QĐ-UBND"
    assert {(x["agency"], x["award_type"]) for x in decisions[0]["awards"]} == {
        (r["agency"], r["award_type"]) for r in records
    }
    assert [m["agency"] for m in bloc_years[0]["memberships"]] == ["a0", "a1", "a2", "a3"]


def test_agencies_carry_their_lineage(client):
    province = ProvinceFactory(code="tinh")
    old = AgencyFactory(province=province, code="sxd-cu")
    new = AgencyFactory(province=province, code="sxd")
    lineage_add(
        actor=None,
        predecessor=old,
        successor=new,
        kind="merge",
        effective_date=datetime.date(2025, 3, 1),
    )
    token = make_token(province)

    rows = {r["code"]: r for r in every_page(client, token, "api:agencies")}

    assert rows["sxd"]["predecessors"] == [
        {"agency": "sxd-cu", "kind": "merge", "effective_date": "2025-03-01", "note": ""}
    ]
    assert rows["sxd-cu"]["successors"][0]["agency"] == "sxd"


def test_updated_since_returns_only_what_changed(client):
    province = ProvinceFactory(code="tinh")
    kept = AgencyFactory(province=province, code="giu")
    changed = AgencyFactory(province=province, code="doi")
    token = make_token(province)
    moment = timezone.now()

    agency_update(actor=None, agency=changed, name="Sở Đổi Tên")
    rows = every_page(client, token, "api:agencies", updated_since=moment.isoformat())

    assert [r["code"] for r in rows] == ["doi"]
    assert kept.code not in str(rows)


def test_a_bad_filter_is_refused_with_the_reason(client):
    token = make_token(ProvinceFactory())

    response = get(client, token, "api:bloc_years", year="hai nghìn", updated_since="hôm qua")

    assert response.status_code == 400
    assert set(response.json()) == {"year", "updated_since"}


def test_the_year_and_bloc_filters_narrow(client, two_provinces):
    token = make_token(None)

    by_bloc = every_page(client, token, "api:bloc_years", bloc="akhoi")
    other_year = every_page(client, token, "api:decisions", year=2019)

    assert [r["bloc"] for r in by_bloc] == ["akhoi"]
    assert other_year == []


def test_the_cursor_pages_through_every_row(client):
    province = ProvinceFactory(code="tinh")
    AgencyFactory.create_batch(7, province=province)
    token = make_token(province)

    first = get(client, token, "api:agencies", page_size=3).json()
    rows = every_page(client, token, "api:agencies", page_size=3)

    assert len(first["results"]) == 3 and first["next"]
    assert len(rows) == 7 and len({r["id"] for r in rows}) == 7


def test_every_call_is_logged_with_its_client(client):
    province = ProvinceFactory(code="tinh")
    token = make_token(province, name="csdl-quoc-gia")

    get(client, token, "api:blocs", province="tinh")

    call = ApiCall.objects.get()
    assert call.client.name == "csdl-quoc-gia"
    assert (call.method, call.path, call.status) == ("GET", "/api/v1/blocs/?province=tinh", 200)
    assert call.at is not None


def test_a_session_is_not_a_token(client, admin_user):
    client.force_login(admin_user)

    assert get(client, None, "api:agencies").status_code == 401
