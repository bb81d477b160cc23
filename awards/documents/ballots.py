"""Paper ballots for a poll: one per voter, all alike. A ballot names the bloc,
the year, what is voted on, the candidates each with a box to mark, the quota
and how to mark, and the meeting's date — and nothing that could tell one
ballot from another (no name, no serial number), so that a marked ballot
cannot be traced to whoever cast it.

Two ballots stand on an A4 page, one above the other with a line to cut along,
as a secretariat prints them; a ballot with many candidates takes a page."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from awards.enums import PollPurpose
from awards.models import Poll
from awards.selectors.meeting import quorum_of
from awards.selectors.voting import active_candidates
from blocs.documents import place_of, province_committee
from blocs.selectors.organisation import vocabulary_for
from emulation.documents.pdf_renderer import html_to_pdf
from emulation.documents.spec import NATIONAL_MOTTO, NATIONAL_NAME, agency_lines, place_date_line
from emulation.text import download_name

# Up to this many candidates a ballot fits half an A4 page.
HALF_PAGE_CANDIDATES = 8


@dataclass(frozen=True)
class BallotSheet:
    """What every ballot of a poll says, the same on each."""

    superior_lines: list[str]
    agency_lines: list[str]
    subject: str  # "Bình xét, suy tôn Cờ thi đua của UBND tỉnh năm 2023"
    meeting_line: str  # "Hội nghị tổng kết … – An Phú, ngày 15 tháng 01 năm 2024"
    candidates: list[str]
    quota: int

    @property
    def per_page(self) -> int:
        return 2 if len(self.candidates) <= HALF_PAGE_CANDIDATES else 1


def _subject(poll: Poll, year: int) -> str:
    if poll.purpose in (PollPurpose.LEADER, PollPurpose.DEPUTY):
        # The ballot is Vietnamese, in the words of the bloc's province.
        with translation.override("vi"):
            words = vocabulary_for(poll.meeting.bloc_year.bloc.province)
            title = words.leader if poll.purpose == PollPurpose.LEADER else words.deputy
        subject = f"Bầu đơn vị {title} năm {year + 1}"
    else:
        subject = f"Bình xét, suy tôn danh hiệu “{poll.title}” năm {year}"
    return f"{subject} (vòng {poll.round})" if poll.round > 1 else subject


def ballot_sheet(poll: Poll) -> BallotSheet:
    meeting = poll.meeting
    bloc_year = meeting.bloc_year
    year = bloc_year.year.year
    return BallotSheet(
        superior_lines=agency_lines(province_committee(bloc_year)),
        agency_lines=agency_lines(bloc_year.bloc.name),
        subject=_subject(poll, year),
        meeting_line=(
            f"Hội nghị tổng kết công tác thi đua, khen thưởng năm {year} – "
            f"{place_date_line(place_of(bloc_year), meeting.date)}"
        ),
        candidates=[c.membership.agency.name for c in active_candidates(poll)],
        quota=poll.quota,
    )


def voters_entitled(poll: Poll) -> int:
    """How many ballots the poll needs: the voters counted when it opened, or
    else the members present or represented at the meeting, or else (no
    attendance taken yet) every member of the bloc."""
    if poll.voters_expected:
        return poll.voters_expected
    quorum = quorum_of(poll.meeting)
    return quorum.represented or quorum.members


def render_ballots(sheet: BallotSheet, count: int) -> bytes:
    """``count`` identical ballots as one PDF."""
    per_page = sheet.per_page
    pages = [min(per_page, count - start) for start in range(0, count, per_page)]
    html = render_to_string(
        "awards/poll/ballots.html",
        {
            "sheet": sheet,
            "pages": [range(n) for n in pages],
            "national_name": NATIONAL_NAME,
            "national_motto": NATIONAL_MOTTO,
        },
    )
    css = render_to_string("awards/poll/ballots.css", {"half": per_page == 2})
    return html_to_pdf(html, css)


def ballots_filename(poll: Poll) -> str:
    """ "phieu-bau-co-thi-dua-cua-ubnd-tinh-2023.pdf"."""
    year = poll.meeting.bloc_year.year.year
    round_ = f"vòng {poll.round}" if poll.round > 1 else ""
    return download_name("Phiếu bầu", poll.title, year, round_, extension="pdf")
