"""Organisation services and selectors: constraints, lineage over successive
changes, carry-forward across a merge, membership rules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from blocs import services
from blocs.enums import LineageKind, MemberRole, Phase
from blocs.models import AgencyLineage, BlocYear, EmulationYear, Membership
from blocs.selectors import (
    agencies_addable_to,
    agency_history,
    carry_forward_plan,
    lineage_ids,
    successor_at,
    successors_at,
)
from blocs.selectors.organisation import shift_year
from blocs.services.organisation import DEADLINE_FIELDS
from emulation.models import AuditEvent
from tests.factories import (
    AgencyFactory,
    BlocYearFactory,
    EmulationYearFactory,
    ProvinceFactory,
    UserFactory,
    add_member,
    put_in_phase,
)
from tests.factories.organisation import COUNCIL_ONLY

pytestmark = pytest.mark.django_db

D = datetime.date


# --- constraints --------------------------------------------------------------------


def test_database_refuses_a_second_leader(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        add_member(cast.bloc_year, role=MemberRole.LEADER)


def test_database_refuses_a_second_deputy(cast):
    add_member(cast.bloc_year, role=MemberRole.DEPUTY)
    with pytest.raises(IntegrityError), transaction.atomic():
        add_member(cast.bloc_year, role=MemberRole.DEPUTY)


def test_database_refuses_an_agency_in_two_blocs_in_one_year(cast):
    other = BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)
    with pytest.raises(IntegrityError), transaction.atomic():
        add_member(other, cast.member.agency)


def test_database_allows_the_same_agency_in_another_year(cast):
    next_year = BlocYearFactory(bloc=cast.bloc_year.bloc, year__year=2024)
    add_member(next_year, cast.member.agency)
    assert Membership.objects.filter(agency=cast.member.agency).count() == 2


def test_database_refuses_self_lineage_and_duplicate_pairs(cast):
    a, b = cast.leader.agency, cast.member.agency
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyLineage.objects.create(
            predecessor=a, successor=a, kind=LineageKind.RENAME, effective_date=D(2025, 1, 1)
        )
    AgencyLineage.objects.create(
        predecessor=a, successor=b, kind=LineageKind.MERGE, effective_date=D(2025, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyLineage.objects.create(
            predecessor=a, successor=b, kind=LineageKind.RENAME, effective_date=D(2026, 1, 1)
        )


def test_database_refuses_an_agency_ending_before_it_starts(cast):
    agency = cast.member.agency
    agency.active_from, agency.active_to = D(2025, 1, 1), D(2024, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        agency.save()


def test_database_refuses_two_bloc_years_for_one_bloc_and_year(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocYear.objects.create(bloc=cast.bloc_year.bloc, year=cast.bloc_year.year)


def test_a_bloc_year_of_a_bloc_and_a_year_of_two_provinces_is_refused(cast):
    other_year = EmulationYearFactory(province=ProvinceFactory(), year=2023)
    bloc_year = BlocYear(bloc=cast.bloc_year.bloc, year=other_year)

    with pytest.raises(ValidationError, match="hai tỉnh khác nhau|different provinces"):
        bloc_year.full_clean()
    with pytest.raises(ValidationError):
        services.bloc_year_create(actor=cast.admin, bloc=cast.bloc_year.bloc, year=other_year)
    assert not BlocYear.objects.filter(year=other_year).exists()


def test_the_admin_neither_moves_a_bloc_nor_a_bloc_year(cast, login):
    client = login(cast.admin)
    bloc, bloc_year = cast.bloc_year.bloc, cast.bloc_year

    page = client.get(f"/admin/blocs/bloc/{bloc.pk}/change/").content.decode()
    assert 'name="province"' not in page
    page = client.get(f"/admin/blocs/blocyear/{bloc_year.pk}/change/").content.decode()
    assert 'name="bloc"' not in page
    assert 'name="year"' not in page
    assert 'name="province"' in client.get("/admin/blocs/bloc/add/").content.decode()


# --- membership services ----------------------------------------------------------


def test_membership_add_refuses_a_second_leader_with_a_message(cast):
    with pytest.raises(ValidationError, match="đã có"):
        services.membership_add(
            actor=cast.council,
            bloc_year=cast.bloc_year,
            agency=AgencyFactory(province=cast.province),
            role=MemberRole.LEADER,
        )


def test_membership_add_refuses_another_province(cast):
    with pytest.raises(ValidationError):
        services.membership_add(
            actor=cast.council,
            bloc_year=cast.bloc_year,
            agency=AgencyFactory(province=ProvinceFactory()),
        )


def test_membership_add_refuses_an_inactive_agency(cast):
    gone = AgencyFactory(province=cast.province, active_to=D(2022, 12, 31))
    with pytest.raises(ValidationError):
        services.membership_add(actor=cast.council, bloc_year=cast.bloc_year, agency=gone)


@pytest.mark.parametrize(
    ("active_from", "active_to", "offered"),
    [
        (None, None, True),
        (None, D(2023, 12, 31), True),  # active to the last day of the year
        (None, D(2023, 3, 1), False),  # merged away during the year
        (None, D(2022, 12, 31), False),
        (D(2023, 6, 1), None, True),  # created during the year
        (D(2024, 1, 1), None, False),  # created after it
    ],
)
def test_only_agencies_active_in_the_year_are_offered_and_added(
    cast, active_from, active_to, offered
):
    agency = AgencyFactory(province=cast.province, active_from=active_from, active_to=active_to)

    assert (agency in agencies_addable_to(cast.bloc_year)) is offered
    if offered:
        services.membership_add(actor=cast.council, bloc_year=cast.bloc_year, agency=agency)
        assert agency not in agencies_addable_to(cast.bloc_year)  # now a member
    else:
        with pytest.raises(ValidationError, match="2023"):
            services.membership_add(actor=cast.council, bloc_year=cast.bloc_year, agency=agency)
        assert not Membership.objects.filter(agency=agency).exists()


def test_membership_changes_are_refused_after_the_year_starts(cast):
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=cast.council, membership=cast.member)
    with pytest.raises(ValidationError):
        services.membership_update(
            actor=cast.council, membership=cast.member, role=MemberRole.LEADER, rotation_order=1
        )
    assert Membership.objects.get(pk=cast.member.pk).role == MemberRole.MEMBER


def test_membership_update_swaps_the_deputy(cast):
    deputy = add_member(cast.bloc_year, role=MemberRole.DEPUTY, order=3)
    services.membership_update(
        actor=cast.council, membership=cast.member, role=MemberRole.DEPUTY, rotation_order=2
    )
    deputy.refresh_from_db()
    cast.member.refresh_from_db()
    assert (cast.member.role, deputy.role) == (MemberRole.DEPUTY, MemberRole.MEMBER)
    assert AuditEvent.objects.filter(action="membership.update").count() == 1


def test_year_create_refuses_deadlines_out_of_order(cast):
    with pytest.raises(ValidationError):
        services.emulation_year_create(
            actor=None,
            province=cast.province,
            year=2030,
            self_assessment_deadline=D(2030, 12, 10),
            review_deadline=D(2030, 12, 1),
        )
    assert not EmulationYear.objects.filter(year=2030).exists()


# --- lineage over two successive changes ------------------------------------------------


@pytest.fixture
def chain(db):
    """A renamed in 2020 to B; B merged into C in 2025 (and D merged into C too)."""
    province = ProvinceFactory()
    a, b, c, d = (AgencyFactory(province=province, code=code) for code in "abcd")
    services.lineage_add(
        actor=None,
        predecessor=a,
        successor=b,
        kind=LineageKind.RENAME,
        effective_date=D(2020, 7, 1),
    )
    services.lineage_add(
        actor=None, predecessor=b, successor=c, kind=LineageKind.MERGE, effective_date=D(2025, 3, 1)
    )
    services.lineage_add(
        actor=None, predecessor=d, successor=c, kind=LineageKind.MERGE, effective_date=D(2025, 3, 1)
    )
    return a, b, c, d


def test_successor_at_follows_two_changes(chain):
    a, b, c, _d = chain
    assert successor_at(a, D(2020, 6, 30)) == a
    assert successor_at(a, D(2020, 7, 1)) == b
    assert successor_at(a, D(2025, 2, 28)) == b
    assert successor_at(a, D(2025, 3, 1)) == c
    assert successor_at(b, D(2026, 1, 1)) == c
    assert successor_at(c, D(2026, 1, 1)) == c


def test_successors_at_agrees_with_successor_at(chain, django_assert_num_queries):
    a, b, c, d = chain
    with django_assert_num_queries(1):  # the links; every successor is already loaded
        result = successors_at([a, b, c, d], D(2025, 3, 1))
    assert {k: v.code for k, v in result.items()} == {a.pk: "c", b.pk: "c", c.pk: "c", d.pk: "c"}


def test_lineage_ids_collects_every_predecessor(chain):
    a, b, c, d = chain
    assert lineage_ids(c) == {a.pk, b.pk, c.pk, d.pk}
    assert lineage_ids(b) == {a.pk, b.pk}
    assert lineage_ids(a) == {a.pk}


def test_agency_history_lists_predecessors_and_links(chain):
    a, b, c, d = chain
    agencies, links = agency_history(c)
    assert {x.code for x in agencies} == {"a", "b", "c", "d"}
    assert [(link.predecessor.code, link.successor.code) for link in links] == [
        ("a", "b"),
        ("b", "c"),
        ("d", "c"),
    ]


def test_successor_at_survives_a_cycle(chain):
    a, b, _c, _d = chain
    AgencyLineage.objects.create(
        predecessor=b, successor=a, kind=LineageKind.RENAME, effective_date=D(2021, 1, 1)
    )
    assert successor_at(a, D(2022, 1, 1)) in (a, b)


# --- carry forward ---------------------------------------------------------------------


@pytest.fixture
def bloc_2024(db):
    """A bloc in 2024 with five members in rotation order; the 2nd leads, the 3rd
    deputises; the 4th (khdt) merges into the 5th (tc) and the 1st (bdt) is
    renamed (new agency dt) on 1 March 2025."""
    province = ProvinceFactory(code="ap")
    year = services.emulation_year_create(
        actor=None,
        province=province,
        year=2024,
        registration_deadline=D(2024, 3, 15),
        self_assessment_opens=D(2024, 11, 20),
        self_assessment_deadline=D(2024, 12, 10),
        review_deadline=D(2024, 12, 25),
        dispute_deadline=D(2025, 1, 5),
        proposal_deadline=D(2025, 1, 31),
    )
    bloc = services.bloc_create(actor=None, province=province, code="tmth", name="Khối TMTH")
    bloc_year = services.bloc_year_create(actor=None, bloc=bloc, year=year)
    codes = ["bdt", "vp", "tt", "khdt", "tc"]
    agencies = {c: AgencyFactory(province=province, code=c) for c in codes}
    agencies["dt"] = AgencyFactory(province=province, code="dt", active_from=D(2025, 3, 1))
    roles = {"vp": MemberRole.LEADER, "tt": MemberRole.DEPUTY}
    for order, code in enumerate(codes, start=1):
        services.membership_add(
            actor=None,
            bloc_year=bloc_year,
            agency=agencies[code],
            role=roles.get(code, MemberRole.MEMBER),
            rotation_order=order,
        )
    for old, new, kind in (("khdt", "tc", LineageKind.MERGE), ("bdt", "dt", LineageKind.RENAME)):
        services.agency_update(
            actor=None,
            agency=agencies[old],
            name=agencies[old].name,
            active_to=D(2025, 2, 28),
        )
        services.lineage_add(
            actor=None,
            predecessor=agencies[old],
            successor=agencies[new],
            kind=kind,
            effective_date=D(2025, 3, 1),
        )
    return bloc_year


def test_carry_forward_plan_before_the_merge_keeps_everyone(bloc_2024):
    plan = carry_forward_plan(bloc_2024)
    assert plan.as_of == D(2025, 1, 1)
    assert [a.code for a in plan.agencies] == ["bdt", "vp", "tt", "khdt", "tc"]
    assert (plan.leader.code, plan.deputy.code) == ("tt", "khdt")


def test_carry_forward_across_a_merge(bloc_2024):
    council = UserFactory(is_council_staff=True, province=bloc_2024.bloc.province)
    new = services.bloc_year_carry_forward(actor=council, bloc_year=bloc_2024, as_of=D(2025, 3, 1))

    members = list(new.memberships.order_by("rotation_order").values_list("agency__code", "role"))
    assert members == [
        ("dt", MemberRole.MEMBER),
        ("vp", MemberRole.MEMBER),
        ("tt", MemberRole.LEADER),
        ("tc", MemberRole.DEPUTY),
    ]
    assert new.year.year == 2025
    assert new.phase == Phase.SETUP
    # The year was created with the deadlines shifted by one year.
    assert new.year.self_assessment_deadline == D(2025, 12, 10)
    assert new.year.proposal_deadline == D(2026, 1, 31)
    event = AuditEvent.objects.get(action="bloc_year.carry_forward")
    assert event.data["replaced"] == {"bdt": "dt", "khdt": "tc"}
    assert event.data["leader"] == "tt"
    assert event.actor == council


def test_carry_forward_proposal_skips_a_merged_member(bloc_2024):
    # Make khdt (merged into tc) the deputy's successor in rotation: tt leads 2024.
    Membership.objects.filter(bloc_year=bloc_2024).update(role=MemberRole.MEMBER)
    Membership.objects.filter(bloc_year=bloc_2024, agency__code="tt").update(role=MemberRole.LEADER)
    plan = carry_forward_plan(bloc_2024, as_of=D(2025, 3, 1))
    # After tt comes khdt, now tc (already in the list once): tc leads, then dt (wraps).
    assert [a.code for a in plan.agencies] == ["dt", "vp", "tt", "tc"]
    assert (plan.leader.code, plan.deputy.code) == ("tc", "dt")


def test_carry_forward_with_staff_choice_of_leader(bloc_2024):
    vp = Membership.objects.get(bloc_year=bloc_2024, agency__code="vp").agency
    tc = Membership.objects.get(bloc_year=bloc_2024, agency__code="tc").agency
    new = services.bloc_year_carry_forward(
        actor=None, bloc_year=bloc_2024, leader=vp, deputy=tc, as_of=D(2025, 3, 1)
    )
    assert dict(new.memberships.values_list("agency__code", "role"))["vp"] == MemberRole.LEADER


def test_carry_forward_refuses_a_leader_who_is_not_a_member(bloc_2024):
    khdt = Membership.objects.get(bloc_year=bloc_2024, agency__code="khdt").agency
    with pytest.raises(ValidationError):
        services.bloc_year_carry_forward(
            actor=None, bloc_year=bloc_2024, leader=khdt, as_of=D(2025, 3, 1)
        )
    assert not BlocYear.objects.filter(year__year=2025).exists()
    assert not EmulationYear.objects.filter(year=2025).exists()  # atomic


def test_carry_forward_twice_is_refused(bloc_2024):
    services.bloc_year_carry_forward(actor=None, bloc_year=bloc_2024)
    with pytest.raises(ValidationError, match="2025"):
        services.bloc_year_carry_forward(actor=None, bloc_year=bloc_2024)


def test_carry_forward_drops_a_member_already_in_another_bloc(bloc_2024):
    year_2025 = services.emulation_year_create(
        actor=None, province=bloc_2024.bloc.province, year=2025
    )
    other_bloc = services.bloc_create(
        actor=None, province=bloc_2024.bloc.province, code="other", name="Khối khác"
    )
    other = services.bloc_year_create(actor=None, bloc=other_bloc, year=year_2025)
    vp = Membership.objects.get(bloc_year=bloc_2024, agency__code="vp").agency
    services.membership_add(actor=None, bloc_year=other, agency=vp)

    plan = carry_forward_plan(bloc_2024)
    assert "vp" not in [a.code for a in plan.agencies]
    assert plan.existing_year == year_2025
    new = services.bloc_year_carry_forward(actor=None, bloc_year=bloc_2024)
    assert new.year == year_2025
    assert not new.memberships.filter(agency=vp).exists()


def test_shifted_deadline_of_29_february():

    assert shift_year(D(2024, 2, 29)) == D(2025, 2, 28)
    assert shift_year(None) is None


# --- who may set up the province's organisation -------------------------------------

COUNCIL_SET_UP = {
    "agency_create": lambda cast, actor: services.agency_create(
        actor=actor, province=cast.province, code="moi", name="Sở Mới"
    ),
    "agency_update": lambda cast, actor: services.agency_update(
        actor=actor, agency=cast.member.agency, name="Tên mới"
    ),
    "lineage_add": lambda cast, actor: services.lineage_add(
        actor=actor,
        predecessor=cast.member.agency,
        successor=cast.leader.agency,
        kind=LineageKind.MERGE,
        effective_date=D(2024, 1, 1),
    ),
    "bloc_create": lambda cast, actor: services.bloc_create(
        actor=actor, province=cast.province, code="khoi9", name="Khối Mới"
    ),
    "bloc_update": lambda cast, actor: services.bloc_update(
        actor=actor, bloc=cast.bloc_year.bloc, name="Khối đổi tên", kind=cast.bloc_year.bloc.kind
    ),
    "emulation_year_create": lambda cast, actor: services.emulation_year_create(
        actor=actor, province=cast.province, year=2030
    ),
    "emulation_year_update": lambda cast, actor: services.emulation_year_update(
        actor=actor,
        emulation_year=cast.bloc_year.year,
        **dict.fromkeys(DEADLINE_FIELDS) | {"proposal_deadline": D(2024, 1, 31)},
    ),
    "bloc_year_create": lambda cast, actor: services.bloc_year_create(
        actor=actor,
        bloc=services.bloc_create(
            actor=None, province=cast.province, code="khoi8", name="Khối Tám"
        ),
        year=cast.bloc_year.year,
    ),
}


@pytest.mark.parametrize("service", sorted(COUNCIL_SET_UP))
@pytest.mark.parametrize(("who", "allowed"), COUNCIL_ONLY)
def test_only_the_provinces_council_sets_up_its_organisation(cast, service, who, allowed):
    run = COUNCIL_SET_UP[service]
    if allowed:
        run(cast, getattr(cast, who))
        assert AuditEvent.objects.filter(actor=getattr(cast, who)).exists()
    else:
        with pytest.raises(PermissionDenied):
            run(cast, getattr(cast, who))
        assert not AuditEvent.objects.filter(actor=getattr(cast, who)).exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("council", True),
        ("secretariat", True),
        ("other_council", False),
        ("head", False),
        ("officer", False),
        ("outsider", False),
    ],
)
def test_only_the_secretariat_or_council_change_the_members(cast, who, allowed):
    actor = getattr(cast, who)
    agency = AgencyFactory(province=cast.province, code="moi")
    calls = [
        lambda: services.membership_add(actor=actor, bloc_year=cast.bloc_year, agency=agency),
        lambda: services.membership_update(
            actor=actor, membership=cast.member, role=MemberRole.DEPUTY, rotation_order=2
        ),
        lambda: services.membership_remove(actor=actor, membership=cast.member),
    ]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    assert Membership.objects.filter(agency=agency).exists() is allowed
    assert Membership.objects.filter(pk=cast.member.pk).exists() is not allowed


def test_the_secretariat_carries_forward_only_into_a_year_the_council_set_up(cast):
    put_in_phase(cast.bloc_year, Phase.DECIDED)
    with pytest.raises(PermissionDenied):
        services.bloc_year_carry_forward(actor=cast.secretariat, bloc_year=cast.bloc_year)
    with pytest.raises(PermissionDenied):
        services.bloc_year_carry_forward(actor=cast.head, bloc_year=cast.bloc_year)
    assert not EmulationYear.objects.filter(year=cast.bloc_year.year.year + 1).exists()

    services.emulation_year_create(
        actor=cast.council, province=cast.province, year=cast.bloc_year.year.year + 1
    )
    new = services.bloc_year_carry_forward(actor=cast.secretariat, bloc_year=cast.bloc_year)
    assert new.year.year == cast.bloc_year.year.year + 1
