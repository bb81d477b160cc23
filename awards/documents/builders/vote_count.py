"""Biên bản kiểm phiếu: for each counted poll the ballots issued, received,
valid, invalid and blank, the votes per candidate, and the counting committee."""

from __future__ import annotations

import datetime

from awards.documents.builders.common import NO_MEETING, NO_POLLS, bloc_spec, placeholder
from awards.documents.builders.meeting_minutes import poll_result_table
from awards.documents.builders.sources import conference_of, long_date, vocabulary_of
from awards.enums import PollMode
from blocs.models import BlocYear
from emulation.documents.spec import DocumentSpec, Heading, Paragraph, Signature, Table


def _counter_line(user) -> str:
    name = user.get_full_name()
    return f"{name} – {user.agency.name}" if user.agency_id else name


def build_vote_count(
    bloc_year: BlocYear,
    *,
    number: str = "",
    date: datetime.date | None = None,
    draft: bool = False,
) -> DocumentSpec:
    year = bloc_year.year.year
    conference = conference_of(bloc_year)
    meeting = conference.meeting
    words = vocabulary_of(bloc_year)
    body: list = []
    signatures: list[Signature] = []
    if meeting is None:
        body.append(placeholder(NO_MEETING))
    else:
        body.append(
            Paragraph(
                f"Vào {long_date(meeting.date)}, tại {meeting.place}, {words.counting_board} "
                "Hội nghị "
                f"tổng kết công tác thi đua, khen thưởng năm {year} của {bloc_year.bloc.name} "
                "tiến hành kiểm phiếu bình xét, suy tôn danh hiệu thi đua và hình thức khen "
                "thưởng."
            )
        )
        body.append(Heading(f"I. {words.counting_board.upper()}"))
        if conference.counters:
            for index, user in enumerate(conference.counters, start=1):
                role = words.counting_head if index == 1 else words.counting_member
                body.append(Paragraph(f"{index}. {_counter_line(user)} – {role}."))
        else:
            body.append(
                Paragraph(
                    "Bỏ phiếu kín trực tuyến: phiếu được hệ thống đếm tự động, không gắn với "
                    f"người bỏ phiếu; chưa cử {words.counting_board}.",
                    italic=True,
                )
            )
        body.append(Heading("II. KẾT QUẢ KIỂM PHIẾU"))
        if not conference.polls:
            body.append(placeholder(NO_POLLS))
        for index, poll in enumerate(conference.polls, start=1):
            p = poll.poll
            body.append(Heading(f"{index}. {poll.title}", level=2))
            mode = "phiếu giấy" if p.mode == PollMode.PAPER else "phiếu kín trực tuyến"
            body.append(Paragraph(f"Hình thức: bỏ {mode}; mỗi phiếu chọn tối đa {p.quota} đơn vị."))
            body.append(
                Table(
                    [
                        "Số phiếu phát ra",
                        "Số phiếu thu về",
                        "Số phiếu hợp lệ",
                        "Số phiếu không hợp lệ",
                        "Số phiếu trắng",
                    ],
                    [
                        [
                            str(p.voters_expected or 0),
                            str(p.ballots_total or 0),
                            str(p.ballots_valid or 0),
                            str(p.ballots_invalid or 0),
                            str(p.ballots_blank or 0),
                        ]
                    ],
                    numeric=(0, 1, 2, 3, 4),
                )
            )
            if p.mode == PollMode.PAPER:
                body.append(
                    Paragraph(
                        f"Phiếu giấy do hai thành viên {words.counting_board} kiểm đếm độc lập; "
                        "kết quả "
                        "dưới đây là kết quả hai lần kiểm đếm trùng khớp."
                    )
                )
            body.append(Paragraph("Số phiếu đồng ý của từng đơn vị:"))
            body.append(poll_result_table(poll))
            for result in poll.results:
                if result.overridden:
                    body.append(
                        Paragraph(
                            f"Ghi chú: kết quả của {result.candidate.membership.agency.name} "
                            f"được Hội nghị quyết định: {result.override_reason}.",
                            italic=True,
                        )
                    )
        body.append(
            Paragraph(
                "Biên bản kiểm phiếu được lập và công bố tại Hội nghị; các thành viên "
                f"{words.counting_board} cùng ký tên./."
            )
        )
        for index, user in enumerate(conference.counters):
            signatures.append(
                Signature(
                    position=(words.counting_head_title if index == 0 else words.counting_member),
                    name=user.get_full_name(),
                )
            )
    if not signatures:
        signatures = [Signature(position=words.counting_head_title)]
    return bloc_spec(
        bloc_year,
        kind_name="Biên bản kiểm phiếu",
        summary=f"Bình xét, suy tôn danh hiệu thi đua, hình thức khen thưởng năm {year}",
        number=number,
        date=date,
        draft=draft,
        body=body,
        signatures=signatures,
    )
