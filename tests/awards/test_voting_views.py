"""Poll pages: the permission matrix (outsider 404, wrong role 403, wrong
method 405, non-voters, absent agencies, closed polls, staff during an open
poll), the ballot and its once-shown receipt, paper counts and receipts."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.enums import AttendanceStatus, PollMode, PollState
from awards.models import Ballot, PaperCount, Poll, Result, VoterRecord
from awards.services.meeting import attendance_record, counter_add
from awards.services.voting import ballot_cast, poll_close, poll_create, poll_open, poll_publish
from emulation.enums import AgencyRole
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory
from tests.factories.meeting import build_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf():
    return build_conference(members=9, present=8)  # member 8 is absent


@pytest.fixture
def poll(conf):
    return conf.draft_poll(conf.memberships[:4], quota=2, threshold_percent=50)


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


def cand(poll, conf, i):
    return poll.candidates.get(membership=conf.memberships[i]).pk


def reach_quorum(conf, poll):
    """Blank ballots from the present members who have not voted, up to the
    meeting's quorum (6 of 9): a poll closes only with that many."""
    voted = set(VoterRecord.objects.filter(poll=poll).values_list("agency_id", flat=True))
    for i in range(8):
        if len(voted) >= 6:
            return
        agency = conf.memberships[i].agency
        if agency.pk not in voted:
            ballot_cast(actor=conf.heads[i], poll=poll, agency_id=agency.pk, candidate_ids=[])
            voted.add(agency.pk)


def url(name, poll, *args):
    return reverse(f"awards:{name}", args=[poll.pk, *args])


def test_secretariat_opens_closes_and_publishes_through_the_pages(login, conf, poll):
    client = login(conf.secretariat)
    assert client.post(url("poll_open", poll)).status_code == 302
    assert Poll.objects.get(pk=poll.pk).state == PollState.OPEN
    for i in range(8):
        ballot_cast(
            actor=conf.heads[i],
            poll=poll,
            agency_id=conf.memberships[i].agency_id,
            candidate_ids=[cand(poll, conf, 0)],
        )
    client.post(url("poll_close", poll))
    client.post(url("poll_publish", poll))

    poll.refresh_from_db()
    assert poll.state == PollState.PUBLISHED
    html = client.get(url("poll_detail", poll)).content.decode()
    assert "8/8" in html and "Sở Số 0" in html


def test_open_without_quorum_shows_the_vietnamese_reason(login):
    conf = build_conference(members=9, present=5, prefix="n")
    poll = poll_create(
        actor=conf.secretariat,
        meeting=conf.meeting,
        award_type=conf.award(),
        quota=1,
        candidates=conf.memberships[:2],
    )
    client = login(conf.secretariat)
    response = client.post(url("poll_open", poll), follow=True)
    assert Poll.objects.get(pk=poll.pk).state == PollState.DRAFT
    assert "5" in response.content.decode() and "6" in response.content.decode()
    assert "Chưa đủ số thành viên tham dự: 5/9" in response.content.decode()


def test_nobody_sees_a_tally_while_the_poll_is_open(login, conf, poll, council):
    poll_open(actor=conf.secretariat, poll=poll)
    for i in range(3):
        ballot_cast(
            actor=conf.heads[i],
            poll=poll,
            agency_id=conf.memberships[i].agency_id,
            candidate_ids=[cand(poll, conf, 3)],
        )
    for user in (conf.secretariat, council, conf.heads[5], conf.heads[0]):
        client = login(user)
        for page in (
            url("poll_detail", poll),
            reverse("awards:meeting_detail", args=[conf.meeting.pk]),
        ):
            html = client.get(page).content.decode()
            assert "3/8" in html
            assert "results-table" not in html
            assert not re.search(r"\b3/\d+\b(?!.*8)", html.replace("3/8", ""))
    screen = login(conf.secretariat).get(
        reverse("awards:meeting_screen_live", args=[conf.meeting.pk])
    )
    assert (
        "3/8" in screen.content.decode()
        and "Sở Số 3" not in screen.content.decode().split("projector-polls")[1]
    )
    progress = login(council).get(url("poll_progress", poll))
    assert progress.content.decode().strip().startswith('<span class="poll-progress">3/8')


