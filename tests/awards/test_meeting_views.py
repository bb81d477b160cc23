"""Conference pages: convene, attendance and proxies, counters, leadership,
the projector screen; permissions (404 outsider, 403 wrong role, 405 method)
and query counts that do not grow with the data."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from awards.enums import AttendanceStatus, LeadershipMethod, ThresholdBase
from awards.models import Attendance, CountingCommitteeMember, Meeting, NextLeadership
from awards.services.voting import poll_close, poll_create, poll_publish
from emulation.enums import AgencyRole
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory
from tests.factories.meeting import build_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf():
    return build_conference(members=9)


@pytest.fixture
def outsider():
    province = ProvinceFactory(code="xa", name="Tỉnh Xa")
    return UserFactory(
        username="xa.head", agency=AgencyFactory(province=province), agency_role=AgencyRole.HEAD
    )


@pytest.fixture
def council(conf):
    return UserFactory(
        username="council.k", is_council_staff=True, province=conf.bloc_year.bloc.province
    )


def test_secretariat_convenes_the_conference(login):
    conf = build_conference(members=9)
    Meeting.objects.all().delete()
    client = login(conf.secretariat)
    url = reverse("awards:meeting_start", args=[conf.bloc_year.pk])

    page = client.get(url)
    assert "Triệu tập hội nghị" in page.content.decode()
    response = client.post(
        url,
        {
            "date": "2024-01-18",
            "place": "Hội trường Văn phòng UBND tỉnh",
            "chair": "Trần Minh Đức",
            "secretary": "Ngô Thị Hạnh",
            "quorum_numerator": 2,
            "quorum_denominator": 3,
        },
    )

    meeting = Meeting.objects.get(bloc_year=conf.bloc_year)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:meeting_detail", args=[meeting.pk])
    assert meeting.place == "Hội trường Văn phòng UBND tỉnh"


def test_convene_refuses_a_quorum_above_one_and_keeps_the_input(login):
    conf = build_conference(members=9)
    Meeting.objects.all().delete()
    response = login(conf.secretariat).post(
        reverse("awards:meeting_start", args=[conf.bloc_year.pk]),
        {
            "date": "2024-01-18",
            "place": "Hội trường",
            "chair": "A",
            "secretary": "B",
            "quorum_numerator": 4,
            "quorum_denominator": 3,
        },
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()
    assert "Hội trường" in response.content.decode()


def test_secretariat_records_when_the_conference_opened_and_closed(login, conf):
    client = login(conf.secretariat)
    url = reverse("awards:meeting_edit", args=[conf.meeting.pk])
    data = {
        "date": "2024-01-18",
        "place": "Hội trường",
        "chair": "Trần Minh Đức, Chánh Văn phòng UBND tỉnh",
        "secretary": "Ngô Thị Hạnh",
        "quorum_numerator": 2,
        "quorum_denominator": 3,
    }

    backwards = client.post(url, {**data, "starts_at": "11:00", "ends_at": "08:30"})
    saved = client.post(url, {**data, "starts_at": "08:00", "ends_at": "11:15"})

    assert "Giờ kết thúc Hội nghị phải sau giờ bắt đầu." in backwards.content.decode()
    assert saved.status_code == 302
    meeting = Meeting.objects.get(pk=conf.meeting.pk)
    assert (f"{meeting.starts_at:%H:%M}", f"{meeting.ends_at:%H:%M}") == ("08:00", "11:15")
    detail = client.get(reverse("awards:meeting_detail", args=[meeting.pk])).content.decode()
    assert "08:00–11:15" in detail


def test_member_head_cannot_convene(login, conf):
    Meeting.objects.all().delete()
    url = reverse("awards:meeting_start", args=[conf.bloc_year.pk])
    client = login(conf.heads[4])
    assert client.get(url).status_code == 200  # sees "not convened yet"
    assert client.post(url, {}).status_code == 403


def test_meeting_detail_shows_attendance_and_quorum(login, conf):
    response = login(conf.heads[4]).get(reverse("awards:meeting_detail", args=[conf.meeting.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sở Số 4" in html
    assert "Đủ số thành viên tham dự" in html
    assert "9/9 thành viên có mặt hoặc ủy quyền; cần 6 (2/3)" in html
    assert "phase-bar" in html


def test_outsider_gets_404_everywhere(login, conf, outsider):
    client = login(outsider)
    m = conf.meeting.pk
    for url in [
        reverse("awards:meeting_start", args=[conf.bloc_year.pk]),
        reverse("awards:meeting_detail", args=[m]),
        reverse("awards:meeting_edit", args=[m]),
        reverse("awards:meeting_screen", args=[m]),
        reverse("awards:meeting_screen_live", args=[m]),
        reverse("awards:next_leadership", args=[m]),
        reverse("awards:attendance_edit", args=[m, conf.memberships[3].pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("awards:counter_add", args=[m])).status_code == 404
    assert client.post(reverse("awards:poll_add", args=[m])).status_code == 404


@pytest.mark.parametrize("who", ["head", "council"])
def test_wrong_role_gets_403_on_management(login, conf, council, who):
    client = login(conf.heads[4] if who == "head" else council)
    m = conf.meeting.pk
    assert client.get(reverse("awards:meeting_detail", args=[m])).status_code == 200
    for url in [
        reverse("awards:meeting_edit", args=[m]),
        reverse("awards:meeting_screen", args=[m]),
        reverse("awards:meeting_screen_live", args=[m]),
        reverse("awards:next_leadership", args=[m]),
        reverse("awards:attendance_edit", args=[m, conf.memberships[3].pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("awards:counter_add", args=[m])).status_code == 403
    assert client.post(reverse("awards:poll_add", args=[m])).status_code == 403


def test_wrong_method_gets_405(login, conf):
    client = login(conf.secretariat)
    m = conf.meeting.pk
    assert client.get(reverse("awards:counter_add", args=[m])).status_code == 405
    assert client.get(reverse("awards:poll_add", args=[m])).status_code == 405
    assert client.post(reverse("awards:meeting_detail", args=[m])).status_code == 405
    assert client.post(reverse("awards:meeting_screen", args=[m])).status_code == 405


def test_attendance_by_proxy_with_the_written_authorisation(login, conf):
    client = login(conf.secretariat)
    url = reverse("awards:attendance_edit", args=[conf.meeting.pk, conf.memberships[8].pk])

    missing = client.post(url, {"status": "proxy", "proxy_to": conf.memberships[2].pk})
    assert missing.status_code == 200
    assert Attendance.objects.get(membership=conf.memberships[8]).status == "present"

    response = client.post(
        url,
        {
            "status": "proxy",
            "proxy_to": conf.memberships[2].pk,
            "authorisation": SimpleUploadedFile("giay-uy-quyen.pdf", b"%PDF-1.4\n%test\n"),
        },
    )

    assert response.status_code == 302
    attendance = Attendance.objects.get(membership=conf.memberships[8])
    assert attendance.status == AttendanceStatus.PROXY
    assert attendance.proxy_to == conf.memberships[2]
    assert attendance.authorisation_name == "giay-uy-quyen.pdf"
    assert "giay-uy-quyen" not in attendance.authorisation.name  # random stored name
    download = client.get(
        reverse("awards:attendance_authorisation", args=[conf.meeting.pk, conf.memberships[8].pk])
    )
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Closing fires request_finished, whose close_old_connections would close the
    # test's database connection on PostgreSQL; the test client disconnects it too.
    request_finished.disconnect(close_old_connections)
    try:
        download.close()
    finally:
        request_finished.connect(close_old_connections)
    # A member not concerned cannot download it.
    other = login(conf.heads[5]).get(
        reverse("awards:attendance_authorisation", args=[conf.meeting.pk, conf.memberships[8].pk])
    )
    assert other.status_code == 403


def test_attendance_refuses_a_file_that_is_not_a_pdf(login, conf):
    response = login(conf.secretariat).post(
        reverse("awards:attendance_edit", args=[conf.meeting.pk, conf.memberships[8].pk]),
        {
            "status": "proxy",
            "proxy_to": conf.memberships[2].pk,
            "authorisation": SimpleUploadedFile("uy-quyen.pdf", b"MZ not a pdf"),
        },
    )
    assert response.status_code == 200
    assert Attendance.objects.get(membership=conf.memberships[8]).status == "present"


def test_counter_added_and_removed(login, conf):
    client = login(conf.secretariat)
    client.post(reverse("awards:counter_add", args=[conf.meeting.pk]), {"user": conf.heads[3].pk})
    counter = CountingCommitteeMember.objects.get(meeting=conf.meeting)
    assert counter.user == conf.heads[3]
    client.post(reverse("awards:counter_remove", args=[conf.meeting.pk, counter.pk]))
    assert not CountingCommitteeMember.objects.exists()


def test_next_leadership_by_rotation(login, conf):
    response = login(conf.secretariat).post(
        reverse("awards:next_leadership", args=[conf.meeting.pk]),
        {
            "leader": conf.memberships[1].agency.pk,
            "deputy": conf.memberships[2].agency.pk,
            "method": LeadershipMethod.ROTATION,
            "note": "",
        },
    )
    assert response.status_code == 302
    record = NextLeadership.objects.get(meeting=conf.meeting)
    assert (record.leader, record.deputy) == (
        conf.memberships[1].agency,
        conf.memberships[2].agency,
    )


def test_next_leadership_by_poll_needs_the_published_polls(login, conf):
    response = login(conf.secretariat).post(
        reverse("awards:next_leadership", args=[conf.meeting.pk]),
        {
            "leader": conf.memberships[1].agency.pk,
            "deputy": conf.memberships[2].agency.pk,
            "method": LeadershipMethod.POLL,
        },
    )
    assert response.status_code == 200
    assert not NextLeadership.objects.exists()


def test_projector_screen_refreshes_itself_with_htmx(login, conf):
    response = login(conf.secretariat).get(reverse("awards:meeting_screen", args=[conf.meeting.pk]))
    html = response.content.decode()
    assert 'hx-trigger="every 3s"' in html
    assert reverse("awards:meeting_screen_live", args=[conf.meeting.pk]) in html
    assert "<script>" not in html and "style=" not in html


def test_the_hall_display_has_no_menu_no_account_and_no_button(login, conf):
    """Shown to the whole hall: the secretariat's controls stay on its own pages."""
    poll = conf.open_poll(conf.memberships[:2])
    response = login(conf.secretariat).get(reverse("awards:meeting_screen", args=[conf.meeting.pk]))
    live = login(conf.secretariat).get(
        reverse("awards:meeting_screen_live", args=[conf.meeting.pk])
    )

    for html in (response.content.decode(), live.content.decode()):
        assert "<nav" not in html and "<form" not in html and "<button" not in html
        assert conf.secretariat.get_full_name() not in html
    assert 'class="hall"' in response.content.decode()
    assert poll.title in live.content.decode()


