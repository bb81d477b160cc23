"""Organisation pages: agencies, blocs, years, bloc-years, members, carry forward.

Each page: the happy path, an outsider (404), a wrong role (403) and a wrong
method (405); the lists keep a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.services.meeting import meeting_create, next_leadership_set
from blocs import services
from blocs.enums import LineageKind, MemberRole, Phase
from blocs.models import Agency, AgencyLineage, Bloc, BlocYear, EmulationYear, Membership
from emulation.models import AuditEvent
from tests.factories import (
    AgencyFactory,
    BlocYearFactory,
    EmulationYearFactory,
    add_member,
    put_in_phase,
)

pytestmark = pytest.mark.django_db


def other_province_agency(cast):
    other = cast.other_council.province
    return AgencyFactory(province=other, code="khac-so")


# --- agencies -------------------------------------------------------------------


def test_agency_list_shows_the_province_and_searches(cast, login):
    client = login(cast.council)
    other_province_agency(cast)

    response = client.get(reverse("blocs:agency_list"), {"q": "lea"})

    assert response.status_code == 200
    codes = [a.code for a in response.context["agencies"]]
    assert codes == ["lead"]
    assert "Cơ quan" in response.content.decode()


def test_agency_list_hides_other_provinces(cast, login):
    other_province_agency(cast)
    response = login(cast.council).get(reverse("blocs:agency_list"))
    assert {a.code for a in response.context["agencies"]} == {"lead", "mem", "out"}


def test_agency_list_national_sees_every_province(cast, login, django_user_model):
    other_province_agency(cast)
    national = django_user_model.objects.create(
        username="bo", is_council_staff=True, is_national=True
    )
    response = login(national).get(reverse("blocs:agency_list"))
    assert "khac-so" in {a.code for a in response.context["agencies"]}


@pytest.mark.parametrize("user", ["officer", "secretariat", "head"])
def test_agency_pages_refuse_agency_users(cast, login, user):
    client = login(getattr(cast, user))
    assert client.get(reverse("blocs:agency_list")).status_code == 403
    assert client.get(reverse("blocs:agency_create")).status_code == 403
    assert client.get(reverse("blocs:agency_edit", args=[cast.member.agency.pk])).status_code == 403


def test_agency_edit_of_another_province_is_not_found(cast, login):
    agency = other_province_agency(cast)
    response = login(cast.council).get(reverse("blocs:agency_edit", args=[agency.pk]))
    assert response.status_code == 404


def test_agency_list_wrong_method(cast, login):
    assert login(cast.council).post(reverse("blocs:agency_list")).status_code == 405


def test_agency_create_writes_and_audits(cast, login):
    response = login(cast.council).post(
        reverse("blocs:agency_create"),
        {
            "province": cast.province.pk,
            "code": "sxd",
            "name": "Sở Xây dựng",
            "short_name": "SXD",
            "active_from": "2020-01-01",
        },
    )
    agency = Agency.objects.get(code="sxd")
    assert response.status_code == 302
    assert agency.province == cast.province
    assert agency.active_from == datetime.date(2020, 1, 1)
    assert AuditEvent.objects.filter(action="agency.create", target_id=str(agency.pk)).exists()


def test_agency_create_refuses_a_duplicate_code_in_vietnamese(cast, login):
    response = login(cast.council).post(
        reverse("blocs:agency_create"),
        {"province": cast.province.pk, "code": "lead", "name": "Trùng mã"},
    )
    assert response.status_code == 200
    assert "Đã có cơ quan với mã này" in response.content.decode()
    assert Agency.objects.filter(code="lead").count() == 1


def test_agency_create_cannot_pick_another_province(cast, login):
    response = login(cast.council).post(
        reverse("blocs:agency_create"),
        {"province": cast.other_council.province.pk, "code": "x1", "name": "Sở X"},
    )
    assert response.status_code == 200
    assert not Agency.objects.filter(code="x1").exists()


def test_agency_edit_changes_names_and_dates(cast, login):
    agency = cast.member.agency
    response = login(cast.council).post(
        reverse("blocs:agency_edit", args=[agency.pk]),
        {"name": "Sở Mới", "short_name": "Mới", "active_to": "2025-02-28"},
    )
    agency.refresh_from_db()
    assert response.status_code == 302
    assert (agency.name, agency.active_to) == ("Sở Mới", datetime.date(2025, 2, 28))
    assert agency.code == "mem"


def test_agency_edit_refuses_end_before_start(cast, login):
    agency = cast.member.agency
    response = login(cast.council).post(
        reverse("blocs:agency_edit", args=[agency.pk]),
        {"name": "Sở", "active_from": "2025-01-01", "active_to": "2024-01-01"},
    )
    assert response.status_code == 200
    agency.refresh_from_db()
    assert agency.active_to is None


def test_lineage_add_and_remove(cast, login):
    client = login(cast.council)
    old, new = cast.member.agency, cast.leader.agency
    response = client.post(
        reverse("blocs:agency_lineage_add", args=[old.pk]),
        {"successor": new.pk, "kind": LineageKind.MERGE, "effective_date": "2025-03-01"},
    )
    link = AgencyLineage.objects.get(predecessor=old)
    assert response.status_code == 302
    assert link.successor == new

    page = client.get(reverse("blocs:agency_edit", args=[new.pk])).content.decode()
    assert "Sáp nhập" in page or "Hợp nhất" in page

    response = client.post(reverse("blocs:agency_lineage_remove", args=[old.pk, link.pk]))
    assert response.status_code == 302
    assert not AgencyLineage.objects.exists()


def test_lineage_add_wrong_method_and_role(cast, login):
    url = reverse("blocs:agency_lineage_add", args=[cast.member.agency.pk])
    assert login(cast.council).get(url).status_code == 405
    assert login(cast.officer).post(url, {}).status_code == 403
    assert login(cast.other_council).post(url, {}).status_code == 404


# --- blocs and years ------------------------------------------------------------


def test_bloc_list_and_create(cast, login):
    client = login(cast.council)
    page = client.get(reverse("blocs:bloc_list"))
    assert page.status_code == 200
    assert {b.code for b in page.context["blocs"]} == {"khoi1", "khoi2"}

    response = client.post(
        reverse("blocs:bloc_create"),
        {"province": cast.province.pk, "code": "cum3", "name": "Cụm thi đua số 3", "kind": "cum"},
    )
    bloc = Bloc.objects.get(code="cum3")
    assert response.status_code == 302
    assert bloc.kind == "cum"


def test_bloc_edit(cast, login):
    bloc = cast.bloc_year.bloc
    response = login(cast.council).post(
        reverse("blocs:bloc_edit", args=[bloc.pk]),
        {"name": "Khối đổi tên", "kind": "khoi", "is_active": "on"},
    )
    bloc.refresh_from_db()
    assert response.status_code == 302
    assert bloc.name == "Khối đổi tên"


def test_bloc_pages_permissions(cast, login):
    bloc = cast.bloc_year.bloc
    assert login(cast.secretariat).get(reverse("blocs:bloc_list")).status_code == 403
    assert login(cast.officer).get(reverse("blocs:bloc_edit", args=[bloc.pk])).status_code == 403
    assert (
        login(cast.other_council).get(reverse("blocs:bloc_edit", args=[bloc.pk])).status_code == 404
    )
    assert login(cast.council).delete(reverse("blocs:bloc_create")).status_code == 405


def test_year_create_and_edit(cast, login):
    client = login(cast.council)
    response = client.post(
        reverse("blocs:year_create"),
        {
            "province": cast.province.pk,
            "year": 2024,
            "registration_deadline": "2024-03-15",
            "self_assessment_opens": "2024-11-20",
            "self_assessment_deadline": "2024-12-10",
        },
    )
    year = EmulationYear.objects.get(province=cast.province, year=2024)
    assert response.status_code == 302
    assert year.self_assessment_deadline == datetime.date(2024, 12, 10)

    response = client.post(
        reverse("blocs:year_edit", args=[year.pk]),
        {"self_assessment_opens": "2024-12-20", "self_assessment_deadline": "2024-12-10"},
    )
    assert response.status_code == 200
    assert "không thể trước" in response.content.decode()

    response = client.post(
        reverse("blocs:year_edit", args=[year.pk]),
        {"self_assessment_opens": "2024-11-25", "self_assessment_deadline": "2024-12-15"},
    )
    year.refresh_from_db()
    assert response.status_code == 302
    assert year.self_assessment_deadline == datetime.date(2024, 12, 15)
    assert year.registration_deadline is None


def test_year_create_refuses_a_duplicate(cast, login):
    response = login(cast.council).post(
        reverse("blocs:year_create"), {"province": cast.province.pk, "year": 2023}
    )
    assert response.status_code == 200
    assert EmulationYear.objects.filter(province=cast.province, year=2023).count() == 1


def test_year_pages_permissions(cast, login):
    year = cast.bloc_year.year
    assert login(cast.officer).get(reverse("blocs:year_create")).status_code == 403
    assert (
        login(cast.other_council).get(reverse("blocs:year_edit", args=[year.pk])).status_code == 404
    )
    assert login(cast.council).put(reverse("blocs:year_edit", args=[year.pk])).status_code == 405


# --- bloc-years -------------------------------------------------------------------


def test_bloc_year_create(cast, login):
    year = services.emulation_year_create(actor=None, province=cast.province, year=2024)
    response = login(cast.council).post(
        reverse("blocs:bloc_year_create"), {"bloc": cast.bloc_year.bloc.pk, "year": year.pk}
    )
    bloc_year = BlocYear.objects.get(bloc=cast.bloc_year.bloc, year=year)
    assert response.status_code == 302
    assert response["Location"] == reverse("blocs:bloc_year_detail", args=[bloc_year.pk])
    assert bloc_year.phase == Phase.SETUP


def test_bloc_year_create_refuses_a_second_one(cast, login):
    response = login(cast.council).post(
        reverse("blocs:bloc_year_create"),
        {"bloc": cast.bloc_year.bloc.pk, "year": cast.bloc_year.year.pk},
    )
    assert response.status_code == 200
    assert BlocYear.objects.filter(bloc=cast.bloc_year.bloc).count() == 1


def test_bloc_year_create_permissions(cast, login):
    assert login(cast.secretariat).get(reverse("blocs:bloc_year_create")).status_code == 403
    assert login(cast.council).patch(reverse("blocs:bloc_year_create")).status_code == 405


def members_editable(page: str, cast) -> bool:
    """The bloc-year page offers to change its members (their order and roles)."""
    return reverse("blocs:membership_update", args=[cast.bloc_year.pk, cast.member.pk]) in page


def test_bloc_year_detail_for_council_shows_actions_and_deadlines(cast, login):
    response = login(cast.council).get(reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert members_editable(page, cast)
    assert "Thêm thành viên" in page
    assert "Chuyển sang năm sau" in page
    assert "Hạn tự chấm điểm" in page
    assert 'aria-current="step"' in page


def test_bloc_year_detail_for_a_member_is_read_only(cast, login):
    response = login(cast.officer).get(reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert not members_editable(page, cast)
    assert 'id="extensions"' not in page  # what those who manage the bloc-year see
    assert cast.leader.agency.name in page
    assert "Thêm thành viên" not in page


def test_bloc_year_detail_for_the_secretariat_shows_actions(cast, login):
    response = login(cast.secretariat).get(
        reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk])
    )
    assert members_editable(response.content.decode(), cast)


@pytest.mark.parametrize("user", ["outsider", "other_council"])
def test_bloc_year_detail_outsiders_get_404(cast, login, user):
    response = login(getattr(cast, user)).get(
        reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk])
    )
    assert response.status_code == 404


def test_bloc_year_detail_wrong_method(cast, login):
    url = reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk])
    assert login(cast.council).post(url).status_code == 405


# --- members ----------------------------------------------------------------------


def test_member_add_by_council(cast, login):
    agency = AgencyFactory(province=cast.province, code="new")
    response = login(cast.council).post(
        reverse("blocs:membership_add", args=[cast.bloc_year.pk]),
        {"agency": agency.pk, "role": MemberRole.DEPUTY},
    )
    membership = Membership.objects.get(agency=agency)
    assert response.status_code == 302
    assert membership.role == MemberRole.DEPUTY
    assert membership.rotation_order == 3  # last


def test_member_add_refuses_an_agency_of_another_bloc(cast, login):
    client = login(cast.council)
    out = Agency.objects.get(code="out")
    response = client.post(
        reverse("blocs:membership_add", args=[cast.bloc_year.pk]),
        {"agency": out.pk, "role": MemberRole.MEMBER},
        follow=True,
    )
    assert "đã là thành viên của một khối" in response.content.decode()
    assert not cast.bloc_year.memberships.filter(agency=out).exists()


def test_member_add_refuses_once_the_year_has_started(cast, login):
    put_in_phase(cast.bloc_year, Phase.IN_PROGRESS)
    agency = AgencyFactory(province=cast.province, code="late")
    response = login(cast.council).post(
        reverse("blocs:membership_add", args=[cast.bloc_year.pk]),
        {"agency": agency.pk, "role": MemberRole.MEMBER},
        follow=True,
    )
    assert "trước khi năm bắt đầu" in response.content.decode()
    assert not Membership.objects.filter(agency=agency).exists()


def test_member_pages_permissions(cast, login):
    add = reverse("blocs:membership_add", args=[cast.bloc_year.pk])
    update = reverse("blocs:membership_update", args=[cast.bloc_year.pk, cast.member.pk])
    remove = reverse("blocs:membership_remove", args=[cast.bloc_year.pk, cast.member.pk])
    for url in (add, update, remove):
        assert login(cast.council).get(url).status_code == 405
        assert login(cast.officer).post(url, {}).status_code == 403
        assert login(cast.head).post(url, {}).status_code == 403
        assert login(cast.outsider).post(url, {}).status_code == 404
        assert login(cast.other_council).post(url, {}).status_code == 404
    assert Membership.objects.filter(pk=cast.member.pk).exists()


def test_member_make_leader_hands_over_the_role(cast, login):
    response = login(cast.secretariat).post(
        reverse("blocs:membership_update", args=[cast.bloc_year.pk, cast.member.pk]),
        {"role": MemberRole.LEADER, "rotation_order": 5},
    )
    cast.member.refresh_from_db()
    cast.leader.refresh_from_db()
    assert response.status_code == 302
    assert (cast.member.role, cast.member.rotation_order) == (MemberRole.LEADER, 5)
    assert cast.leader.role == MemberRole.MEMBER
    event = AuditEvent.objects.get(action="membership.update")
    assert event.data["demoted"] == "lead"


def test_member_remove(cast, login):
    response = login(cast.council).post(
        reverse("blocs:membership_remove", args=[cast.bloc_year.pk, cast.member.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=cast.member.pk).exists()
    assert AuditEvent.objects.filter(action="membership.remove").count() == 1


# --- carry forward ----------------------------------------------------------------


def test_carry_forward_page_proposes_the_next_leader(cast, login):
    add_member(cast.bloc_year, AgencyFactory(province=cast.province, code="third"), order=3)
    response = login(cast.council).get(
        reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])
    )
    plan = response.context["plan"]
    assert response.status_code == 200
    assert plan.leader.code == "mem"
    assert plan.deputy.code == "third"
    assert "Chuyển" in response.content.decode()
    assert not BlocYear.objects.filter(year__year=2024).exists()  # nothing written on GET


def test_carry_forward_page_proposes_the_conference_s_choice_over_the_rotation(cast, login):
    import datetime

    third = add_member(cast.bloc_year, AgencyFactory(province=cast.province, code="third"), order=3)
    meeting = meeting_create(
        actor=cast.secretariat,
        bloc_year=cast.bloc_year,
        date=datetime.date(2024, 1, 18),
        place="Hội trường",
        chair="Chủ trì",
        secretary="Thư ký",
    )
    next_leadership_set(
        actor=cast.secretariat,
        meeting=meeting,
        leader=third.agency,
        deputy=cast.leader.agency,
        method="acclamation",
        note="Hội nghị suy tôn",
    )

    response = login(cast.council).get(
        reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])
    )

    plan = response.context["plan"]
    assert plan.leader.code == "third"  # the rotation would have proposed "mem"
    assert plan.deputy.code == "lead"
    assert "hội nghị tổng kết" in response.content.decode()


def test_carry_forward_by_the_secretariat_needs_the_year(cast, login):
    url = reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])
    client = login(cast.secretariat)
    page = client.get(url)
    assert page.context["needs_council"]
    assert "chưa tạo năm 2024" in page.content.decode()
    data = {"as_of": "2024-01-01", "leader": cast.member.agency.pk}
    assert client.post(url, data).status_code == 403
    assert not BlocYear.objects.filter(year__year=2024).exists()


def test_carry_forward_confirm_with_a_changed_leader(cast, login):
    services.emulation_year_create(actor=None, province=cast.province, year=2024)
    response = login(cast.secretariat).post(
        reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk]),
        {"as_of": "2024-01-01", "leader": cast.leader.agency.pk, "deputy": cast.member.agency.pk},
    )
    new = BlocYear.objects.get(bloc=cast.bloc_year.bloc, year__year=2024)
    assert response.status_code == 302
    roles = dict(new.memberships.values_list("agency__code", "role"))
    assert roles == {"lead": MemberRole.LEADER, "mem": MemberRole.DEPUTY}


def test_carry_forward_permissions(cast, login):
    url = reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])
    assert login(cast.officer).get(url).status_code == 403
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.other_council).get(url).status_code == 404
    assert login(cast.council).delete(url).status_code == 405


def test_carry_forward_twice_is_refused(cast, login):
    services.bloc_year_carry_forward(actor=None, bloc_year=cast.bloc_year)
    response = login(cast.council).get(
        reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])
    )
    assert response.context["plan"].already_done is not None
    assert "đã có" in response.content.decode()


# --- query counts -------------------------------------------------------------------


def _more_agencies(cast, n):
    for i in range(n):
        AgencyFactory(province=cast.province, code=f"extra{i}")


@pytest.mark.parametrize("n", [1, 5])
def test_agency_list_query_count(cast, login, django_assert_num_queries, n):
    _more_agencies(cast, n)
    client = login(cast.council)
    with django_assert_num_queries(4):
        client.get(reverse("blocs:agency_list"))


@pytest.mark.parametrize("n", [1, 5])
def test_bloc_list_query_count(cast, login, django_assert_num_queries, n):
    for _ in range(n):
        BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)
    client = login(cast.council)
    with django_assert_num_queries(4):
        client.get(reverse("blocs:bloc_list"))


@pytest.mark.parametrize("n", [1, 5])
def test_bloc_year_list_query_count(cast, login, django_assert_num_queries, n):
    for _ in range(n):
        BlocYearFactory(bloc__province=cast.province, year=cast.bloc_year.year)
    client = login(cast.council)
    with django_assert_num_queries(3):
        client.get(reverse("blocs:bloc_year_list"))


@pytest.mark.parametrize("n", [1, 5])
def test_bloc_year_detail_query_count(cast, login, django_assert_num_queries, n):
    for i in range(n):
        add_member(cast.bloc_year, AgencyFactory(province=cast.province), order=10 + i)
    client = login(cast.council)
    with django_assert_num_queries(6):
        client.get(reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]))


def _earlier_years_of(bloc, agency, n):
    """``n`` earlier bloc-years of ``bloc``, with ``agency`` a member of each."""
    for i in range(n):
        year = EmulationYearFactory(province=bloc.province, year=2010 + i)
        add_member(BlocYearFactory(bloc=bloc, year=year), agency)


@pytest.mark.parametrize("n", [1, 5])
def test_agency_edit_query_count_does_not_grow(cast, login, django_assert_num_queries, n):
    agency = cast.member.agency
    _earlier_years_of(cast.bloc_year.bloc, agency, n)
    for i in range(n):
        services.lineage_add(
            actor=cast.council,
            predecessor=AgencyFactory(province=cast.province, name=f"Sở Cũ {i}"),
            successor=agency,
            kind=LineageKind.MERGE,
            effective_date=datetime.date(2020, 1, 1),
        )
    client = login(cast.council)
    url = reverse("blocs:agency_edit", args=[agency.pk])
    client.get(url)

    with django_assert_num_queries(AGENCY_EDIT_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(f" → {agency.name}") == n
    assert page.count(f"{cast.bloc_year.bloc.name}</a>") == n + 1


AGENCY_EDIT_QUERIES = 7


@pytest.mark.parametrize("n", [1, 5])
def test_bloc_edit_query_count_does_not_grow(cast, login, django_assert_num_queries, n):
    bloc = cast.bloc_year.bloc
    _earlier_years_of(bloc, cast.member.agency, n)
    client = login(cast.council)
    url = reverse("blocs:bloc_edit", args=[bloc.pk])
    client.get(url)

    with django_assert_num_queries(BLOC_EDIT_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count('<li class="list-group-item d-flex') == n + 1


BLOC_EDIT_QUERIES = 5


@pytest.mark.parametrize("n", [1, 5])
def test_carry_forward_query_count_does_not_grow(cast, login, django_assert_num_queries, n):
    for i in range(n):
        add_member(
            cast.bloc_year, AgencyFactory(province=cast.province, name=f"Sở Thêm {i}"), order=3 + i
        )
    client = login(cast.council)
    url = reverse("blocs:bloc_year_carry_forward", args=[cast.bloc_year.pk])
    client.get(url)

    with django_assert_num_queries(CARRY_FORWARD_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["plan"].lines) == n + 2
    plan = response.content.decode().split('class="table table-sm align-middle carry-plan"')[1]
    assert plan.split("</table>")[0].count("Sở Thêm ") == 2 * n  # this year and the next


CARRY_FORWARD_QUERIES = 9


@pytest.mark.parametrize(("who", "secretariat"), [("secretariat", True), ("officer", False)])
def test_bloc_year_detail_finds_the_users_role_in_its_member_list(cast, login, who, secretariat):
    client = login(getattr(cast, who))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk]))

    # The role is not read on its own (the permissions' query of it).
    role_reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "blocs_membership"."id", "blocs_membership"."role" ')
    ]
    assert role_reads == []
    assert ('class="alert alert-info py-2"' in response.content.decode()) is secretariat


def test_bloc_year_detail_links_the_next_year_without_another_query(
    cast, login, django_assert_num_queries
):
    client = login(cast.secretariat)
    url = reverse("blocs:bloc_year_detail", args=[cast.bloc_year.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    new = services.bloc_year_carry_forward(actor=None, bloc_year=cast.bloc_year)

    with django_assert_num_queries(len(before)):
        response = client.get(url)

    link = reverse("blocs:bloc_year_detail", args=[new.pk])
    assert f'href="{link}"' in response.content.decode()
    assert str(new.year.year) in response.content.decode()


@pytest.mark.parametrize(
    ("who", "manages", "facts"),
    [("council", True, True), ("secretariat", True, False), ("officer", False, False)],
)
def test_bloc_year_tabs_follow_the_users_role(cast, login, who, manages, facts):
    pk = cast.bloc_year.pk
    html = login(getattr(cast, who)).get(reverse("blocs:bloc_year_detail", args=[pk])).content
    html = html.decode()

    overview = reverse("blocs:registration_overview", args=[pk])
    own = reverse("blocs:my_registration", args=[pk])
    assert f'href="{overview if manages else own}"' in html
    assert (f'href="{reverse("awards:facts_grid", args=[pk])}"' in html) is facts
