"""A read compiled once over the bloc-years a user sees answers what
``bloc_years_visible_to`` answers, for every kind of user."""

from __future__ import annotations

import pytest

from blocs.selectors import bloc_years_visible_to
from blocs.selectors.organisation import VisibleBlocYears
from emulation.enums import AgencyRole
from tests.factories import BlocYearFactory, UserFactory, add_member
from tests.factories.organisation import ProvinceFactory

pytestmark = pytest.mark.django_db


def test_each_kind_of_user_reads_the_bloc_years_it_sees():
    province, other = ProvinceFactory(code="mot"), ProvinceFactory(code="hai")
    here = [BlocYearFactory(bloc__province=province, year__year=y) for y in (2023, 2024)]
    BlocYearFactory(bloc__province=other, year__year=2023)
    member = add_member(here[0])
    users = {
        "national": UserFactory(is_council_staff=True, is_national=True),
        "province": UserFactory(is_council_staff=True, province=province),
        "agency": UserFactory(agency=member.agency, agency_role=AgencyRole.OFFICER),
        "nobody": UserFactory(),
    }
    ids = VisibleBlocYears(
        lambda bloc_years: bloc_years.order_by("pk").values_list("pk", flat=True)
    )
    years_after = VisibleBlocYears(
        lambda bloc_years, year: (
            bloc_years.filter(year__year__gt=year).order_by("pk").values_list("pk", flat=True)
        ),
        arity=1,
    )

    for user in users.values():
        visible = bloc_years_visible_to(user).order_by("pk")
        assert ids(user) == list(visible.values_list("pk", flat=True))
        assert years_after(user, 2023) == list(
            visible.filter(year__year__gt=2023).values_list("pk", flat=True)
        )
    assert len(ids(users["national"])) == 3
    assert ids(users["province"]) == [b.pk for b in here]
    assert ids(users["agency"]) == [here[0].pk]
    assert ids(users["nobody"]) == []
