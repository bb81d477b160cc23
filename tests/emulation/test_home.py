import pytest
from django.urls import reverse

from blocs.enums import Phase


def test_officer_sees_their_bloc_year_in_vietnamese(cast, login):
    response = login(cast.officer).get(reverse("home"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Việc cần làm tiếp theo" in body
    assert cast.bloc_year.bloc.name in body
    assert str(Phase.SETUP.label) in body


def test_secretariat_is_told_it_runs_the_bloc(cast, login):
    body = login(cast.secretariat).get(reverse("home")).content.decode()

    assert "Đơn vị đang là" in body or "Trưởng khối" in body


def test_council_sees_what_it_oversees(cast, login):
    body = login(cast.council).get(reverse("home")).content.decode()

    assert "Khối thi đua theo năm mà bạn theo dõi: 2" in body


def test_home_refuses_post(cast, login):
    assert login(cast.officer).post(reverse("home")).status_code == 405


@pytest.mark.parametrize("extra_years", [0, 4])
def test_home_query_count_does_not_grow(cast, login, django_assert_max_num_queries, extra_years):
    from tests.factories import BlocYearFactory, EmulationYearFactory, add_member

    for i in range(extra_years):
        year = EmulationYearFactory(province=cast.province, year=2010 + i)
        add_member(BlocYearFactory(bloc=cast.bloc_year.bloc, year=year), cast.member.agency)
    client = login(cast.officer)

    # One query per dashboard provider at most for an officer (+1: the conference, issue 7).
    with django_assert_max_num_queries(9):
        client.get(reverse("home"))
