"""The preview of each document of a bloc-year keeps its query count as the
bloc grows: members, their scores and registrations, the attendance, the polls
and their results, the counting committee, the agencies proposed, and the
proposed agency's targets and award history all grow with the bloc here, and
the number of queries stays the same.

The bloc is built through the services (tests/factories/meeting): the
conference, its attendance (a quarter of the members by proxy), its counting
committee and its polls, closed and published. The self-assessments, the
locked ranking and the registrations are written with the ORM, as
tests/documents/conftest.py writes them: the bloc-year is past those windows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards.enums import AttendanceStatus
from awards.models import AwardType, Result
from awards.services.meeting import attendance_record, counter_add
from awards.services.voting import ballot_cast, poll_close, poll_publish
from blocs.enums import MovementLauncher, ProgressPeriod, RegistrationState
from blocs.models import (
    BlocYearMovement,
    Movement,
    Registration,
    RegistrationTarget,
    TargetProgress,
)
from tests.factories.assessment import ItemScoreFactory, SelfAssessmentFactory
from tests.factories.awards import AwardRecordFactory
from tests.factories.meeting import build_conference
from tests.factories.review import FinalScoreFactory
from tests.factories.scoring import CriterionFactory, CriterionGroupFactory, ScoringTableFactory

pytestmark = pytest.mark.django_db

D = Decimal
# Members of the bloc: the small one and the one twice its size.
SIZES = [4, 8]
AWARDS = ["co_tinh", "bk_ubnd"]  # the larger bloc votes on both, the smaller on the first

# Queries of one preview, whatever the size of the bloc.
QUERIES = {
    "year_end_report": 28,
    "score_summary": 15,
    "meeting_minutes": 25,
    "vote_count": 17,
    "proposal_letter": 24,
    "draft_decision": 27,
    "achievement_report": 22,
}


def _polls(n):
    return n // 4


def _proposed(n):
    """The agencies proposed: the elected half of the members, in every poll."""
    return (n // 2) * _polls(n)


def _scores(conf):
    """A two-group table; every member self-assessed, the ranking locked."""
    table = ScoringTableFactory(year=conf.bloc_year.year, name="Bảng chấm điểm năm 2023")
    work = CriterionGroupFactory(table=table, order=1, name="Nhiệm vụ", max_points=D(80))
    extra = CriterionGroupFactory(table=table, order=2, name="Điểm thưởng", max_points=D(10))
    criteria = [
        CriterionFactory(group=work, code="1.1", text="A", max_points=D(80), step=D("0.25")),
        CriterionFactory(group=extra, code="2.1", text="B", max_points=D(10), step=D("0.25")),
    ]
    for index, membership in enumerate(conf.memberships):
        assessment = SelfAssessmentFactory(
            membership=membership,
            table=table,
            report=f"{membership.agency.name} hoàn thành các chỉ tiêu được giao.",
        )
        for criterion, score in zip(criteria, [D(80 - index), D(5)], strict=True):
            ItemScoreFactory(assessment=assessment, criterion=criterion, score=score)
        FinalScoreFactory(membership=membership, total=D(85 - index), rank=index + 1)


def _registrations(conf, award):
    """Every member registered for ``award``; the leader with one target per
    member, each reported at the year end."""
    for membership in conf.memberships:
        registration = Registration.objects.create(
            membership=membership, state=RegistrationState.SUBMITTED, submitted_at=timezone.now()
        )
        registration.award_types.set([award])
    leader = Registration.objects.get(membership=conf.memberships[0])
    for index in range(len(conf.memberships)):
        target = RegistrationTarget.objects.create(
            registration=leader,
            order=index,
            indicator=f"Chỉ tiêu đăng ký số {index + 1}",
            unit="%",
            target_value=D(100),
        )
        TargetProgress.objects.create(
            target=target,
            period=ProgressPeriod.YEAR_END,
            value=D(50 + index),
            reported_by=conf.heads[0],
        )


def _movements(conf, count):
    for index in range(count):
        movement = Movement.objects.create(
            province=conf.bloc_year.bloc.province,
            title=f"Phong trào thi đua số {index + 1}",
            launched_by=MovementLauncher.PROVINCE,
            starts_on=datetime.date(2023, 1, 1),
        )
        BlocYearMovement.objects.create(bloc_year=conf.bloc_year, movement=movement)


def _proxies(conf):
    """The last quarter of the members give their proxy to the first ones."""
    n = len(conf.memberships)
    holders = {}
    for offset, i in enumerate(range(n - n // 4, n)):
        attendance_record(
            actor=conf.secretariat,
            meeting=conf.meeting,
            membership=conf.memberships[i],
            status=AttendanceStatus.PROXY,
            proxy_to=conf.memberships[offset],
            authorisation=SimpleUploadedFile("uy-quyen.pdf", b"%PDF-1.4 test"),
        )
        holders[i] = offset
    return holders


def _vote(conf, code, holders):
    """Every member (or its proxy's head) votes for the first half: they are elected."""
    n = len(conf.memberships)
    elected = list(range(n // 2))
    poll = conf.open_poll(code=code, quota=len(elected), threshold_percent=50, base=None)
    ids = [poll.candidates.get(membership=conf.memberships[i]).pk for i in elected]
    for voter in range(n):
        ballot_cast(
            actor=conf.heads[holders.get(voter, voter)],
            poll=poll,
            agency_id=conf.memberships[voter].agency_id,
            candidate_ids=ids,
        )
    poll_close(actor=conf.secretariat, poll=poll)
    poll_publish(actor=conf.secretariat, poll=poll)


def grown_bloc(n: int):
    """A bloc of n members with everything its documents list."""
    conf = build_conference(members=n, prefix=f"g{n}")
    _scores(conf)
    _registrations(conf, AwardType.objects.get(code=AWARDS[0]))
    _movements(conf, n // 4)
    holders = _proxies(conf)
    for i in range(n // 2):
        counter_add(actor=conf.secretariat, meeting=conf.meeting, user=conf.heads[i])
    for code in AWARDS[: _polls(n)]:
        _vote(conf, code, holders)
    for year in range(2023 - n, 2023):
        AwardRecordFactory(agency=conf.memberships[0].agency, year=year)
    assert Result.objects.filter(elected=True).count() == _proposed(n)
    return conf


def _preview(client, conf, slug):
    return client.get(reverse("awards:document_preview", args=[conf.bloc_year.pk, slug]))


def _slug(conf, document):
    if document == "achievement_report":
        return f"achievement_report-{conf.memberships[0].pk}"
    return document


# Rows of the document's tables (a row whose first cell is plain text), by size.
ROWS = {
    "year_end_report": lambda n: 3 * n + _proposed(n),  # members, registrations, scores
    "score_summary": lambda n: n,
    "meeting_minutes": lambda n: n + n * _polls(n),  # attendance, each poll's results
    "vote_count": lambda n: n * _polls(n),
    "proposal_letter": _proposed,
    "draft_decision": _proposed,
    "achievement_report": lambda n: 2 * n,  # its targets, its award history
}


def _shown(conf, document) -> tuple[list[str], list[str]]:
    """What the document shows of the n rows, and what it must not show."""
    n = len(conf.memberships)
    names = [f"<td>{m.agency.name}</td>" for m in conf.memberships]
    elected, others = names[: n // 2], names[n // 2 :]
    if document == "year_end_report":
        movements = [f"- Phong trào thi đua số {i}" for i in range(1, n // 4 + 1)]
        return [f"gồm {n} đơn vị thành viên", f"{n}/{n} đơn vị đã đăng ký", *movements, *names], []
    if document == "score_summary":
        return [f"của {n} đơn vị thành viên", f"<td>{n}</td></tr>", *names], []
    if document == "meeting_minutes":
        proxies = [f"Ủy quyền cho {m.agency.name}" for m in conf.memberships[: n // 4]]
        return [f"Số đơn vị có mặt hoặc ủy quyền: {n}/{n}", *proxies, *names], []
    if document == "vote_count":
        counters = [
            f"{i}. {head.full_name} – {head.agency.name}"
            for i, head in enumerate(conf.heads[: n // 2], start=1)
        ]
        return [*counters, *names], []
    if document in ("proposal_letter", "draft_decision"):
        return [
            f": {n // 2} tập thể" if document == "proposal_letter" else f"cho {n // 2} tập thể",
            *elected,
        ], others
    targets = [f"<td>Chỉ tiêu đăng ký số {i + 1}</td>" for i in range(n)]
    achieved = [f">{50 + i}%</td>" for i in range(n)]
    history = [f"<td>{year}</td>" for year in range(2023 - n, 2023)]
    return [f"xếp hạng 1/{n} đơn vị", *targets, *achieved, *history], []


@pytest.mark.parametrize("document", list(QUERIES))
@pytest.mark.parametrize("n", SIZES)
def test_the_preview_query_count_does_not_grow_with_the_bloc(
    login, django_assert_num_queries, document, n
):
    conf = grown_bloc(n)
    client = login(conf.secretariat)
    slug = _slug(conf, document)
    _preview(client, conf, slug)

    with django_assert_num_queries(QUERIES[document]):
        response = _preview(client, conf, slug)

    assert response.status_code == 200
    page = response.content.decode().partition('data-testid="document-preview"')[2]
    assert page.count("<tr><td>") == ROWS[document](n)
    shown, hidden = _shown(conf, document)
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page