def test_nobody_sees_the_results_before_publication_only_the_ballots_cast(login, conf, poll):
    poll_open(actor=conf.secretariat, poll=poll)
    ballot_cast(
        actor=conf.heads[2],
        poll=poll,
        agency_id=conf.memberships[2].agency_id,
        candidate_ids=[cand(poll, conf, 1)],
    )
    reach_quorum(conf, poll)
    poll_close(actor=conf.secretariat, poll=poll)
    for user in (conf.secretariat, conf.heads[5]):
        page = login(user).get(url("poll_detail", poll)).content.decode()
        assert "results-table" not in page and "6 phiếu" in page
    poll_publish(actor=conf.secretariat, poll=poll)
    for user in (conf.secretariat, conf.heads[5]):
        page = login(user).get(url("poll_detail", poll)).content.decode()
        assert "results-table" in page


def test_head_casts_and_sees_the_receipt_once(login, conf, poll):
    poll_open(actor=conf.secretariat, poll=poll)
    client = login(conf.heads[4])

    form = client.get(url("poll_vote", poll))
    assert form.status_code == 200 and 'data-quota="2"' in form.content.decode()
    response = client.post(
        url("poll_vote", poll),
        {
            "agency": conf.memberships[4].agency.pk,
            "candidates": [cand(poll, conf, 0), cand(poll, conf, 1)],
        },
    )

    ballot = Ballot.objects.get(poll=poll)
    html = response.content.decode()
    assert response.status_code == 200 and ballot.receipt in html
    assert "Mã biên nhận của đồng chí" in html and "chỉ hiển thị một lần" in html
    assert "no-store" in response["Cache-Control"]
    assert VoterRecord.objects.filter(poll=poll, agency=conf.memberships[4].agency).exists()
    again = client.get(url("poll_vote", poll)).content.decode()
    assert ballot.receipt not in again
    assert ballot.receipt not in client.get(url("poll_detail", poll)).content.decode()
    # A second submission (another tab) is refused and changes nothing.
    second = client.post(
        url("poll_vote", poll),
        {"agency": conf.memberships[4].agency.pk, "candidates": [cand(poll, conf, 2)]},
    )
    assert second.status_code == 200 and Ballot.objects.filter(poll=poll).count() == 1


def test_the_receipt_leads_home_and_back_to_the_conference(login, conf, poll):
    poll_open(actor=conf.secretariat, poll=poll)
    response = login(conf.heads[4]).post(
        url("poll_vote", poll), {"agency": conf.memberships[4].agency.pk, "candidates": []}
    )

    html = response.content.decode()
    assert f'href="{reverse("home")}"' in html
    assert f'href="{reverse("awards:meeting_detail", args=[conf.meeting.pk])}"' in html
    assert "<h1" in html and 'id="main"' in html


def test_a_proxy_holder_casts_each_ballot_then_has_none_left(login, conf, poll):
    attendance_record(
        actor=conf.secretariat,
        meeting=conf.meeting,
        membership=conf.memberships[8],
        status=AttendanceStatus.PROXY,
        proxy_to=conf.memberships[4],
        authorisation=SimpleUploadedFile("uy-quyen.pdf", b"%PDF-1.4 test"),
        authorisation_name="uy-quyen.pdf",
    )
    poll_open(actor=conf.secretariat, poll=poll)
    client = login(conf.heads[4])
    own, absent = conf.memberships[4].agency, conf.memberships[8].agency

    page = client.get(url("poll_vote", poll)).content.decode()
    assert page.count('class="ballot-form') == 2 and "được ủy quyền" in page
    assert page.index(own.name) < page.index(absent.name)  # their own ballot first
    first = client.post(url("poll_vote", poll), {"agency": own.pk, "candidates": []})
    assert "Phiếu tiếp theo (được ủy quyền)" in first.content.decode()
    page = client.get(url("poll_vote", poll)).content.decode()
    assert page.count('class="ballot-form') == 1 and f'value="{absent.pk}"' in page
    last = client.post(url("poll_vote", poll), {"agency": absent.pk, "candidates": []})

    assert "Phiếu tiếp theo" not in last.content.decode()
    assert "ballot-form" not in client.get(url("poll_vote", poll)).content.decode()
    assert set(VoterRecord.objects.filter(poll=poll).values_list("agency", flat=True)) == {
        own.pk,
        absent.pk,
    }


@pytest.mark.parametrize("chosen", [["x"], ["999999"]], ids=["not_a_number", "not_a_candidate"])
def test_a_ballot_naming_no_candidate_of_the_poll_is_refused(login, conf, poll, chosen):
    poll_open(actor=conf.secretariat, poll=poll)
    response = login(conf.heads[4]).post(
        url("poll_vote", poll), {"agency": conf.memberships[4].agency.pk, "candidates": chosen}
    )

    assert response.status_code == 200
    assert "không nằm trong danh sách bầu chọn" in response.content.decode()
    assert not Ballot.objects.exists() and not VoterRecord.objects.exists()


