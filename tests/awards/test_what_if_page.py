"""The what-if page: council staff judge a hypothetical agency's facts with
the eligibility engine, nothing saved."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.urls import reverse

from emulation.enums import AgencyRole
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("awards:what_if")


@pytest.fixture
def province():
    return ProvinceFactory(code="wtinh", name="Tỉnh Giả Định")


@pytest.fixture
def council(province):
    return UserFactory(username="hd", is_council_staff=True, province=province)


def five_excellent_years(province, **extra):
    data = {
        "province": province.code,
        "considered_on": "2024-01-18",
        "year": "2023",
        **{f"rating_{n}": "excellent" for n in range(5)},
    }
    data.update(extra)
    return data


def counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_form_judges_each_award_with_reasons_and_saves_nothing(client, province, council):
    client.force_login(council)
    assert "Xét thử" in client.get(URL).content.decode()
    before = counts()

    response = client.post(URL, five_excellent_years(province, registered=["tt_ldxs"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-award="bk_ttg" data-eligible="yes"' in page
    assert 'data-award="tt_ldxs" data-eligible="yes"' in page
    assert 'data-award="tt_ldtt" data-eligible="no"' in page  # not registered for it
    assert "Nghị định 98/2023/NĐ-CP" in page  # the legal basis of the verdicts
    assert "&quot;2019&quot;: &quot;excellent&quot;" in page  # the case as JSON, for the command
    assert counts() == before


def test_pasted_json_judges_several_cases(client, province, council):
    client.force_login(council)
    cases = {
        "province": province.code,
        "cases": [
            {"id": "a", "considered_on": "2024-01-18", "year": 2023, "agency": {}},
            {
                "id": "b",
                "considered_on": "2024-01-18",
                "year": 2023,
                "agency": {"ratings": {str(y): "excellent" for y in range(2019, 2024)}},
            },
        ],
    }

    page = client.post(URL, {"cases_json": json.dumps(cases)}).content.decode()

    assert 'data-case="a"' in page and 'data-case="b"' in page
    assert page.count('data-award="bk_ttg" data-eligible="yes"') == 1


def test_bad_input_is_refused_with_the_reason(client, province, council):
    client.force_login(council)
    bad = client.post(URL, {"cases_json": "{not json"})
    assert bad.status_code == 400 and "JSON" in bad.content.decode()
    foreign = client.post(URL, {"cases_json": json.dumps({"province": "khac", "cases": []})})
    assert foreign.status_code == 400 and "khac" in foreign.content.decode()
    missing = client.post(URL, {"province": province.code})
    assert missing.status_code == 400


def test_what_if_permissions(client, province, council):
    assert client.get(URL).status_code == 302  # to the login page
    officer = UserFactory(
        username="cb", agency=AgencyFactory(province=province), agency_role=AgencyRole.OFFICER
    )
    client.force_login(officer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, five_excellent_years(province)).status_code == 403
    other = ProvinceFactory(code="khac")
    client.force_login(council)
    assert client.get(URL, {"province": other.pk}).status_code == 404
    assert client.put(URL).status_code == 405
