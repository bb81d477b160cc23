"""Paper ballots printed by the secretariat: one per voter entitled, all
identical, with the poll, the candidates, the quota, how to mark and the
meeting's date, and no mark that could tie a ballot to a voter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.documents.ballots import ballot_sheet, render_ballots, voters_entitled
from awards.enums import PollPurpose
from awards.services.voting import poll_create
from emulation.enums import AgencyRole
from tests.documents.conftest import pdf_text, squash
from tests.factories import AgencyFactory, ProvinceFactory, UserFactory
from tests.factories.meeting import build_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf():
    return build_conference(members=9, present=7)  # two members absent


@pytest.fixture
def poll(conf):
    return conf.draft_poll(conf.memberships[:4], quota=2)


def url(poll, **query):
    address = reverse("awards:poll_ballots", args=[poll.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def pages_of(data: bytes, tmp_path) -> list[str]:
    return [page for page in pdf_text(data, tmp_path).split("\f") if page.strip()]


def ballots_of(data: bytes, tmp_path) -> list[str]:
    """Each ballot's text (two to a page, each starting at its title block)."""
    text = pdf_text(data, tmp_path)
    parts = text.replace("\f", "\n").split("UBND TỈNH HỘI NGHỊ")
    return [squash(part) for part in parts[1:]]


def test_a_ballot_says_what_is_voted_on_and_how_to_mark(conf, poll, tmp_path):
    ballots = ballots_of(render_ballots(ballot_sheet(poll), 1), tmp_path)
    text = ballots[0]

    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "KHỐI THI ĐUA K" in text
    assert "PHIẾU BẦU" in text
    assert f"“{poll.title}” năm 2023" in text
    assert "ngày 18 tháng 01 năm 2024" in text
    for membership in conf.memberships[:4]:
        assert membership.agency.name in text
    assert conf.memberships[5].agency.name not in text  # not a candidate
    assert "đánh dấu X" in text
    assert "không quá 2 đơn vị" in text
    assert "phiếu chọn quá 2 đơn vị" in text


def test_ballots_are_identical_and_name_no_voter(conf, poll, tmp_path):
    ballots = ballots_of(render_ballots(ballot_sheet(poll), 7), tmp_path)

    assert len(ballots) == 7
    assert len(set(ballots)) == 1
    for head in conf.heads:
        assert head.get_full_name() not in ballots[0]
    for i in range(9):
        assert f"Đại diện {i}" not in ballots[0]


def test_two_short_ballots_share_an_a4_page(poll, tmp_path):
    assert len(pages_of(render_ballots(ballot_sheet(poll), 5), tmp_path)) == 3


def test_a_long_ballot_takes_a_page(conf, tmp_path):
    long_poll = conf.draft_poll(conf.memberships, quota=3)

    assert len(pages_of(render_ballots(ballot_sheet(long_poll), 3), tmp_path)) == 3


def test_a_leadership_ballot_names_the_office_for_next_year(conf, tmp_path):
    poll = poll_create(
        actor=conf.secretariat, meeting=conf.meeting, purpose=PollPurpose.LEADER, award_type=None
    )

    assert ballot_sheet(poll).subject == "Bầu đơn vị Trưởng khối năm 2024"


def test_the_number_of_ballots_is_the_number_of_voters_present_or_represented(poll):
    assert voters_entitled(poll) == 7


# --- the download --------------------------------------------------------------


def test_the_secretariat_downloads_one_ballot_per_voter(conf, poll, login, tmp_path):
    response = login(conf.secretariat).get(url(poll))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="phieu-bau-')
    assert "no-store" in response["Cache-Control"]
    assert len(ballots_of(response.content, tmp_path)) == 7


def test_the_secretariat_may_ask_for_another_number(conf, poll, login, tmp_path):
    response = login(conf.secretariat).get(url(poll, count=3))

    assert len(ballots_of(response.content, tmp_path)) == 3


def test_a_number_out_of_bounds_is_refused_with_a_message(conf, poll, login):
    response = login(conf.secretariat).get(url(poll, count=0), follow=True)

    assert response.redirect_chain[-1][0] == reverse("awards:poll_detail", args=[poll.pk])
    assert "alert-danger" in response.content.decode()


def test_the_poll_page_offers_the_ballots_to_the_secretariat_only(conf, poll, login):
    address = reverse("awards:poll_detail", args=[poll.pk])

    assert url(poll) in login(conf.secretariat).get(address).content.decode()
    assert url(poll) not in login(conf.heads[3]).get(address).content.decode()


def test_a_voter_may_not_print_ballots(conf, poll, login):
    assert login(conf.heads[3]).get(url(poll)).status_code == 403


def test_council_staff_may_not_print_ballots(conf, poll, login):
    staff = UserFactory(
        username="council.b", is_council_staff=True, province=conf.bloc_year.bloc.province
    )

    assert login(staff).get(url(poll)).status_code == 403


def test_an_outsider_gets_404(poll, login):
    province = ProvinceFactory(code="xa", name="Tỉnh Xa")
    outsider = UserFactory(
        username="xa.head", agency=AgencyFactory(province=province), agency_role=AgencyRole.HEAD
    )

    assert login(outsider).get(url(poll)).status_code == 404


def test_ballots_are_only_fetched(conf, poll, login):
    assert login(conf.secretariat).post(url(poll)).status_code == 405
