"""Demo: the 2023 year-end conference of the tmth bloc, 18 January 2024, in
the hall of Văn phòng UBND tỉnh: the nine members present, a counting
committee, next year's leadership by rotation (Thanh tra tỉnh leads 2024,
Sở Tài chính deputises), and three polls in draft (Cờ thi đua của UBND tỉnh,
Bằng khen của Chủ tịch UBND tỉnh, Tập thể lao động xuất sắc) ready to open,
so a visitor can run the vote with the nine ``<code>.head`` accounts.

Works whether or not the ranking has been published by an earlier step: the
bloc-year is moved to the voting phase only if it is not there or beyond."""

from __future__ import annotations

import datetime

from awards.enums import AttendanceStatus, LeadershipMethod, PollPurpose
from awards.models import AwardType, CountingCommitteeMember, Meeting, NextLeadership, Poll
from awards.services import meeting as meeting_services
from awards.services import voting as voting_services
from blocs.models import BlocYear, Membership
from emulation.demo import DemoContext
from emulation.demo.base import AGENCIES, OFFICER_NAMES
from emulation.models import User

DATE = datetime.date(2024, 1, 18)
PLACE = "Hội trường Văn phòng UBND tỉnh"
POLLS = ["co_tinh", "co_chinh_phu", "bk_ubnd", "tt_ldxs"]
COUNTERS = ["stp.officer", "sngv.officer"]
HEAD_NAMES = {code: head for code, _name, _short, head in AGENCIES}


def run(ctx: DemoContext) -> None:
    bloc_year = ctx.data.get("bloc_year_2023") or BlocYear.objects.get(
        bloc__code="tmth", year__year=2023
    )
    bloc_year = BlocYear.objects.select_related("bloc", "year").get(pk=bloc_year.pk)
    secretariat = User.objects.get(username="vpubnd.officer")

    meeting = Meeting.objects.filter(bloc_year=bloc_year).first()
    if meeting is None:
        meeting = meeting_services.meeting_create(
            actor=secretariat,
            bloc_year=bloc_year,
            date=DATE,
            place=PLACE,
            chair=f"{HEAD_NAMES['vpubnd']}, Chánh Văn phòng UBND tỉnh, Trưởng khối",
            secretary=f"{OFFICER_NAMES['vpubnd']}, chuyên viên Văn phòng UBND tỉnh",
            starts_at=datetime.time(8, 0),
            ends_at=datetime.time(11, 30),
        )
    ctx.data["meeting_2023"] = meeting

    recorded = set(meeting.attendances.values_list("membership_id", flat=True))
    for membership in Membership.objects.filter(bloc_year=bloc_year).select_related("agency"):
        if membership.pk in recorded:
            continue
        head = HEAD_NAMES.get(membership.agency.code, "")
        meeting_services.attendance_record(
            actor=secretariat,
            meeting=meeting,
            membership=membership,
            status=AttendanceStatus.PRESENT,
            representative=f"{head}, Thủ trưởng cơ quan" if head else "Thủ trưởng cơ quan",
        )

    for username in COUNTERS:
        user = User.objects.filter(username=username).first()
        if user and not CountingCommitteeMember.objects.filter(meeting=meeting, user=user).exists():
            meeting_services.counter_add(actor=secretariat, meeting=meeting, user=user)

    if not NextLeadership.objects.filter(meeting=meeting).exists():
        agencies = {m.agency.code: m.agency for m in bloc_year.memberships.select_related("agency")}
        if "ttt" in agencies and "stc" in agencies:
            meeting_services.next_leadership_set(
                actor=secretariat,
                meeting=meeting,
                leader=agencies["ttt"],
                deputy=agencies["stc"],
                method=LeadershipMethod.ROTATION,
                note="Theo thứ tự luân phiên của Quy chế hoạt động khối.",
            )

    members = list(bloc_year.memberships.select_related("agency"))
    for code in POLLS:
        award_type = AwardType.objects.filter(code=code).first()
        if award_type is None:
            continue
        if Poll.objects.filter(
            meeting=meeting, purpose=PollPurpose.AWARD, award_type=award_type
        ).exists():
            continue
        poll = voting_services.poll_create(
            actor=secretariat, meeting=meeting, award_type=award_type
        )
        if not poll.candidates.filter(withdrawn=False).exists():
            # Nobody eligible on the demo's facts: the secretariat puts the
            # members on the ballot by hand, with the reason recorded.
            for membership in members:
                voting_services.candidate_add(
                    actor=secretariat,
                    poll=poll,
                    membership=membership,
                    reason="Theo đề nghị của Trưởng khối tại hội nghị.",
                )
    ctx.log(f"  conference {meeting.date:%d/%m/%Y}: {len(POLLS)} polls in draft")
