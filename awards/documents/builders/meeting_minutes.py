"""Biên bản họp: the minutes of the year-end conference — attendance, quorum,
the leader's report, each poll's results, the conclusions, the signatures."""

from __future__ import annotations

import datetime

from awards.documents.builders.common import (
    NO_MEETING,
    NO_POLLS,
    bloc_spec,
    narrative_paragraphs,
    person_and_office,
    placeholder,
)
from awards.documents.builders.sources import (
    conference_of,
    fmt_percent,
    fmt_points,
    long_date,
    members_of,
    scores_of,
    vocabulary_of,
)
from awards.documents.narratives import narratives_of
from awards.enums import AttendanceStatus
from blocs.models import BlocYear
from emulation.documents.spec import DocumentSpec, Heading, Paragraph, Signature, Table
from emulation.enums import NarrativeSection

RESULT_WORDS = {True: "Đạt", False: "Không đạt"}


def clock(time: datetime.time | None) -> str:
    """ "08 giờ 30 phút"; dots to fill in by hand while the time is unknown."""
    return f"{time:%H} giờ {time:%M} phút" if time else "…… giờ …… phút"


def attendance_text(row) -> str:
    attendance = row.attendance
    if attendance is None:
        return "Chưa ghi nhận"
    if attendance.status == AttendanceStatus.PRESENT:
        return "Có mặt"
    if attendance.status == AttendanceStatus.PROXY and attendance.proxy_to_id:
        return f"Ủy quyền cho {attendance.proxy_to.agency.name}"
    return "Vắng mặt"


def poll_result_table(poll_data) -> Table:
    return Table(
        ["STT", "Đơn vị", "Số phiếu đồng ý", "Tỷ lệ", "Kết quả"],
        [
            [
                str(i),
                r.candidate.membership.agency.name,
                str(r.votes),
                fmt_percent(r.votes, r.base),
                RESULT_WORDS[bool(r.elected)],
            ]
            for i, r in enumerate(poll_data.results, start=1)
        ],
        widths=[1, 6, 2, 2, 2],
        numeric=(2, 3),
    )


