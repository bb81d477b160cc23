"""The signed-in user is read with their agency and province: the header of
every page names them without a query of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emulation.enums import AgencyRole
from tests.factories import UserFactory
from tests.factories.organisation import AgencyFactory, ProvinceFactory


def _signed_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "demo-2023"})
    assert response.status_code == 302
    return client


def _header_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    sqls = [q["sql"] for q in captured.captured_queries]
    return response, sqls


def test_an_officers_page_names_the_agency_without_reading_it_again(client, db):
    agency = AgencyFactory(code="ttt", name="Thanh tra tỉnh", short_name="Thanh tra")
    user = UserFactory(agency=agency, agency_role=AgencyRole.OFFICER)
    _signed_in(client, user)

    response, sqls = _header_queries(client, reverse("blocs:bloc_year_list"))

    assert response.status_code == 200
    assert "Thanh tra" in response.content.decode()
    assert not [sql for sql in sqls if sql.lstrip().startswith('SELECT "blocs_agency"')]


def test_council_staff_of_a_province_see_it_named_without_a_query(client, db):
    province = ProvinceFactory(code="hg", name="Hà Giang")
    user = UserFactory(is_council_staff=True, province=province)
    _signed_in(client, user)

    response, sqls = _header_queries(client, reverse("home"))

    assert response.status_code == 200
    assert "Hà Giang" in response.content.decode()
    assert not [sql for sql in sqls if sql.lstrip().startswith('SELECT "blocs_province"')]


@pytest.mark.parametrize("change", ["deactivated", "agency renamed"])
def test_the_user_is_read_afresh_on_every_request(client, db, change):
    agency = AgencyFactory(code="stp", name="Sở Tư pháp", short_name="Sở Tư pháp")
    user = UserFactory(agency=agency, agency_role=AgencyRole.OFFICER)
    _signed_in(client, user)
    client.get(reverse("home"))

    if change == "deactivated":
        type(user).objects.filter(pk=user.pk).update(is_active=False)
    else:
        type(agency).objects.filter(pk=agency.pk).update(short_name="Sở Tư pháp mới")
    response = client.get(reverse("home"))

    if change == "deactivated":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert "Sở Tư pháp mới" in response.content.decode()
