import io

import pytest
from django.core.management import CommandError, call_command

from awards.models import Attendance, Meeting, Poll, PollCandidate
from blocs.models import BlocYear, BlocYearReview, FinalScore, ItemScore, Membership, SelfAssessment
from blocs.selectors import ranking_for
from emulation.models import User


@pytest.mark.django_db
def test_generate_load_data_creates_the_requested_sizes():
    out = io.StringIO()

    call_command(
        "generate_load_data",
        provinces=2,
        blocs=3,
        members=4,
        criteria=6,
        years=2,
        stdout=out,
    )

    assert BlocYear.objects.count() == 2 * 3 * 2
    assert Membership.objects.count() == 2 * 3 * 2 * 4
    assert SelfAssessment.objects.count() == 2 * 3 * 2 * 4
    assert ItemScore.objects.count() == 2 * 3 * 2 * 4 * 6
    assert User.objects.filter(agency__isnull=False).count() == 2 * 3 * 4 * 2
    assert Membership.objects.filter(role="leader").count() == 2 * 3 * 2
    assert "item scores: 288/288" in out.getvalue()  # progress is shown


@pytest.mark.django_db
def test_generate_load_data_refuses_to_run_twice():
    call_command(
        "generate_load_data",
        provinces=1,
        blocs=1,
        members=3,
        criteria=3,
        years=1,
        stdout=io.StringIO(),
    )

    with pytest.raises(CommandError):
        call_command(
            "generate_load_data",
            provinces=1,
            blocs=1,
            members=3,
            criteria=3,
            years=1,
            stdout=io.StringIO(),
        )


@pytest.mark.django_db
def test_generate_load_data_ranks_the_ranked_years_and_convenes_conferences():

    call_command(
        "generate_load_data",
        provinces=1,
        blocs=3,
        members=4,
        criteria=5,
        years=3,
        meetings=2,
        stdout=io.StringIO(),
    )

    # Years 1 and 2 of 3 are ranked (decided, ranking published): 3 blocs each.
    assert BlocYearReview.objects.filter(locked_at__isnull=False).count() == 2 * 3
    assert FinalScore.objects.count() == 2 * 3 * 4
    assert Meeting.objects.count() == 2
    assert Poll.objects.filter(state="draft").count() == 2
    assert Attendance.objects.count() == PollCandidate.objects.count() == 2 * 4
    bloc_year = BlocYear.objects.filter(phase="voting").first()
    ranking = ranking_for(bloc_year)
    assert [row.rank for row in ranking] == sorted(row.rank for row in ranking)
    assert ranking[0].total >= ranking[-1].total
