"""A bloc-year whose conference has voted and published its results, with the
proposal letter issued: ready for the proposal to the council. Built through
the services (conference, polls, ballots, documents)."""

from __future__ import annotations

import datetime

from awards.services.proposal import proposal_create
from awards.services.voting import poll_close, poll_publish
from emulation.documents.services import document_issue
from emulation.documents.spec import DocumentSpec, Paragraph
from emulation.enums import DocumentKind
from tests.factories.meeting import Conference, build_conference

# Award code → indexes of the members every head votes for (all are elected).
DEFAULT_ELECTED = {"tt_ldxs": [0, 1, 2], "bk_ubnd": [0, 3]}


def vote_and_publish(conf: Conference, elected: dict[str, list[int]]) -> None:
    for code, chosen in elected.items():
        poll = conf.open_poll(code=code, quota=len(chosen), threshold_percent=50, base=None)
        for voter in range(len(conf.memberships)):
            conf.cast(poll, voter, chosen)
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
        conf = build_conference(
            members=members,
            prefix=prefix,
            year=year,
            province=province,
            agency_names=f"Sở {prefix} {{i}}",
        )
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
