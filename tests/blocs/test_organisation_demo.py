"""The demo's organisation step: tmth 2024 with the leader rotated, 2025 after
the reorganisation, the new agency's accounts."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from blocs import services
from blocs.enums import Phase
from blocs.models import Agency, BlocYear, Membership
from blocs.selectors import lineage_ids, successor_at
from emulation.models import User
from tests.demo import load_demo


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    load_demo()


def roles(year):
    bloc_year = BlocYear.objects.get(bloc__code="tmth", year__year=year)
    return bloc_year, dict(bloc_year.memberships.values_list("agency__code", "role"))


def test_demo_2024_rotates_the_leader(seeded):
    bloc_year, members = roles(2024)
    assert members["ttt"] == "leader"
    assert members["stc"] == "deputy"
    assert members["vpubnd"] == "member"
    assert len(members) == 9
    today = timezone.localdate()
    assert bloc_year.year.registration_deadline == datetime.date(2024, 3, 15)
    assert bloc_year.year.self_assessment_opens == today - datetime.timedelta(days=7)
    assert bloc_year.year.self_assessment_deadline == today + datetime.timedelta(days=14)


def test_demo_2025_after_the_reorganisation(seeded):
    bloc_year, members = roles(2025)
    assert bloc_year.phase == Phase.SETUP
    assert len(members) == 8
    assert "skhdt" not in members and "bdt" not in members
    assert members["sdttg"] == "member"
    assert members["stc"] == "leader"  # the member after ttt in the rotation
    skhdt = bloc_year.memberships.model.objects.get(agency__code="skhdt", year__year=2024).agency
    assert successor_at(skhdt, datetime.date(2025, 3, 1)).code == "stc"
    sdttg = bloc_year.memberships.get(agency__code="sdttg").agency
    assert len(lineage_ids(sdttg)) == 2
    for role in ("officer", "head"):
        assert User.objects.get(username=f"sdttg.{role}").check_password("demo-2023")


def test_demo_2025_add_member_list_leaves_out_agencies_merged_away(seeded, client):
    bloc_year, _members = roles(2025)
    Membership.objects.filter(bloc_year=bloc_year, agency__code="vpubnd").delete()
    client.force_login(User.objects.get(username="council"))

    page = client.get(reverse("blocs:bloc_year_detail", args=[bloc_year.pk]))

    choices = re.search(r'<select id="id_agency".*?</select>', page.content.decode(), re.S)[0]
    offered = {
        code
        for code, pk in Agency.objects.values_list("code", "pk")
        if f'<option value="{pk}">' in choices
    }
    assert "vpubnd" in offered  # active all year, in no bloc any more
    assert "skhdt" not in offered  # merged into Sở Tài chính on 1 March 2025
    with pytest.raises(ValidationError, match="skhdt|Kế hoạch"):
        services.membership_add(
            actor=User.objects.get(username="council"),
            bloc_year=bloc_year,
            agency=Agency.objects.get(code="skhdt"),
        )
