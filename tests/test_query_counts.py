"""Query budgets of the main pages that `make bench` measures, where the
pages' own tests do not already hold one:

- bloc-year overview: tests/blocs/test_organisation_views.py
  (test_bloc_year_detail_query_count);
- assessment page: tests/blocs/test_assessment_views.py
  (test_assessment_page_query_count_does_not_grow);
- ranking page: tests/blocs/test_review_views.py (test_ranking_query_count);
- council dashboard for the whole country: tests/awards/test_council.py
  (test_national_user_sees_every_province_with_a_fixed_query_count);
- ballot casting: here (the ballot page and the cast itself).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import VoterRecord
from awards.services.voting import ballot_cast
from blocs.models import BlocYear
from blocs.selectors import ranking_for, rankings_for
from tests.factories.meeting import build_conference
from tests.factories.review import FinalScoreFactory

pytestmark = pytest.mark.django_db


def open_poll_with(n: int):
    """A conference of n + 2 members, all present, n of them on the ballot and
    n - 1 ballots already cast; the last of those n casts next."""
    conf = build_conference(members=n + 2, prefix=f"q{n}")
    poll = conf.open_poll(conf.memberships[:n])
    first = poll.candidates.order_by("pk").first()
    for i in range(n - 1):
        ballot_cast(
            actor=conf.heads[i],
            poll=poll,
            agency_id=conf.memberships[i].agency_id,
            candidate_ids=[first.pk],
        )
    return conf, poll, first, conf.heads[n - 1], conf.memberships[n - 1].agency


@pytest.mark.parametrize("n", [1, 5])
def test_ballot_page_query_count_does_not_grow(login, django_assert_num_queries, n):
    conf, poll, _first, head, _agency = open_poll_with(n)
    client = login(head)
    url = reverse("awards:poll_vote", args=[poll.pk])
    client.get(url)

    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.status_code == 200
    assert "Sở Số 0" in response.content.decode()


def test_the_ballot_page_reads_no_candidates_once_every_ballot_is_cast(
    login, django_assert_num_queries
):
    conf, poll, first, head, agency = open_poll_with(3)
    ballot_cast(actor=head, poll=poll, agency_id=agency.pk, candidate_ids=[first.pk])
    client = login(head)
    url = reverse("awards:poll_vote", args=[poll.pk])
    client.get(url)

    with django_assert_num_queries(5):
        response = client.get(url)

    assert "ballot-form" not in response.content.decode()


@pytest.mark.parametrize("n", [1, 5])
def test_ballot_casting_query_count_does_not_grow(login, django_assert_num_queries, n):
    conf, poll, first, head, agency = open_poll_with(n)
    client = login(head)
    url = reverse("awards:poll_vote", args=[poll.pk])
    client.get(url)

    with django_assert_num_queries(11):
        response = client.post(url, {"agency": agency.pk, "candidates": [first.pk]})

    assert response.status_code == 200
    assert VoterRecord.objects.filter(poll=poll).count() == n
    assert VoterRecord.objects.filter(poll=poll, agency=agency).exists()


@pytest.mark.parametrize("as_queryset", [False, True], ids=["list", "queryset"])
@pytest.mark.parametrize("n", [1, 5])
def test_rankings_for_many_bloc_years_is_one_query(django_assert_num_queries, n, as_queryset):
    bloc_years = []
    for i in range(n):
        conf = build_conference(members=3, prefix=f"r{i}")
        for rank, membership in enumerate(conf.memberships, start=1):
            FinalScoreFactory(membership=membership, total=100 - rank, rank=rank)
        bloc_years.append(conf.bloc_year)

    unranked = build_conference(members=2, prefix="none").bloc_year
    asked = [*bloc_years, unranked]
    if as_queryset:
        asked = BlocYear.objects.filter(pk__in=[b.pk for b in asked])

    with django_assert_num_queries(1):
        rankings = rankings_for(asked)

    assert rankings[unranked.pk] == []

    for bloc_year in BlocYear.objects.filter(pk__in=[b.pk for b in bloc_years]):
        expected = ranking_for(bloc_year)
        got = rankings[bloc_year.pk]
        assert [(r.agency.pk, r.total, r.rank) for r in got] == [
            (r.agency.pk, r.total, r.rank) for r in expected
        ]