def test_ballot_over_the_quota_is_refused(login, conf, poll):
    poll_open(actor=conf.secretariat, poll=poll)
    response = login(conf.heads[4]).post(
        url("poll_vote", poll),
        {
            "agency": conf.memberships[4].agency.pk,
            "candidates": [cand(poll, conf, 0), cand(poll, conf, 1), cand(poll, conf, 2)],
        },
    )
    assert response.status_code == 200
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("who", ["officer", "absent_head", "council"])
def test_non_voters_cannot_open_the_ballot(login, conf, poll, council, who):
    poll_open(actor=conf.secretariat, poll=poll)
    user = {"officer": conf.secretariat, "absent_head": conf.heads[8], "council": council}[who]
    client = login(user)
    assert client.get(url("poll_vote", poll)).status_code == 403
    assert (
        client.post(url("poll_vote", poll), {"agency": conf.memberships[8].agency.pk}).status_code
        == 403
    )
    assert not Ballot.objects.exists()


def test_a_head_cannot_cast_for_another_agency(login, conf, poll):
    poll_open(actor=conf.secretariat, poll=poll)
    response = login(conf.heads[4]).post(
        url("poll_vote", poll), {"agency": conf.memberships[5].agency.pk, "candidates": []}
    )
    assert response.status_code == 403 and not Ballot.objects.exists()


def test_a_non_voter_is_refused_before_any_message(login, conf, poll):
    """Whatever the ballot sent and whatever the poll's state, a head who
    holds no vote gets 403, and no refusal waits on their next page."""
    poll_open(actor=conf.secretariat, poll=poll)
    reach_quorum(conf, poll)
    poll_close(actor=conf.secretariat, poll=poll)
    client = login(conf.heads[8])  # absent
    own = conf.memberships[8].agency.pk
    for sent in ({"agency": own, "candidates": []}, {"agency": "x"}):
        assert client.post(url("poll_vote", poll), sent).status_code == 403
    assert "alert-danger" not in client.get(reverse("home")).content.decode()
    assert not VoterRecord.objects.filter(agency_id=own).exists()


def test_closed_poll_takes_no_ballot(login, conf, poll):
    poll_open(actor=conf.secretariat, poll=poll)
    reach_quorum(conf, poll)
    poll_close(actor=conf.secretariat, poll=poll)
    client = login(conf.heads[7])
    page = client.get(url("poll_vote", poll))
    assert page.status_code == 200 and "ballot-form" not in page.content.decode()
    client.post(url("poll_vote", poll), {"agency": conf.memberships[7].agency.pk, "candidates": []})
    assert Ballot.objects.count() == 6


def test_outsider_gets_404(login, conf, poll, outsider):
    client = login(outsider)
    for name in ["poll_detail", "poll_progress", "poll_vote", "poll_receipts", "paper_count"]:
        assert client.get(url(name, poll)).status_code == 404, name
    for name in [
        "poll_open",
        "poll_close",
        "poll_publish",
        "poll_runoff",
        "poll_settings",
        "candidate_add",
    ]:
        assert client.post(url(name, poll)).status_code == 404, name


@pytest.mark.parametrize("who", ["head", "council"])
def test_wrong_role_gets_403_on_poll_management(login, conf, poll, council, who):
    client = login(conf.heads[4] if who == "head" else council)
    for name in [
        "poll_open",
        "poll_close",
        "poll_publish",
        "poll_runoff",
        "poll_settings",
        "candidate_add",
    ]:
        assert client.post(url(name, poll)).status_code == 403, name
    c = poll.candidates.first()
    assert client.post(url("candidate_remove", poll, c.pk), {"reason": "x"}).status_code == 403
    assert Poll.objects.get(pk=poll.pk).state == PollState.DRAFT


def test_wrong_method_gets_405(login, conf, poll):
    client = login(conf.secretariat)
    for name in [
        "poll_open",
        "poll_close",
        "poll_publish",
        "poll_runoff",
        "poll_settings",
        "candidate_add",
    ]:
        assert client.get(url(name, poll)).status_code == 405, name
    assert client.post(url("poll_detail", poll)).status_code == 405
    assert client.put(url("poll_receipts", poll)).status_code == 405
    assert client.put(url("poll_vote", poll)).status_code == 405


