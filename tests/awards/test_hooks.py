"""What blocs read from awards through blocs.hooks: each hook is supplied once
the apps are ready, and answers with the awards' data."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from awards.models import AwardType
from awards.services import agency_fact_set
from blocs import hooks
from blocs.selectors.ranking import women_shares
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_every_hook_is_supplied_by_awards():
    supplied = [v for v in vars(hooks).values() if isinstance(v, hooks.Hook)]
    assert {h.name for h in supplied} == {
        "women_shares",
        "registrable_award_types",
        "next_leadership",
    }
    assert all(h._function is not None for h in supplied)


def test_an_unsupplied_hook_says_so():
    with pytest.raises(ImproperlyConfigured, match="blocs.hooks.orphan"):
        hooks.Hook("orphan")()


def test_women_shares_come_from_the_years_facts():
    with_fact, without = AgencyFactory(), AgencyFactory()
    agency_fact_set(actor=None, agency=with_fact, year=2023, women_percent=Decimal("72.5"))
    assert women_shares([with_fact.pk, without.pk], 2023) == {with_fact.pk: Decimal("72.5")}
    assert women_shares([with_fact.pk], 2024) == {}


def test_registrable_award_types_are_the_active_collective_ones():
    registrable = set(hooks.registrable_award_types())
    assert registrable == set(AwardType.objects.filter(is_active=True, for_collective=True))
    assert all(a.is_active and a.for_collective for a in registrable)
    assert AwardType.objects.exclude(pk__in=[a.pk for a in registrable]).exists()