def _polls(conf, n):
    codes = ["co_tinh", "bk_ubnd", "tt_ldxs", "tt_ldtt", "giay_khen"][:n]
    for code in codes:
        poll_create(
            actor=conf.secretariat,
            meeting=conf.meeting,
            award_type=conf.award(code),
            quota=1,
            threshold_percent=50,
            threshold_base=ThresholdBase.VALID_BALLOTS,
            candidates=conf.memberships,
        )


@pytest.mark.parametrize("n", [1, 5])
def test_meeting_detail_query_count_does_not_grow(login, conf, n, django_assert_num_queries):
    _polls(conf, n)
    client = login(conf.secretariat)
    url = reverse("awards:meeting_detail", args=[conf.meeting.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES["detail"]):
        client.get(url)


@pytest.mark.parametrize("n", [1, 5])
def test_projector_query_count_does_not_grow(login, conf, n, django_assert_num_queries):
    _polls(conf, n)
    client = login(conf.secretariat)
    url = reverse("awards:meeting_screen_live", args=[conf.meeting.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES["screen"]):
        client.get(url)


@pytest.mark.parametrize("n", [1, 5])
def test_meeting_screen_query_count_does_not_grow(login, conf, n, django_assert_num_queries):
    """The hall display's whole page, with n published polls and their results."""
    for code in ["co_tinh", "bk_ubnd", "tt_ldxs", "tt_ldtt", "giay_khen"][:n]:
        poll = conf.open_poll(code=code, quota=1, threshold_percent=50)
        for voter in range(len(conf.memberships)):
            conf.cast(poll, voter, [0])
        poll_close(actor=conf.secretariat, poll=poll)
        poll_publish(actor=conf.secretariat, poll=poll)
    client = login(conf.secretariat)
    url = reverse("awards:meeting_screen", args=[conf.meeting.pk])
    client.get(url)

    with django_assert_num_queries(QUERIES["screen_page"]):
        response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="projector-results"') == n
    assert html.count('<tr class="table-success">') == n  # the elected, one per poll


QUERIES = {"detail": 14, "screen": 10, "screen_page": 11}  # detail: incl. the stage tabs
