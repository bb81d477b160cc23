"""Dashboard tasks of the review for reviewers and agencies."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from blocs import services
from blocs.dashboard_review import tasks_for
from tests.factories.review import make_env, verify_all


def test_reviewer_sees_how_many_are_left(cast, login):
    env = make_env(cast, members=3)
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="leader")
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    text = login(env.secretariat).get(reverse("home")).content.decode()
    assert "Thẩm định: còn 3 đơn vị" in text
    assert tasks_for(cast.officer) == []


def test_cross_scorer_sees_its_assignment(cast):
    env = make_env(cast, members=3)
    services.review_configure(actor=env.secretariat, bloc_year=env.bloc_year, mode="cross")
    rows = services.review_assignment_generate(actor=env.secretariat, bloc_year=env.bloc_year)
    services.review_start(actor=env.secretariat, bloc_year=env.bloc_year)
    reviewer = env.officers[rows[0].reviewer_id]
    titles = [t.title for t in tasks_for(reviewer)]
    assert titles == ["Thẩm định: còn 1 đơn vị"]


def test_agency_sees_its_adjustments_and_deadline(cast, login):
    env = make_env(cast, members=3)
    year = env.bloc_year.year
    year.dispute_deadline = datetime.date.today() + datetime.timedelta(days=5)
    year.save()
    verify_all(env, {cast.member.pk: {"1.1": ("20", "Thiếu minh chứng")}})
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    text = login(cast.officer).get(reverse("home")).content.decode()
    assert f"Có 1 điều chỉnh điểm, hạn kiến nghị {year.dispute_deadline:%d/%m/%Y}" in text
    services.review_lock(
        actor=env.secretariat,
        bloc_year=env.bloc_year,
        today=year.dispute_deadline + datetime.timedelta(days=1),
    )
    assert tasks_for(cast.officer) == []


@pytest.mark.parametrize("members", [3, 7])
def test_dashboard_query_count(cast, members, django_assert_num_queries):
    env = make_env(cast, members=members)
    verify_all(env, {m.pk: {"1.1": ("20", "Thiếu minh chứng")} for m in env.memberships})
    services.review_release(actor=env.secretariat, bloc_year=env.bloc_year)
    with django_assert_num_queries(2):
        assert len(tasks_for(cast.officer)) == 1
    with django_assert_num_queries(2):
        tasks_for(env.secretariat)
