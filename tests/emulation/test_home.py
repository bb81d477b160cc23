from django.urls import reverse

from blocs.enums import Phase
from tests.factories import BlocYearFactory, EmulationYearFactory, add_member


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


def test_home_query_count_does_not_grow_with_the_years(cast, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    before = count()
    for i in range(4):
        year = EmulationYearFactory(province=cast.province, year=2010 + i)
        add_member(BlocYearFactory(bloc=cast.bloc_year.bloc, year=year), cast.member.agency)

    assert count() == before