def test_candidate_removed_and_added_with_reasons(login, conf, poll):
    client = login(conf.secretariat)
    c = poll.candidates.get(membership=conf.memberships[3])
    client.post(url("candidate_remove", poll, c.pk), {"reason": ""})
    c.refresh_from_db()
    assert not c.withdrawn
    client.post(url("candidate_remove", poll, c.pk), {"reason": "Đang bị thanh tra"})
    c.refresh_from_db()
    assert c.withdrawn and c.reason == "Đang bị thanh tra"
    client.post(
        url("candidate_add", poll),
        {"membership": conf.memberships[6].pk, "reason": "Đề xuất của khối"},
    )
    assert poll.candidates.filter(membership=conf.memberships[6], added_manually=True).exists()
    html = client.get(url("poll_detail", poll)).content.decode()
    assert "Đang bị thanh tra" in html and "Đề xuất của khối" in html


def test_settings_change_in_draft(login, conf, poll):
    login(conf.secretariat).post(
        url("poll_settings", poll),
        {"mode": PollMode.PAPER, "quota": 3, "threshold_percent": 80, "threshold_base": "all"},
    )
    poll.refresh_from_db()
    assert (poll.mode, poll.quota, poll.threshold_percent, poll.threshold_base) == (
        "paper",
        3,
        80,
        "all",
    )


def test_receipts_page_lists_sorted_codes_after_publication(login, conf, poll):
    poll_open(actor=conf.secretariat, poll=poll)
    receipts = [
        ballot_cast(
            actor=conf.heads[i],
            poll=poll,
            agency_id=conf.memberships[i].agency_id,
            candidate_ids=[cand(poll, conf, 0)],
        ).receipt
        for i in range(5)
    ]
    client = login(conf.heads[6])
    assert client.get(url("poll_receipts", poll)).status_code == 403  # still open
    reach_quorum(conf, poll)
    poll_close(actor=conf.secretariat, poll=poll)
    assert client.get(url("poll_receipts", poll)).status_code == 403  # not published
    poll_publish(actor=conf.secretariat, poll=poll)

    response = client.post(url("poll_receipts", poll), {"q": receipts[2].lower()})

    html = response.content.decode()
    listing = html.split('class="receipt-list"')[1]
    positions = [listing.index(r) for r in sorted(receipts)]
    assert positions == sorted(positions)
    assert "alert-success" in html
    missing = client.post(url("poll_receipts", poll), {"q": "AAAAA-AAAAA"}).content.decode()
    assert "alert-danger" in missing


def test_the_receipt_check_is_a_post_so_codes_stay_out_of_addresses(login, conf, poll):
    """A code typed into the check is sent in the body of a POST: it never
    appears in an address (access logs, history), and a code in the query
    string is not checked."""
    poll_open(actor=conf.secretariat, poll=poll)
    receipt = ballot_cast(
        actor=conf.heads[0],
        poll=poll,
        agency_id=conf.memberships[0].agency_id,
        candidate_ids=[cand(poll, conf, 0)],
    ).receipt
    reach_quorum(conf, poll)
    poll_close(actor=conf.secretariat, poll=poll)
    poll_publish(actor=conf.secretariat, poll=poll)
    client = login(conf.heads[6])

    page = client.get(url("poll_receipts", poll), {"q": receipt}).content.decode()

    assert 'method="post"' in page and 'method="get"' not in page
    assert "alert-success" not in page and "alert-danger" not in page
    checked = client.post(url("poll_receipts", poll), {"q": receipt}).content.decode()
    assert "alert-success" in checked


def test_paper_count_page_for_counters_only(login, conf):
    poll = poll_create(
        actor=conf.secretariat,
        meeting=conf.meeting,
        award_type=conf.award(),
        mode=PollMode.PAPER,
        quota=1,
        threshold_percent=50,
        candidates=conf.memberships[:2],
    )
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=conf.heads[3])
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=conf.heads[4])
    poll_open(actor=conf.secretariat, poll=poll)
    poll_close(actor=conf.secretariat, poll=poll)
    c0, c1 = cand(poll, conf, 0), cand(poll, conf, 1)
    data = {
        "ballots_total": 8,
        "ballots_blank": 1,
        "ballots_invalid": 0,
        f"votes_{c0}": 5,
        f"votes_{c1}": 2,
    }

    assert login(conf.heads[5]).get(url("paper_count", poll)).status_code == 403
    login(conf.heads[3]).post(url("paper_count", poll), data)
    mismatch = dict(data, **{f"votes_{c0}": 4})
    login(conf.heads[4]).post(url("paper_count", poll), mismatch)
    assert PaperCount.objects.filter(poll=poll).count() == 2 and not Result.objects.exists()
    page = login(conf.secretariat).get(url("poll_detail", poll)).content.decode()
    assert "text-danger" in page  # the mismatch is shown

    login(conf.heads[4]).post(url("paper_count", poll), data)

    assert Result.objects.get(poll=poll, candidate_id=c0).elected


