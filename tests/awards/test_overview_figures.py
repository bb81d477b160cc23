"""The country's overview on the council dashboard, kept in the shared cache:
read again without a query until something it counts changes, and never
stale after a change (one test per way its figures change)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command

from awards.selectors.council import _country_counts, provinces_overview
from awards.services import proposal_receive, proposal_submit
from blocs.enums import DeadlineStep, Phase
from blocs.services import (
    bloc_year_advance,
    bloc_year_carry_forward,
    bloc_year_create,
    deadline_extend,
    deadline_extension_withdraw,
    emulation_year_update,
)
from blocs.services.organisation import DEADLINE_FIELDS
from emulation import audit
from emulation.figures import FIGURE_ACTIONS, _version_key
from tests.factories import (
    BlocFactory,
    BlocYearFactory,
    add_member,
)
from tests.factories.proposal import build_proposal

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def shared_cache(settings):
    """As with Redis: one process's cache stands for the shared one."""
    settings.SHARED_CACHE = True


@pytest.fixture
def late(province):
    """A bloc-year of 2023 late for its self-assessment (deadline 3 days ago)."""
    bloc_year = BlocYearFactory(
        bloc__province=province, bloc__code="cham", year__year=2023, phase=Phase.SELF_ASSESSMENT
    )
    year = bloc_year.year
    year.self_assessment_deadline = TODAY - datetime.timedelta(days=3)
    year.save(update_fields=["self_assessment_deadline"])
    return bloc_year


def figures(province, year=2023):
    """(blocs, late, waiting, decided) of the province in the overview."""
    rows = provinces_overview(provinces=[province], year=year)
    return (rows[0].blocs, rows[0].late, rows[0].waiting, rows[0].decided) if rows else None


def fresh(province, year=2023):
    return _country_counts(year, TODAY).get(province.pk)


def test_the_overview_is_read_again_without_a_query(province, late, django_assert_num_queries):
    assert figures(province) == (1, 1, 0, 0)

    with django_assert_num_queries(0):
        assert figures(province) == (1, 1, 0, 0)


def test_the_overview_is_not_kept_without_a_shared_cache(
    settings, province, late, django_assert_num_queries
):
    settings.SHARED_CACHE = False
    figures(province)

    with django_assert_num_queries(1):
        assert figures(province) == (1, 1, 0, 0)


def test_a_phase_change_renews_the_overview(
    province, council, late, django_capture_on_commit_callbacks
):
    assert figures(province) == (1, 1, 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        bloc_year_advance(actor=council, bloc_year=late, to=Phase.CLOSED, reason="Sáp nhập tỉnh")

    assert figures(province) == fresh(province) == (1, 0, 0, 1)


def test_a_new_bloc_year_renews_the_overview(
    province, council, late, django_capture_on_commit_callbacks
):
    assert figures(province) == (1, 1, 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        bloc_year_create(actor=council, bloc=BlocFactory(province=province), year=late.year)

    assert figures(province) == fresh(province)
    assert figures(province)[0] == 2


def test_carrying_a_bloc_forward_renews_the_next_years_overview(
    province, council, late, django_capture_on_commit_callbacks
):
    add_member(late)
    assert figures(province, 2024) is None

    with django_capture_on_commit_callbacks(execute=True):
        bloc_year_carry_forward(actor=council, bloc_year=late)

    assert figures(province, 2024) == fresh(province, 2024) == (1, 0, 0, 0)


def test_a_change_of_the_years_deadlines_renews_the_overview(
    province, council, late, django_capture_on_commit_callbacks
):
    assert figures(province) == (1, 1, 0, 0)
    deadlines = {name: getattr(late.year, name) for name in DEADLINE_FIELDS}

    with django_capture_on_commit_callbacks(execute=True):
        emulation_year_update(
            actor=council,
            emulation_year=late.year,
            **{**deadlines, "self_assessment_deadline": TODAY + datetime.timedelta(days=3)},
        )

    assert figures(province) == fresh(province) == (1, 0, 0, 0)


def test_a_deadline_extension_and_its_withdrawal_renew_the_overview(
    province, council, late, django_capture_on_commit_callbacks
):
    assert figures(province) == (1, 1, 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        extension = deadline_extend(
            actor=council,
            bloc_year=late,
            step=DeadlineStep.SELF_ASSESSMENT,
            deadline=TODAY + datetime.timedelta(days=4),
            reason="Bão số 3",
        )
    assert figures(province) == fresh(province) == (1, 0, 0, 0)

    with django_capture_on_commit_callbacks(execute=True):
        deadline_extension_withdraw(actor=council, extension=extension, reason="Hết bão")
    assert figures(province) == fresh(province) == (1, 1, 0, 0)


def test_sending_and_receiving_a_proposal_renew_the_overview(
    province, council, django_capture_on_commit_callbacks
):
    conf, proposal = build_proposal(members=4, prefix="dn", province=province)
    before = figures(province)
    assert before[2] == 0

    with django_capture_on_commit_callbacks(execute=True):
        proposal_submit(actor=conf.secretariat, proposal=proposal)
    assert figures(province) == fresh(province)
    assert figures(province)[2] == 1

    with django_capture_on_commit_callbacks(execute=True):
        proposal_receive(actor=council, proposal=proposal)
    assert figures(province) == fresh(province)
    assert figures(province)[2] == 0


def test_a_change_is_seen_only_once_committed(
    province, council, late, django_capture_on_commit_callbacks
):
    """Until the transaction commits, the version is the old one; a reader
    then keeps nothing under a version from after the change."""
    figures(province)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bloc_year_advance(actor=council, bloc_year=late, to=Phase.CLOSED, reason="Sáp nhập tỉnh")
    assert len(callbacks) == 1
    callbacks[0]()

    assert figures(province) == fresh(province) == (1, 0, 0, 1)


@pytest.mark.parametrize("action", [f"{prefix}any" for prefix in FIGURE_ACTIONS])
def test_every_audited_change_of_what_the_overview_counts_renews_it(
    action, province, late, django_capture_on_commit_callbacks
):
    """The admin's changes (admin.add, admin.change, admin.delete) and a
    year's import (backup.import_year) too."""
    figures(province)
    version = cache.get(_version_key())

    with django_capture_on_commit_callbacks(execute=True):
        audit.record(actor=None, action=action, target=late)

    assert cache.get(_version_key()) not in (None, version)


def test_other_audited_changes_keep_the_overview(
    province, late, django_capture_on_commit_callbacks, django_assert_num_queries
):
    figures(province)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        audit.record(actor=None, action="assessment.item_save", target=late)

    assert callbacks == []
    with django_assert_num_queries(0):
        figures(province)


def test_a_migration_renews_the_overview(province, late, django_capture_on_commit_callbacks):
    figures(province)
    version = cache.get(_version_key())

    with django_capture_on_commit_callbacks(execute=True):
        call_command("migrate", verbosity=0)

    assert cache.get(_version_key()) not in (None, version)
