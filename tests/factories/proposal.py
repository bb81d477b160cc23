"""A bloc-year whose conference has voted and published its results, with the
proposal letter issued: ready for the proposal to the council. Built through
the services (conference, polls, ballots, documents)."""

from __future__ import annotations

import datetime

from awards.enums import AttendanceStatus
from awards.services.meeting import attendance_record, meeting_create
from awards.services.proposal import proposal_create
from awards.services.voting import ballot_cast, poll_close, poll_create, poll_open, poll_publish
from blocs.enums import MemberRole, Phase
from emulation.documents.services import document_issue
from emulation.documents.spec import DocumentSpec, Paragraph
from emulation.enums import AgencyRole, DocumentKind
from tests.factories.meeting import Conference, build_conference
from tests.factories.organisation import AgencyFactory, BlocYearFactory, UserFactory, add_member


def build_conference_in(*, province, members: int, prefix: str, year: int) -> Conference:
    """Like build_conference, in a given province (several blocs share it)."""
    bloc_year = BlocYearFactory(
        bloc__province=province,
        bloc__code=f"{prefix}khoi",
        bloc__name=f"Khối thi đua {prefix}",
        year__province=province,
        year__year=year,
        phase=Phase.VOTING,
    )
    memberships, heads = [], []
    for i in range(members):
        role = MemberRole.LEADER if i == 0 else MemberRole.DEPUTY if i == 1 else MemberRole.MEMBER
        agency = AgencyFactory(province=province, code=f"{prefix}{i}", name=f"Sở {prefix} {i}")
        memberships.append(add_member(bloc_year, agency, role, i))
        heads.append(
            UserFactory(username=f"{prefix}{i}.head", agency=agency, agency_role=AgencyRole.HEAD)
        )
    secretariat = UserFactory(
        username=f"{prefix}0.officer", agency=memberships[0].agency, agency_role=AgencyRole.OFFICER
    )
    meeting = meeting_create(
        actor=secretariat,
        bloc_year=bloc_year,
        date=datetime.date(year + 1, 1, 18),
        place="Hội trường",
        chair="Chủ tọa",
        secretary="Thư ký",
    )
    for i, m in enumerate(memberships):
        attendance_record(
            actor=secretariat,
            meeting=meeting,
            membership=m,
            status=AttendanceStatus.PRESENT,
            representative=f"Đại diện {i}",
        )
    return Conference(bloc_year, memberships, heads, secretariat, meeting)


# Award code → indexes of the members every head votes for (all are elected).
DEFAULT_ELECTED = {"tt_ldxs": [0, 1, 2], "bk_ubnd": [0, 3]}


def vote_and_publish(conf: Conference, elected: dict[str, list[int]]) -> None:
    for code, chosen in elected.items():
        poll = poll_create(
            actor=conf.secretariat,
            meeting=conf.meeting,
            award_type=conf.award(code),
            quota=len(chosen),
            threshold_percent=50,
            candidates=conf.memberships,
        )
        poll_open(actor=conf.secretariat, poll=poll)
        for voter, membership in enumerate(conf.memberships):
            ids = [poll.candidates.get(membership=conf.memberships[i]).pk for i in chosen]
            ballot_cast(
                actor=conf.heads[voter], poll=poll, agency=membership.agency, candidate_ids=ids
            )
        poll_close(actor=conf.secretariat, poll=poll)
        poll_publish(actor=conf.secretariat, poll=poll)


def issue_letter(conf: Conference, *, number: str = "05/TTr-KTĐ"):
    spec = DocumentSpec(
        kind_name="TỜ TRÌNH",
        issuing_agency="KHỐI THI ĐUA",
        place="An Phú",
        date=datetime.date(conf.bloc_year.year.year + 1, 1, 20),
        number=number,
        summary="Về việc đề nghị khen thưởng",
        body=[Paragraph("Khối thi đua đề nghị Hội đồng xét khen thưởng.")],
    )
    return document_issue(
        actor=conf.secretariat,
        kind=DocumentKind.PROPOSAL_LETTER,
        spec=spec,
        title="Tờ trình đề nghị khen thưởng",
        bloc_year=conf.bloc_year,
    )


def build_voted(
    *,
    members: int = 5,
    prefix: str = "p",
    year: int = 2023,
    elected: dict[str, list[int]] | None = None,
    letter: bool = True,
    deadline: datetime.date | None = None,
    province=None,
) -> Conference:
    if province is None:
        conf = build_conference(members=members, prefix=prefix, year=year)
    else:
        conf = build_conference_in(province=province, members=members, prefix=prefix, year=year)
    emulation_year = conf.bloc_year.year
    emulation_year.proposal_deadline = deadline or datetime.date(2100, 1, 31)
    emulation_year.save(update_fields=["proposal_deadline"])
    vote_and_publish(conf, DEFAULT_ELECTED if elected is None else elected)
    if letter:
        issue_letter(conf)
    return conf


def build_proposal(**kwargs):
    conf = build_voted(**kwargs)
    proposal = proposal_create(actor=conf.secretariat, bloc_year=conf.bloc_year)
    conf.extra["proposal"] = proposal
    return conf, proposal