def test_override_needs_a_reason(login, conf, poll):
    poll_open(actor=conf.secretariat, poll=poll)
    reach_quorum(conf, poll)
    poll_close(actor=conf.secretariat, poll=poll)
    result = Result.objects.filter(poll=poll).first()
    client = login(conf.secretariat)
    client.post(url("result_override", poll, result.pk), {"elected": "1", "reason": ""})
    result.refresh_from_db()
    assert not result.overridden
    client.post(url("result_override", poll, result.pk), {"elected": "1", "reason": "Suy tôn"})
    result.refresh_from_db()
    assert result.overridden and result.elected and result.override_reason == "Suy tôn"


@pytest.mark.parametrize("n", [1, 5])
def test_poll_detail_query_count_does_not_grow(login, django_assert_num_queries, n):
    conf = build_conference(members=9, prefix=f"p{n}")
    poll = poll_create(
        actor=conf.secretariat,
        meeting=conf.meeting,
        award_type=conf.award(),
        quota=2,
        threshold_percent=None,
        candidates=conf.memberships[:n],
    )
    poll_open(actor=conf.secretariat, poll=poll)
    for i in range(n):
        ballot_cast(
            actor=conf.heads[i],
            poll=poll,
            agency_id=conf.memberships[i].agency_id,
            candidate_ids=[cand(poll, conf, i)],
        )
    reach_quorum(conf, poll)
    poll_close(actor=conf.secretariat, poll=poll)
    client = login(conf.secretariat)
    client.get(url("poll_detail", poll))
    with django_assert_num_queries(QUERIES["detail"]):
        client.get(url("poll_detail", poll))
    poll_publish(actor=conf.secretariat, poll=poll)
    client.get(url("poll_receipts", poll))
    with django_assert_num_queries(QUERIES["receipts"]):
        client.get(url("poll_receipts", poll))


@pytest.mark.parametrize("n", [1, 5])
def test_poll_receipts_query_count_does_not_grow(login, django_assert_num_queries, n):
    """Every member of a conference of n + 8 votes: n + 8 receipts listed."""
    conf = build_conference(members=n + 8, prefix=f"r{n}")
    poll = conf.open_poll(conf.memberships[:2], quota=1, threshold_percent=50)
    for voter in range(len(conf.memberships)):
        conf.cast(poll, voter, [voter % 2])
    poll_close(actor=conf.secretariat, poll=poll)
    poll_publish(actor=conf.secretariat, poll=poll)
    client = login(conf.heads[2])
    client.get(url("poll_receipts", poll))

    with django_assert_num_queries(QUERIES["receipts"]):
        response = client.get(url("poll_receipts", poll))

    assert response.status_code == 200
    listed = response.content.decode().split('<ul class="receipt-list">')[1].split("</ul>")[0]
    assert listed.count("<li>") == n + 8


@pytest.mark.parametrize("n", [1, 5])
def test_paper_count_query_count_does_not_grow(login, conf, django_assert_num_queries, n):
    """The counter's form has a line per candidate, filled from their count."""
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=conf.heads[6])
    poll = conf.open_poll(conf.memberships[:n], mode=PollMode.PAPER, threshold_percent=50)
    poll_close(actor=conf.secretariat, poll=poll)
    client = login(conf.heads[6])
    client.post(
        url("paper_count", poll),
        {
            "ballots_total": 8,
            "ballots_blank": 8 - n,
            "ballots_invalid": 0,
            **{f"votes_{cand(poll, conf, i)}": 1 for i in range(n)},
        },
    )
    assert PaperCount.objects.filter(poll=poll, counter=conf.heads[6]).exists()

    with django_assert_num_queries(QUERIES["paper_count"]):
        response = client.get(url("paper_count", poll))

    assert response.status_code == 200
    assert response.content.decode().count('name="votes_') == n


QUERIES = {"detail": 9, "receipts": 5, "paper_count": 8}
