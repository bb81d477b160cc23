"""Dashboard tasks of the conference: a head's open ballot, the secretariat's
conference; a fixed number of queries whatever the number of polls."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.dashboard_meeting import tasks_for
from awards.services.voting import ballot_cast
from tests.factories.meeting import build_conference

pytestmark = pytest.mark.django_db


def open_polls(conf, n):
    polls = []
    for code in ["co_tinh", "bk_ubnd", "tt_ldxs", "tt_ldtt", "giay_khen"][:n]:
        polls.append(conf.open_poll(conf.memberships[:3], code=code, base=None))
    return polls


def test_head_sees_the_open_ballot_until_it_has_voted():
    conf = build_conference(members=9)
    (poll,) = open_polls(conf, 1)

    tasks = tasks_for(conf.heads[4])
    assert [t.url for t in tasks] == [
        reverse("awards:poll_vote", args=[poll.pk]),
        reverse("awards:meeting_detail", args=[conf.meeting.pk]),
    ]
    assert tasks[0].title == "Đang bỏ phiếu kín: Cờ thi đua của Ủy ban nhân dân tỉnh"

    ballot_cast(
        actor=conf.heads[4], poll=poll, agency_id=conf.memberships[4].agency_id, candidate_ids=[]
    )
    assert [t.url for t in tasks_for(conf.heads[4])] == [
        reverse("awards:meeting_detail", args=[conf.meeting.pk])
    ]


def test_secretariat_sees_the_conference():
    conf = build_conference(members=9)
    tasks = tasks_for(conf.secretariat)
    assert [t.url for t in tasks] == [reverse("awards:meeting_start", args=[conf.bloc_year.pk])]
    assert "18/01/2024" in tasks[0].title


@pytest.mark.parametrize("n", [1, 5])
def test_dashboard_queries_do_not_grow(django_assert_num_queries, n):
    conf = build_conference(members=9)
    open_polls(conf, n)
    with django_assert_num_queries(4):
        tasks = tasks_for(conf.heads[4])
    assert len(tasks) == n + 1  # the ballots and the conference itself
