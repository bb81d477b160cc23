"""Proposal and decision views: the permission matrix (happy path, outsider
404, wrong role 403, wrong method 405) and what the pages say."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.enums import ItemDecision, ProposalState
from awards.models import AwardRecord, Decision, Proposal
from awards.services import (
    decision_record,
    proposal_items_decide,
    proposal_receive,
    proposal_return,
    proposal_submit,
)
from blocs.enums import DeadlineStep, Phase
from blocs.services import deadline_extend
from emulation.enums import AgencyRole
from emulation.models import AuditEvent
from tests.factories import AgencyFactory, BlocYearFactory, ProvinceFactory, UserFactory, add_member
from tests.factories.proposal import build_proposal, build_voted

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Actors:
    conf: object
    proposal: object
    secretariat: object
    member: object
    outsider: object
    council: object
    other_council: object


def make_actors(conf, proposal) -> Actors:
    province = conf.bloc_year.bloc.province
    other = BlocYearFactory(bloc__province=province, year=conf.bloc_year.year)
    outsider_agency = AgencyFactory(province=province, code="ngoai")
    add_member(other, outsider_agency)
    return Actors(
        conf=conf,
        proposal=proposal,
        secretariat=conf.secretariat,
        member=conf.heads[3],
        outsider=UserFactory(
            username="ngoai.officer", agency=outsider_agency, agency_role=AgencyRole.OFFICER
        ),
        council=UserFactory(username="hd", is_council_staff=True, province=province),
        other_council=UserFactory(
            username="hd2", is_council_staff=True, province=ProvinceFactory(code="khac")
        ),
    )


@pytest.fixture
def actors():
    conf, proposal = build_proposal(members=4)
    return make_actors(conf, proposal)


@pytest.fixture
def submitted(actors):
    proposal_submit(actor=actors.secretariat, proposal=actors.proposal)
    return actors


@pytest.fixture
def received(submitted):
    proposal_receive(actor=submitted.council, proposal=submitted.proposal)
    return submitted


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


# --- start -------------------------------------------------------------------------


def test_start_page_lists_the_elected_and_creates_the_proposal(client):
    conf = build_voted(members=4)
    client.force_login(conf.secretariat)

    page = client.get(url("proposal_start", conf.bloc_year.pk))
    assert page.status_code == 200
    assert "Lập hồ sơ đề nghị" in page.content.decode()
    assert "Tập thể lao động xuất sắc" in page.content.decode()

    response = client.post(url("proposal_start", conf.bloc_year.pk), {"number": "05/TTr-KTĐ"})

    proposal = Proposal.objects.get(bloc_year=conf.bloc_year)
    assert response.status_code == 302
    assert response["Location"] == url("proposal_detail", proposal.pk)
    assert proposal.number == "05/TTr-KTĐ" and proposal.items.count() == 5


@pytest.mark.parametrize("n", [1, 5])
def test_proposal_start_query_count_does_not_grow(client, n, django_assert_num_queries):
    conf = build_voted(members=6, elected={"tt_ldxs": list(range(n))})
    client.force_login(conf.secretariat)
    start = url("proposal_start", conf.bloc_year.pk)
    client.get(start)

    with django_assert_num_queries(PROPOSAL_START_QUERIES):
        response = client.get(start)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<td>Tập thể lao động xuất sắc</td>") == n
    assert "proposal-start-form" in page


PROPOSAL_START_QUERIES = 7


def test_start_is_for_the_secretariat_only(client):
    conf = build_voted(members=4)
    a = make_actors(conf, None)
    for user, status in ((a.member, 403), (a.council, 403), (a.outsider, 404)):
        client.force_login(user)
        assert client.post(url("proposal_start", conf.bloc_year.pk)).status_code == status
    client.force_login(a.secretariat)
    assert client.put(url("proposal_start", conf.bloc_year.pk)).status_code == 405
    assert not Proposal.objects.exists()


# --- detail ------------------------------------------------------------------------


def test_detail_shows_items_documents_phase_and_next_step(client, actors):
    client.force_login(actors.secretariat)

    page = client.get(url("proposal_detail", actors.proposal.pk)).content.decode()

    assert "phase-bar" in page
    assert "Tiếp theo:" in page
    assert "Gửi Hội đồng" in page  # the submit button
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in page
    assert "Tờ trình đề nghị khen thưởng" in page
    assert "100,00%" in page or "100.00%" in page


def test_detail_shows_the_extended_proposal_deadline_without_a_query_of_its_own(
    client, actors, django_assert_num_queries
):
    conf = actors.conf
    client.force_login(actors.council)
    page_url = url("proposal_detail", actors.proposal.pk)
    with CaptureQueriesContext(connection) as before:
        client.get(page_url)
    extended_to = conf.bloc_year.year.proposal_deadline + datetime.timedelta(days=9)
    deadline_extend(
        actor=actors.council,
        bloc_year=conf.bloc_year,
        step=DeadlineStep.PROPOSAL,
        deadline=extended_to,
        reason="Khối tổ chức hội nghị muộn",
    )

    with django_assert_num_queries(len(before)):
        page = client.get(page_url).content.decode()

    assert f"gia hạn đến {extended_to:%d/%m/%Y}" in page
    assert "Khối tổ chức hội nghị muộn" in page


def test_detail_counts_the_submissions_of_a_returned_proposal(client, submitted):
    proposal = submitted.proposal
    client.force_login(submitted.council)
    once = client.get(url("proposal_detail", proposal.pk)).content.decode()
    proposal_return(actor=submitted.council, proposal=proposal, reason="Thiếu biên bản")
    proposal_submit(actor=submitted.secretariat, proposal=proposal)

    again = client.get(url("proposal_detail", proposal.pk)).content.decode()

    assert "lần)" not in once
    assert "(2 lần)" in again


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 200), ("council", 200), ("outsider", 404), ("other_council", 404)],
)
def test_detail_visibility(client, actors, who, status):
    client.force_login(getattr(actors, who))
    assert client.get(url("proposal_detail", actors.proposal.pk)).status_code == status


def test_detail_refuses_post(client, actors):
    client.force_login(actors.secretariat)
    assert client.post(url("proposal_detail", actors.proposal.pk)).status_code == 405


# --- the secretariat's actions ---------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("council", 403), ("outsider", 404)])
def test_submit_permissions(client, actors, who, status):
    client.force_login(getattr(actors, who))
    assert client.post(url("proposal_submit", actors.proposal.pk)).status_code == status
    actors.proposal.refresh_from_db()
    assert actors.proposal.state == ProposalState.DRAFT


def test_submit_by_the_secretariat(client, actors):
    client.force_login(actors.secretariat)
    assert client.get(url("proposal_submit", actors.proposal.pk)).status_code == 405

    response = client.post(url("proposal_submit", actors.proposal.pk), follow=True)

    actors.proposal.refresh_from_db()
    assert actors.proposal.state == ProposalState.SUBMITTED
    assert actors.proposal.bloc_year.phase == Phase.PROPOSAL_SUBMITTED
    assert "Hồ sơ đề nghị đã được gửi Hội đồng" in response.content.decode()


def test_submit_after_the_deadline_shows_the_refusal(client):
    import datetime

    conf, proposal = build_proposal(members=4, deadline=datetime.date(2024, 1, 31))
    client.force_login(conf.secretariat)

    response = client.post(url("proposal_submit", proposal.pk), follow=True)

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT
    assert "31/01/2024" in response.content.decode()


def test_edit_refresh_and_leave_out(client, actors):
    client.force_login(actors.secretariat)
    item = actors.proposal.items.get(agency__code="p3")

    client.post(url("proposal_edit", actors.proposal.pk), {"number": "7/TTr", "note": "Kính gửi"})
    client.post(url("proposal_item_remove", actors.proposal.pk, item.pk))

    actors.proposal.refresh_from_db()
    assert actors.proposal.number == "7/TTr"
    assert not actors.proposal.items.filter(pk=item.pk).exists()
    client.post(url("proposal_refresh", actors.proposal.pk))
    assert actors.proposal.items.filter(agency__code="p3").exists()
    for name, args in (
        ("proposal_edit", ()),
        ("proposal_refresh", ()),
        ("proposal_item_remove", (item.pk,)),
    ):
        assert client.get(url(name, actors.proposal.pk, *args)).status_code == 405
        client.force_login(actors.member)
        assert client.post(url(name, actors.proposal.pk, *args)).status_code == 403
        client.force_login(actors.outsider)
        assert client.post(url(name, actors.proposal.pk, *args)).status_code == 404
        client.force_login(actors.secretariat)


# --- the council's actions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("secretariat", 403), ("member", 403), ("other_council", 404)]
)
def test_receive_permissions(client, submitted, who, status):
    client.force_login(getattr(submitted, who))
    assert client.post(url("proposal_receive", submitted.proposal.pk)).status_code == status
    submitted.proposal.refresh_from_db()
    assert submitted.proposal.state == ProposalState.SUBMITTED


def test_receive_by_the_council(client, submitted):
    client.force_login(submitted.council)
    assert client.get(url("proposal_receive", submitted.proposal.pk)).status_code == 405

    client.post(url("proposal_receive", submitted.proposal.pk))

    submitted.proposal.refresh_from_db()
    assert submitted.proposal.state == ProposalState.RECEIVED
    assert submitted.proposal.received_by == submitted.council


def test_return_needs_a_reason_then_returns(client, submitted):
    client.force_login(submitted.council)

    response = client.post(
        url("proposal_return", submitted.proposal.pk), {"reason": ""}, follow=True
    )
    submitted.proposal.refresh_from_db()
    assert submitted.proposal.state == ProposalState.SUBMITTED
    assert "lý do" in response.content.decode()

    client.post(url("proposal_return", submitted.proposal.pk), {"reason": "Thiếu biên bản"})
    submitted.proposal.refresh_from_db()
    assert submitted.proposal.state == ProposalState.RETURNED
    client.force_login(submitted.secretariat)
    page = client.get(url("proposal_detail", submitted.proposal.pk)).content.decode()
    assert "Thiếu biên bản" in page and "Gửi lại" in page
    client.force_login(submitted.member)
    assert client.post(url("proposal_return", submitted.proposal.pk)).status_code == 403
    client.force_login(submitted.council)
    assert client.get(url("proposal_return", submitted.proposal.pk)).status_code == 405


def test_approve_item_by_item(client, received):
    client.force_login(received.council)
    items = list(received.proposal.items.order_by("id"))

    client.post(
        url("proposal_approve", received.proposal.pk),
        {"approved": [items[0].pk, items[1].pk], f"note-{items[2].pk}": "Chưa đủ điều kiện"},
    )

    decisions = dict(received.proposal.items.values_list("pk", "decision"))
    assert decisions[items[0].pk] == ItemDecision.APPROVED
    assert decisions[items[2].pk] == ItemDecision.REJECTED
    assert received.proposal.items.get(pk=items[2].pk).decision_note == "Chưa đủ điều kiện"
    assert client.get(url("proposal_approve", received.proposal.pk)).status_code == 405
    client.force_login(received.secretariat)
    assert client.post(url("proposal_approve", received.proposal.pk)).status_code == 403
    client.force_login(received.outsider)
    assert client.post(url("proposal_approve", received.proposal.pk)).status_code == 404


def test_record_the_decision_with_a_scan(client, received):
    proposal = received.proposal
    first = proposal.items.order_by("id").first()
    proposal_items_decide(actor=received.council, proposal=proposal, approved_ids={first.pk})
    client.force_login(received.council)

    response = client.post(
        url("decision_create", proposal.pk),
        {
            "number": "215/QĐ-UBND",
            "date": "2024-03-15",
            "signer": "Chủ tịch UBND tỉnh",
            "scanned_file": SimpleUploadedFile("qd.pdf", PDF, "application/pdf"),
            "confirm": "on",
        },
        follow=True,
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECIDED
    assert AwardRecord.objects.get(decision_number="215/QĐ-UBND").agency == first.agency
    page = response.content.decode()
    assert "215/QĐ-UBND" in page and "15/03/2024" in page
    # The members see the scan; outsiders do not.
    client.force_login(received.member)
    scan = client.get(url("decision_scan", proposal.pk))
    assert scan.status_code == 200 and b"".join(scan.streaming_content) == PDF
    client.force_login(received.outsider)
    assert client.get(url("decision_scan", proposal.pk)).status_code == 404
    client.force_login(received.member)
    assert client.post(url("decision_scan", proposal.pk)).status_code == 405


def test_bad_decision_input_keeps_what_was_typed(client, received):
    proposal = received.proposal
    proposal_items_decide(
        actor=received.council, proposal=proposal, approved_ids={proposal.items.first().pk}
    )
    client.force_login(received.council)

    response = client.post(
        url("decision_create", proposal.pk),
        {
            "number": "215/QĐ-UBND",
            "date": "2999-01-01",
            "signer": "Chủ tịch",
            "scanned_file": SimpleUploadedFile("qd.pdf", b"plain text", "text/plain"),
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "215/QĐ-UBND" in page  # kept
    assert "tương lai" in page
    assert not Decision.objects.exists()


def test_decision_permissions(client, received):
    for who, status in (("secretariat", 403), ("member", 403), ("outsider", 404)):
        client.force_login(getattr(received, who))
        assert client.post(url("decision_create", received.proposal.pk), {}).status_code == status
    client.force_login(received.council)
    assert client.get(url("decision_create", received.proposal.pk)).status_code == 405


def test_members_see_the_start_page_without_the_form(client):
    conf = build_voted(members=4)
    client.force_login(conf.heads[3])

    page = client.get(url("proposal_start", conf.bloc_year.pk)).content.decode()

    assert "Tập thể lao động xuất sắc" in page
    assert "proposal-start-form" not in page
    assert "Thường trực khối kiểm tra và gửi hồ sơ đề nghị" in page


def test_start_redirects_to_the_existing_proposal(client, actors):
    client.force_login(actors.member)

    response = client.get(url("proposal_start", actors.conf.bloc_year.pk))

    assert response.status_code == 302
    assert response["Location"] == url("proposal_detail", actors.proposal.pk)


def test_bloc_year_page_links_to_the_proposal(client, actors):
    client.force_login(actors.secretariat)

    page = client.get(reverse("blocs:bloc_year_detail", args=[actors.conf.bloc_year.pk]))

    assert url("proposal_start", actors.conf.bloc_year.pk) in page.content.decode()


# --- the decision's scan, attached after the decision --------------------------------


@pytest.fixture
def decided_without_scan(received):
    """A decision recorded before the signed paper arrived."""
    proposal = received.proposal
    proposal_items_decide(
        actor=received.council,
        proposal=proposal,
        approved_ids=set(proposal.items.values_list("pk", flat=True)),
    )
    decision_record(
        actor=received.council,
        proposal=proposal,
        number="215/QĐ-UBND",
        date=datetime.date(2024, 3, 15),
        signer="Chủ tịch UBND tỉnh",
    )
    return received


def scan(name="qd-215.pdf", content=PDF):
    return SimpleUploadedFile(name, content, "application/pdf")


def test_the_council_attaches_the_scan_after_the_decision(client, decided_without_scan):
    a = decided_without_scan
    client.force_login(a.council)
    page = client.get(url("proposal_detail", a.proposal.pk)).content.decode()
    assert url("decision_scan_upload", a.proposal.pk) in page

    response = client.post(
        url("decision_scan_upload", a.proposal.pk), {"scanned_file": scan()}, follow=True
    )

    decision = Decision.objects.get(proposal=a.proposal)
    assert "Đã đính kèm bản quét quyết định." in response.content.decode()
    assert decision.scanned_name == "qd-215.pdf"
    event = AuditEvent.objects.get(action="decision.scan_attach")
    assert event.actor == a.council and event.data["name"] == "qd-215.pdf"
    # Once attached, the form is gone and a second scan is refused.
    page = client.get(url("proposal_detail", a.proposal.pk)).content.decode()
    assert url("decision_scan_upload", a.proposal.pk) not in page
    response = client.post(
        url("decision_scan_upload", a.proposal.pk), {"scanned_file": scan("khac.pdf")}, follow=True
    )
    assert "được sửa bằng một quyết định mới" in response.content.decode()
    assert Decision.objects.get(proposal=a.proposal).scanned_name == "qd-215.pdf"
    download = client.get(url("decision_scan", a.proposal.pk))
    assert b"".join(download.streaming_content) == PDF
    download.close()  # last: closing the response ends the request and its connection


def test_a_wrong_scan_is_refused_with_a_message(client, decided_without_scan):
    a = decided_without_scan
    client.force_login(a.council)

    response = client.post(
        url("decision_scan_upload", a.proposal.pk),
        {"scanned_file": scan("qd.pdf", b"<html></html>")},
        follow=True,
    )

    assert "Loại tệp này không được chấp nhận. Chỉ chấp nhận: PDF, JPG, PNG." in (
        response.content.decode()
    )
    assert not Decision.objects.get(proposal=a.proposal).scanned_file
    assert not AuditEvent.objects.filter(action="decision.scan_attach").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("secretariat", 403), ("member", 403), ("outsider", 404), ("other_council", 404)],
)
def test_only_the_council_of_the_province_attaches_the_scan(
    client, decided_without_scan, who, status
):
    a = decided_without_scan
    client.force_login(getattr(a, who))

    response = client.post(url("decision_scan_upload", a.proposal.pk), {"scanned_file": scan()})

    assert response.status_code == status
    assert not Decision.objects.get(proposal=a.proposal).scanned_file


def test_the_scan_upload_is_post_only(client, decided_without_scan):
    client.force_login(decided_without_scan.council)

    assert (
        client.get(url("decision_scan_upload", decided_without_scan.proposal.pk)).status_code == 405
    )


def test_no_scan_before_the_decision(client, received):
    client.force_login(received.council)

    response = client.post(
        url("decision_scan_upload", received.proposal.pk), {"scanned_file": scan()}
    )

    assert response.status_code == 404


def test_the_decision_form_and_its_thresholds_are_read_only_where_shown(client, submitted):
    """A submitted proposal has no decision form: the council's thresholds it
    guides with are not read; once received, both are there."""
    client.force_login(submitted.council)
    page_url = url("proposal_detail", submitted.proposal.pk)
    decision_url = url("decision_create", submitted.proposal.pk)
    client.get(page_url)

    with CaptureQueriesContext(connection) as before:
        page = client.get(page_url).content.decode()
    proposal_receive(actor=submitted.council, proposal=submitted.proposal)
    with CaptureQueriesContext(connection) as after:
        received_page = client.get(page_url).content.decode()

    def reads_thresholds(captured):
        return any("awards_councilvotethreshold" in q["sql"] for q in captured.captured_queries)

    assert decision_url not in page
    assert not reads_thresholds(before)
    assert decision_url in received_page
    assert reads_thresholds(after)


@pytest.mark.parametrize("members", [4, 7])
def test_detail_of_a_decided_proposal_reads_a_fixed_number_of_queries(
    client, members, django_assert_num_queries
):
    conf, proposal = build_proposal(members=members)
    a = make_actors(conf, proposal)
    proposal_submit(actor=a.secretariat, proposal=proposal)
    proposal_receive(actor=a.council, proposal=proposal)
    proposal_items_decide(
        actor=a.council,
        proposal=proposal,
        approved_ids=set(proposal.items.values_list("pk", flat=True)),
    )
    decision_record(
        actor=a.council,
        proposal=proposal,
        number="215/QĐ-UBND",
        date=datetime.date(2024, 3, 15),
        signer="Chủ tịch UBND tỉnh",
    )
    assert proposal.items.count() > members // 2  # more items with more members
    client.force_login(a.council)

    with django_assert_num_queries(5):
        client.get(url("proposal_detail", proposal.pk))
