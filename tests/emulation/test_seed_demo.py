import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from awards.models import CouncilVote, ProposalItem
from blocs.models import BlocYear, Membership
from emulation.models import User


def counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_loads_the_bloc_and_accounts(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)

    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=2023)
    leader = Membership.objects.get(bloc_year=bloc_year, role="leader")
    assert leader.agency.code == "vpubnd"
    assert bloc_year.memberships.count() >= 9
    for code in ["ttt", "vpubnd", "stc", "snv", "stp", "sngv", "skhdt", "vpdbqh", "bdt"]:
        for role in ("officer", "head"):
            assert User.objects.get(username=f"{code}.{role}").check_password("demo-2023")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="council").is_council_staff
    # The 2022 decision carries the council's vote and the prize money of the
    # day (1.5 × 1,490,000 đồng for Tập thể lao động xuất sắc).
    assert CouncilVote.objects.filter(item__proposal__bloc_year__year__year=2022).count() == 4
    awarded = ProposalItem.objects.filter(
        proposal__bloc_year__year__year=2022, prize_amount__isnull=False
    )
    assert set(awarded.values_list("prize_amount", flat=True)) == {2_240_000}


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=None)
    before = counts()

    call_command("seed_demo", stdout=None)

    assert counts() == before


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_refuses_without_the_compiled_vietnamese_catalogue(settings, tmp_path):
    """Its covenant, documents and reasons would otherwise be stored in English."""
    settings.DEBUG = True
    settings.LOCALE_PATHS = [tmp_path]

    with pytest.raises(CommandError, match="make messages"):
        call_command("seed_demo", stdout=None)
    assert not User.objects.exists()
