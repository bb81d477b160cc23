"""Demo of the proposal and decision: the 2022 cycle of the tmth bloc, decided.

Sở Tài chính led the bloc in 2022 (Văn phòng UBND tỉnh deputised). At the
conference of 12 January 2023 the heads elected five members for "Tập thể lao
động xuất sắc"; the bloc sent its proposal (tờ trình 03/TTr-KTĐ), the council
received it and approved four of the five — Sở Ngoại vụ was left out — by
Quyết định số 412/QĐ-UBND ngày 24/02/2023. The council's vote on each item
(15 members, two of them voting in writing) is recorded with the decision,
and each award's prize money (coefficient × the base salary of the day).

The four awards are the same rows as the 2022 history that the awards step
imports: the decision takes them over (source "decision") instead
of duplicating them; without that step it creates them. Every row is built
through the services; a second run changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from awards.enums import AttendanceStatus, ProposalState
from awards.models import AwardType, Decision, Meeting, Poll, Proposal, VoterRecord
from awards.selectors.council_numbers import VoteCount
from awards.services import decision as decision_services
from awards.services import meeting as meeting_services
from awards.services import proposal as proposal_services
from awards.services import voting as voting_services
from blocs import services as bloc_services
from blocs.enums import Phase, ReviewMode, ReviewStage
from blocs.models import (
    BlocYear,
    Criterion,
    EmulationYear,
    Membership,
    ScoringTable,
    SelfAssessment,
)
from blocs.services import assessment as assessment_services
from blocs.services import review as review_services
from blocs.services import scoring as scoring_services
from emulation.demo import DemoContext
from emulation.demo.base import AGENCIES, BLOC, OFFICER_NAMES, bloc_year_with_members
from emulation.demo.scoring import one_group_table
from emulation.documents.services import document_issue
from emulation.documents.spec import DocumentSpec, Paragraph, Signature, Table
from emulation.enums import DocumentKind
from emulation.models import IssuedDocument, User

YEAR = 2022
LEADER, DEPUTY = "stc", "vpubnd"
MEETING_DATE = datetime.date(2023, 1, 12)
LETTER_DATE = datetime.date(2023, 1, 16)
SUBMITTED_ON = datetime.date(2023, 1, 17)
RECEIVED_ON = datetime.date(2023, 1, 18)
DECISION = ("412/QĐ-UBND", datetime.date(2023, 2, 24), "Chủ tịch Ủy ban nhân dân tỉnh")
NOT_APPROVED = {"sngv": "Chưa đủ tỷ lệ 70% cá nhân đạt danh hiệu Lao động tiên tiến."}
# The council (15 members) voted on each item at its meeting; two absent
# members sent their votes in writing. (votes for, against, of which written)
COUNCIL_MEMBERS = 15
COUNCIL_VOTES = {"vpubnd": (15, 0, 2), "ttt": (14, 1, 2), "snv": (13, 2, 2), "vpdbqh": (13, 1, 1)}
HEAD_NAMES = {code: head for code, _name, _short, head in AGENCIES}

# The nine heads' ballots for "Tập thể lao động xuất sắc" (choose up to 5).
ELECTED = ["vpubnd", "ttt", "snv", "vpdbqh", "sngv"]
BALLOTS = [ELECTED] * 6 + [
    ["vpubnd", "ttt", "snv", "vpdbqh", "stp"],
    ["vpubnd", "ttt", "snv", "stp", "skhdt"],
    ["vpubnd", "ttt", "vpdbqh", "stp", "bdt"],
]


def _year(ctx: DemoContext, council) -> EmulationYear:
    province = ctx.data["province"]
    year = EmulationYear.objects.filter(province=province, year=YEAR).first()
    if year is None:
        year = bloc_services.emulation_year_create(
            actor=council,
            province=province,
            year=YEAR,
            registration_deadline=datetime.date(2022, 3, 15),
            self_assessment_opens=datetime.date(2022, 11, 21),
            self_assessment_deadline=datetime.date(2022, 12, 9),
            review_deadline=datetime.date(2022, 12, 23),
            dispute_deadline=datetime.date(2023, 1, 4),
            proposal_deadline=datetime.date(2023, 1, 31),
        )
    return year


def _bloc_year(ctx: DemoContext, council, year: EmulationYear) -> BlocYear:
    agencies = ctx.data["agencies"]
    return bloc_year_with_members(
        council=council,
        bloc=ctx.data["bloc"],
        year=year,
        codes=[a[0] for a in AGENCIES],
        agencies=agencies,
        leader=LEADER,
        deputy=DEPUTY,
    )


# The 2022 scoring table, kept short: the year is the award history 2023 reads.
TABLE_2022 = [
    ("I.1", "Hoàn thành các chỉ tiêu, nhiệm vụ được giao năm 2022", Decimal(60)),
    ("I.2", "Tổ chức các phong trào thi đua, công tác khen thưởng", Decimal(25)),
    ("I.3", "Thực hiện giao ước thi đua của Khối", Decimal(15)),
]
# Each member's share of the maximum, in the order of the 2022 ranking.
SHARE_2022 = {
    "vpubnd": Decimal("0.96"),
    "ttt": Decimal("0.95"),
    "snv": Decimal("0.93"),
    "vpdbqh": Decimal("0.92"),
    "sngv": Decimal("0.90"),
    "stc": Decimal("0.89"),
    "stp": Decimal("0.88"),
    "skhdt": Decimal("0.87"),
    "bdt": Decimal("0.85"),
}


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _ranked(bloc_year: BlocYear, council, secretariat) -> None:
    """2022 through the same steps as any year, up to its published ranking."""
    if bloc_year.phase == Phase.SETUP:
        for phase in (Phase.REGISTRATION, Phase.IN_PROGRESS):
            bloc_services.bloc_year_advance(actor=council, bloc_year=bloc_year, to=phase)
    if bloc_year.phase == Phase.IN_PROGRESS:
        table = ScoringTable.objects.filter(year=bloc_year.year, bloc=None).first()
        if table is None:
            one_group_table(
                council=council,
                year=bloc_year.year,
                name="Bảng chấm điểm thi đua các Khối năm 2022",
                rows=TABLE_2022,
            )
        scoring_services.bloc_year_open_self_assessment(
            actor=council, bloc_year=bloc_year, today=bloc_year.year.self_assessment_opens
        )
    if bloc_year.phase == Phase.SELF_ASSESSMENT:
        at = _at(bloc_year.year.self_assessment_deadline)
        assessments = SelfAssessment.objects.filter(membership__bloc_year=bloc_year).select_related(
            "membership__agency", "table"
        )
        for assessment in assessments:
            code = assessment.membership.agency.code
            for criterion in Criterion.objects.filter(table=assessment.table):
                assessment_services.item_score_save(
                    actor=User.objects.get(username=f"{code}.officer"),
                    assessment=assessment,
                    criterion=criterion,
                    field="score",
                    value=(
                        criterion.max_points * SHARE_2022[code] / criterion.step
                    ).to_integral_value(rounding=ROUND_DOWN)
                    * criterion.step,
                    base_version=0,
                    at=at,
                )
            assessment_services.assessment_submit(
                actor=User.objects.get(username=f"{code}.head"), assessment=assessment, at=at
            )
        review_services.review_configure(
            actor=secretariat, bloc_year=bloc_year, mode=ReviewMode.LEADER
        )
        review_services.review_start(actor=secretariat, bloc_year=bloc_year)
        for assessment in assessments:
            review_services.assessment_review_complete(
                actor=secretariat, assessment=assessment, stage=ReviewStage.LEADER
            )
        review_services.review_release(actor=secretariat, bloc_year=bloc_year)
        review_services.review_lock(actor=secretariat, bloc_year=bloc_year)
        review_services.ranking_publish(actor=secretariat, bloc_year=bloc_year)
    bloc_year.refresh_from_db()


def _conference(bloc_year: BlocYear, secretariat) -> None:
    """The conference and its published vote, unless already there."""
    meeting = Meeting.objects.filter(bloc_year=bloc_year).first()
    if meeting is None:
        meeting = meeting_services.meeting_create(
            actor=secretariat,
            bloc_year=bloc_year,
            date=MEETING_DATE,
            place="Hội trường Sở Tài chính",
            chair=f"{HEAD_NAMES[LEADER]}, Giám đốc Sở Tài chính, Trưởng khối",
            secretary=f"{OFFICER_NAMES[LEADER]}, chuyên viên Sở Tài chính",
            starts_at=datetime.time(8, 0),
            ends_at=datetime.time(11, 15),
        )
    memberships = {
        m.agency.code: m
        for m in Membership.objects.filter(bloc_year=bloc_year).select_related("agency")
    }
    recorded = set(meeting.attendances.values_list("membership_id", flat=True))
    for code, membership in memberships.items():
        if membership.pk not in recorded:
            meeting_services.attendance_record(
                actor=secretariat,
                meeting=meeting,
                membership=membership,
                status=AttendanceStatus.PRESENT,
                representative=HEAD_NAMES[code],
            )
    award = AwardType.objects.get(code="tt_ldxs")
    if not Poll.objects.filter(meeting=meeting, award_type=award, state="cancelled").exists():
        # The first ballot was printed without one member: the secretariat
        # cancelled the poll before opening it and prepared a new one.
        voting_services.poll_cancel(
            actor=secretariat,
            poll=voting_services.poll_create(
                actor=secretariat,
                meeting=meeting,
                award_type=award,
                quota=len(ELECTED),
                threshold_percent=50,
                candidates=list(memberships.values())[1:],
            ),
            reason="Phiếu bầu in thiếu tên một đơn vị; chuẩn bị lại phiếu.",
        )
    poll = (
        Poll.objects.filter(meeting=meeting, award_type=award, round=1)
        .exclude(state="cancelled")
        .first()
    )
    if poll is None:
        poll = voting_services.poll_create(
            actor=secretariat,
            meeting=meeting,
            award_type=award,
            quota=len(ELECTED),
            threshold_percent=50,
            candidates=list(memberships.values()),
        )
    if poll.state == "draft":
        poll = voting_services.poll_open(actor=secretariat, poll=poll)
    if poll.state == "open":
        voted = set(VoterRecord.objects.filter(poll=poll).values_list("agency__code", flat=True))
        candidates = {
            c.membership.agency.code: c.pk
            for c in poll.candidates.select_related("membership__agency")
        }
        for (code, *_rest), chosen in zip(AGENCIES, BALLOTS, strict=True):
            if code in voted:
                continue
            voting_services.ballot_cast(
                actor=User.objects.get(username=f"{code}.head"),
                poll=poll,
                agency_id=memberships[code].agency_id,
                candidate_ids=[candidates[c] for c in chosen],
            )
        poll = voting_services.poll_close(actor=secretariat, poll=poll)
    if poll.state == "closed":
        voting_services.poll_publish(actor=secretariat, poll=poll)


def _letter(bloc_year: BlocYear, secretariat) -> None:
    if IssuedDocument.objects.filter(
        bloc_year=bloc_year, kind=DocumentKind.PROPOSAL_LETTER
    ).exists():
        return
    names = {code: name for code, name, _short, _head in AGENCIES}
    spec = DocumentSpec(
        kind_name="TỜ TRÌNH",
        superior_agency="UBND TỈNH AN PHÚ",
        issuing_agency=BLOC[1].upper(),
        place="An Phú",
        date=LETTER_DATE,
        number="03/TTr-KTĐ",
        summary="Về việc đề nghị tặng danh hiệu Tập thể lao động xuất sắc năm 2022",
        body=[
            Paragraph(
                "Căn cứ kết quả chấm điểm, xếp hạng và kết quả bỏ phiếu kín tại Hội nghị "
                "tổng kết công tác thi đua, khen thưởng năm 2022 ngày 12/01/2023, Khối thi đua "
                "đề nghị Hội đồng Thi đua – Khen thưởng tỉnh xem xét, trình Chủ tịch Ủy ban "
                "nhân dân tỉnh tặng danh hiệu Tập thể lao động xuất sắc cho các tập thể sau:"
            ),
            Table(
                headers=["STT", "Tập thể", "Số phiếu"],
                rows=[
                    [str(i), names[code], f"{votes}/9"]
                    for i, (code, votes) in enumerate(
                        [("vpubnd", 9), ("ttt", 9), ("snv", 8), ("vpdbqh", 8), ("sngv", 6)],
                        start=1,
                    )
                ],
                widths=[1, 6, 2],
                numeric=(2,),
            ),
        ],
        signatures=[
            Signature(position="TRƯỞNG KHỐI", name=HEAD_NAMES[LEADER], on_behalf="TM. KHỐI THI ĐUA")
        ],
        recipients=["Hội đồng TĐKT tỉnh (qua Sở Nội vụ)", "Các thành viên Khối"],
        archive="KTĐ",
    )
    document_issue(
        actor=secretariat,
        kind=DocumentKind.PROPOSAL_LETTER,
        spec=spec,
        title="Tờ trình đề nghị khen thưởng năm 2022",
        bloc_year=bloc_year,
    )


def run(ctx: DemoContext) -> None:
    council = ctx.data["council"]
    year = _year(ctx, council)
    bloc_year = _bloc_year(ctx, council, year)
    if Decision.objects.filter(proposal__bloc_year=bloc_year).exists():
        ctx.data["bloc_year_2022"] = bloc_year
        ctx.log(f"  {BLOC[0]} 2022: decided (already)")
        return
    secretariat = User.objects.get(username=f"{LEADER}.officer")
    proposal = Proposal.objects.filter(bloc_year=bloc_year).first()
    if proposal is None:
        _ranked(bloc_year, council, secretariat)
        _conference(bloc_year, secretariat)
        _letter(bloc_year, secretariat)
        proposal = proposal_services.proposal_create(
            actor=secretariat,
            bloc_year=bloc_year,
            number="03/TTr-KTĐ",
            note="Kính đề nghị Hội đồng xem xét, trình Chủ tịch UBND tỉnh khen thưởng.",
        )
    if proposal.state == ProposalState.DRAFT:
        proposal = proposal_services.proposal_submit(
            actor=secretariat, proposal=proposal, today=SUBMITTED_ON
        )
    if proposal.state == ProposalState.SUBMITTED:
        proposal = proposal_services.proposal_receive(
            actor=council, proposal=proposal, today=RECEIVED_ON
        )
    items = list(proposal.items.select_related("agency"))
    proposal_services.proposal_items_decide(
        actor=council,
        proposal=proposal,
        approved_ids={i.pk for i in items if i.agency.code not in NOT_APPROVED},
        notes={i.pk: NOT_APPROVED[i.agency.code] for i in items if i.agency.code in NOT_APPROVED},
    )
    number, date, signer = DECISION
    decision_services.decision_record(
        actor=council,
        proposal=proposal,
        number=number,
        date=date,
        signer=signer,
        council_members=COUNCIL_MEMBERS,
        council_votes={
            i.pk: VoteCount(*COUNCIL_VOTES[i.agency.code])
            for i in items
            if i.agency.code in COUNCIL_VOTES
        },
    )
    ctx.data["bloc_year_2022"] = bloc_year
    ctx.log(f"  {BLOC[0]} 2022: proposal decided by {number}")
