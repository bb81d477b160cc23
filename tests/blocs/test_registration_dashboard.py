import pytest
from django.urls import reverse

from blocs.dashboard_registration import tasks_for
from tests.factories import AgencyFactory, BlocYearFactory, add_member
from tests.factories.registration import register, set_registration_deadline


def test_officer_sees_the_registration_task_with_its_deadline(cast):
    deadline = set_registration_deadline(cast.bloc_year, 6)

    tasks = tasks_for(cast.officer)

    assert [t.title for t in tasks] == ["Đăng ký thi đua năm 2023"]
    assert tasks[0].due == deadline
    assert tasks[0].url == reverse("blocs:registration_detail", args=[cast.member.pk])


def test_the_task_disappears_once_registered_or_after_the_deadline(cast):
    set_registration_deadline(cast.bloc_year, 6)
    register(cast, cast.member, indicator="Chỉ tiêu", award_codes=())

    assert tasks_for(cast.officer) == []
    set_registration_deadline(cast.bloc_year, -1)
    assert tasks_for(cast.head) == []


def test_secretariat_sees_how_many_have_registered(cast):
    set_registration_deadline(cast.bloc_year, 6)
    register(cast, cast.member, indicator="Chỉ tiêu", award_codes=())

    titles = [t.title for t in tasks_for(cast.secretariat)]

    assert "Đăng ký thi đua năm 2023: 1/2 đơn vị đã đăng ký" in titles


def test_the_home_page_shows_the_task(cast, login):
    deadline = set_registration_deadline(cast.bloc_year, 6)

    response = login(cast.officer).get(reverse("home"))

    html = response.content.decode()
    assert "Đăng ký thi đua năm 2023" in html
    assert html.count(f"hạn {deadline:%d/%m/%Y}") == 1  # the due date, once


@pytest.mark.parametrize("bloc_years", [1, 5])
def test_provider_query_count_is_fixed(cast, django_assert_num_queries, bloc_years):
    set_registration_deadline(cast.bloc_year, 6)
    for index in range(bloc_years - 1):
        bloc_year = BlocYearFactory(bloc__province=cast.province, year__year=2030 + index)
        add_member(bloc_year, cast.leader.agency, "leader")
        add_member(bloc_year, AgencyFactory(province=cast.province))

    with django_assert_num_queries(3):
        tasks = tasks_for(cast.secretariat)
    assert len(tasks) == 2 * bloc_years


def test_an_ordinary_member_costs_two_queries(cast, django_assert_num_queries):
    set_registration_deadline(cast.bloc_year, 6)

    with django_assert_num_queries(2):
        tasks = tasks_for(cast.officer)
    assert len(tasks) == 1