def build_meeting_minutes(
    bloc_year: BlocYear,
    *,
    number: str = "",
    date: datetime.date | None = None,
    draft: bool = False,
) -> DocumentSpec:
    year = bloc_year.year.year
    members = members_of(bloc_year)
    conference = conference_of(bloc_year)
    meeting = conference.meeting
    texts = narratives_of(bloc_year)
    words = vocabulary_of(bloc_year)
    body: list = []
    if meeting is None:
        body.append(placeholder(NO_MEETING))
        signatures = [Signature(position=words.secretary), Signature(position=words.chair)]
    else:
        body.append(
            Paragraph(
                f"Vào hồi {clock(meeting.starts_at)}, {long_date(meeting.date)}, tại "
                f"{meeting.place}, {bloc_year.bloc.name} tổ "
                f"chức Hội nghị tổng kết công tác thi đua, khen thưởng năm {year}, bình xét, suy "
                "tôn các danh hiệu thi đua và hình thức khen thưởng."
            )
        )
        body.append(Heading("I. THÀNH PHẦN THAM DỰ"))
        body.append(Paragraph(f"- {words.chair} Hội nghị: {meeting.chair}."))
        body.append(Paragraph(f"- {words.secretary} Hội nghị: {meeting.secretary}."))
        body.append(Paragraph("- Đại diện các đơn vị thành viên Khối:"))
        body.append(
            Table(
                ["STT", "Đơn vị", "Người đại diện", "Tình hình tham dự"],
                [
                    [
                        str(i),
                        row.membership.agency.name,
                        (row.attendance.representative if row.attendance else "") or "",
                        attendance_text(row),
                    ]
                    for i, row in enumerate(conference.attendance, start=1)
                ],
                widths=[1, 6, 4, 4],
            )
        )
        quorum = conference.quorum
        verdict = (
            "Hội nghị đủ điều kiện tiến hành."
            if quorum.met
            else "Hội nghị không đủ số đơn vị tham dự theo quy định."
        )
        body.append(
            Paragraph(
                f"Số đơn vị có mặt hoặc ủy quyền: {quorum.represented}/{quorum.members} "
                f"(có mặt {quorum.present}, ủy quyền {quorum.proxies}, vắng mặt {quorum.absent}); "
                f"theo quy định cần ít nhất {quorum.needed}/{quorum.members} đơn vị "
                f"({quorum.numerator}/{quorum.denominator}). {verdict}"
            )
        )
        body.append(Heading("II. NỘI DUNG HỘI NGHỊ"))
        body.append(Heading("1. Báo cáo tổng kết công tác thi đua, khen thưởng", level=2))
        leader = members.leader
        scores = scores_of(bloc_year, members)
        summary = (
            f"{leader.agency.name if leader else words.leader} ({words.leader}) trình bày Báo cáo "
            f"tổng kết công tác thi đua, khen thưởng năm {year} của Khối."
        )
        assessed = [r for r in scores.rows if r.self_total is not None]
        summary += f" {len(assessed)}/{len(members.memberships)} đơn vị đã tự chấm điểm"
        if scores.ranked and scores.rows:
            first = scores.rows[0]
            summary += (
                f"; đơn vị xếp thứ nhất là {first.agency.name} với "
                f"{fmt_points(first.final_total)} điểm"
            )
        body.append(Paragraph(summary + "."))
        body.append(Heading("2. Ý kiến thảo luận", level=2))
        body += narrative_paragraphs(bloc_year, texts, NarrativeSection.MEETING_DISCUSSION)
        body.append(Heading("3. Kết quả bình xét, bỏ phiếu kín", level=2))
        if not conference.polls:
            body.append(placeholder(NO_POLLS))
        for poll in conference.polls:
            p = poll.poll
            body.append(Heading(poll.title, level=3))
            body.append(
                Paragraph(
                    f"Số phiếu phát ra: {p.voters_expected or 0}; số phiếu thu về: "
                    f"{p.ballots_total or 0}; số phiếu hợp lệ: {p.ballots_valid or 0}. "
                    + (
                        f"Ngưỡng: từ {p.threshold_percent}% trở lên "
                        f"({p.get_threshold_base_display()}); được chọn tối đa {p.quota} đơn vị."
                        if p.threshold_percent
                        else f"Được chọn tối đa {p.quota} đơn vị."
                    )
                )
            )
            body.append(poll_result_table(poll))
        body.append(Heading("III. KẾT LUẬN"))
        elected = [
            (poll.poll.title, r.candidate.membership.agency.name)
            for poll in conference.polls
            for r in poll.elected
        ]
        if elected:
            body.append(Paragraph("Hội nghị thống nhất đề nghị khen thưởng các đơn vị sau:"))
            for title, agency in elected:
                body.append(Paragraph(f"- {title}: {agency}."))
        leadership = conference.next_leadership
        if leadership is not None:
            body.append(
                Paragraph(
                    f"Hội nghị thống nhất: năm {year + 1}, {leadership.leader.name} làm "
                    f"{words.leader}, {leadership.deputy.name} làm {words.deputy} "
                    f"({str(leadership.get_method_display()).lower()})."
                )
            )
        body += narrative_paragraphs(bloc_year, texts, NarrativeSection.MEETING_CONCLUSION)
        body.append(
            Paragraph(
                f"Hội nghị kết thúc vào hồi {clock(meeting.ends_at)} cùng ngày. Biên bản đã "
                "được thông qua tại Hội nghị và được các đại biểu dự họp nhất trí./."
            )
        )
        chair, chair_office = person_and_office(meeting.chair)
        secretary, secretary_office = person_and_office(meeting.secretary)
        # The secretary on the left, the chair on the right, on one line.
        signatures = [
            Signature(position=words.secretary, name=secretary, detail=secretary_office),
            Signature(position=words.chair, name=chair, detail=chair_office),
        ]
    required = (
        ()
        if meeting is None
        else (
            ("giờ bắt đầu Hội nghị", str(meeting.starts_at or "")),
            ("giờ kết thúc Hội nghị", str(meeting.ends_at or "")),
            ("người chủ trì Hội nghị", meeting.chair),
            ("thư ký Hội nghị", meeting.secretary),
        )
    )
    return bloc_spec(
        bloc_year,
        required=required,
        kind_name="Biên bản",
        summary=f"Hội nghị tổng kết công tác thi đua, khen thưởng năm {year}",
        number=number,
        date=date,
        draft=draft,
        body=body,
        signatures=signatures,
    )
