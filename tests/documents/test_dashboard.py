"""The secretariat's dashboard points at the dossier's documents while the
bloc-year is reviewed, ranked or voted."""

import pytest

from awards.documents.dashboard import tasks_for
from blocs.enums import MemberRole, Phase
from emulation.dashboard import tasks_for as all_tasks
from tests.factories import AgencyFactory, BlocYearFactory, add_member, put_in_phase

pytestmark = pytest.mark.django_db


def test_secretariat_sees_the_documents_task_while_voting(cast):
    put_in_phase(cast.bloc_year, Phase.VOTING)

    tasks = [t for t in all_tasks(cast.secretariat) if "/documents/" in t.url]

    assert len(tasks) == 1
    assert tasks[0].title == "Văn bản hồ sơ năm 2023: đã ban hành 0 văn bản"
    assert tasks[0].url == f"/bloc-years/{cast.bloc_year.pk}/documents/"
    assert tasks_for(cast.officer) == []
    assert tasks_for(cast.council) == []


def test_no_documents_task_before_the_review(cast):
    assert tasks_for(cast.secretariat) == []


@pytest.mark.parametrize("years", [1, 5])
def test_the_documents_task_costs_three_queries(cast, django_assert_num_queries, years):
    agency = cast.leader.agency
    for year in range(years):
        bloc_year = BlocYearFactory(
            bloc__province=cast.province, year__year=2010 + year, phase=Phase.VOTING
        )
        add_member(bloc_year, agency, MemberRole.LEADER)
        add_member(bloc_year, AgencyFactory(province=cast.province))

    with django_assert_num_queries(3):
        tasks = tasks_for(cast.secretariat)
    assert len(tasks) == years
