"""The what-if page: council staff judge a hypothetical agency's facts with
the eligibility engine, nothing saved."""

from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from emulation.enums import AgencyRole
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("awards:what_if")


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

    staff = {
        "staff_total": "10",
        "staff_completed": "10",
        "staff_ldtt": "7",
        "staff_cstdcs": "1",
        "staff_disciplined": "0",
    }
    response = client.post(URL, five_excellent_years(province, registered=["tt_ldxs"], **staff))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-award="bk_ttg" data-eligible="yes"' in page
    assert 'data-award="tt_ldxs" data-eligible="yes"' in page
    assert 'data-award="tt_ldtt" data-eligible="no"' in page  # not registered for it
    assert "Nghị định 98/2023/NĐ-CP" in page  # the legal basis of the verdicts
    assert "&quot;2019&quot;: &quot;excellent&quot;" in page  # the case as JSON, for the command
    # One person short of 70% Lao động tiên tiến: the title is refused, with the figures.
    short = client.post(
        URL, five_excellent_years(province, registered=["tt_ldxs"], **{**staff, "staff_ldtt": "6"})
    ).content.decode()
    assert 'data-award="tt_ldxs" data-eligible="no"' in short and "70%" in short
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


def test_the_page_and_check_eligibility_agree(client, province, council, tmp_path):
    cases = {
        "province": province.code,
        "cases": [
            {
                "id": "x",
                "considered_on": "2025-12-20",
                "year": 2025,
                "agency": {
                    "ratings": {"2024": "excellent", "2025": "excellent"},
                    "registered": ["tt_ldtt"],
                    "staff": {"total": 10, "completed": 10, "ldtt": 7, "disciplined": 0},
                },
            }
        ],
    }
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases))
    out = io.StringIO()
    call_command("check_eligibility", "--file", str(path), "--format", "json", stdout=out)
    verdicts = json.loads(out.getvalue())["cases"][0]["verdicts"]
    client.force_login(council)

    page = client.post(URL, {"cases_json": json.dumps(cases)}).content.decode()

    for code, verdict in verdicts.items():
        flag = "yes" if verdict["eligible"] else "no"
        assert f'data-award="{code}" data-eligible="{flag}"' in page
