"""One rule decides who sees a poll's tally, on every surface.

A table: for each poll state (open, closed, published, cancelled), every
surface that could show a per-candidate figure (the poll page, the projector,
the progress fragment, the document previews and drafts, the issued vote
count, the admin, the rule a serializer calls) is asked as every role (the
secretariat, the province's council, an administrator, a member's head). The
tally — candidate 0 has 5 votes of 7 ballots, "5/7" and "71,43%" — appears
only once the poll is published, to everybody who sees the bloc-year, and
never for a cancelled poll."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from awards.documents.dossier import dossier_document_issue
from awards.enums import PollState
from awards.rules import tally_is_visible
from awards.services.voting import poll_cancel, poll_close, poll_publish
from emulation.models import IssuedDocument
from tests.factories.meeting import build_conference
from tests.factories.organisation import UserFactory

ROLES = ["secretariat", "council", "superuser", "head"]
STATES = [PollState.OPEN, PollState.CLOSED, PollState.PUBLISHED, PollState.CANCELLED]
MARKERS = ("5/7", "71,43")  # candidate 0's votes of the base, and its share


def _text(response) -> str:
    if response.status_code != 200:
        return ""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        document = Document(io.BytesIO(body))
        parts = [p.text for p in document.paragraphs]
        parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join(parts)
    return body.decode("utf-8", "replace")


def _shows_tally(text: str) -> bool:
    return any(marker in text for marker in MARKERS)


@pytest.fixture
def world(db):
    conf = build_conference(members=9, prefix="tv")
    users = {
        "secretariat": conf.secretariat,
        "council": UserFactory(
            username="tv.council", is_council_staff=True, province=conf.bloc_year.bloc.province
        ),
        "superuser": UserFactory(username="tv.root", is_superuser=True, is_staff=True),
        "head": conf.heads[5],
    }
    poll = conf.open_poll(conf.memberships[:3], code="co_tinh", quota=1, threshold_percent=50)
    for voter, chosen in enumerate([0, 0, 0, 0, 0, 1, 1]):  # 5 and 2 of 7
        conf.cast(poll, voter, [chosen])
    return conf, users, poll


def _to_state(conf, poll, state):
    if state in (PollState.CLOSED, PollState.PUBLISHED, PollState.CANCELLED):
        poll = poll_close(actor=conf.secretariat, poll=poll)
    if state == PollState.PUBLISHED:
        poll = poll_publish(actor=conf.secretariat, poll=poll)
    if state == PollState.CANCELLED:
        poll = poll_cancel(actor=conf.secretariat, poll=poll, reason="Sai sót trong danh sách")
    return poll


def _issue_vote_count(conf):
    """The vote-count minutes, issued if the rule lets them be; None when refused."""
    try:
        return dossier_document_issue(
            actor=conf.secretariat,
            bloc_year=conf.bloc_year,
            slug="vote_count",
            number="01/BB-KTĐ",
            date=datetime.date(2024, 1, 20),
        )
    except ValidationError:
        return None


@pytest.mark.parametrize("state", STATES, ids=[str(s) for s in STATES])
def test_every_surface_shows_the_tally_only_once_the_poll_is_published(world, client, state):
    conf, users, poll = world
    poll = _to_state(conf, poll, state)
    bloc_year, meeting = conf.bloc_year, conf.meeting
    issued = _issue_vote_count(conf)
    surfaces = {
        "poll_page": reverse("awards:poll_detail", args=[poll.pk]),
        "progress": reverse("awards:poll_progress", args=[poll.pk]),
        "projector": reverse("awards:meeting_screen", args=[meeting.pk]),
        "projector_live": reverse("awards:meeting_screen_live", args=[meeting.pk]),
        "vote_count_preview": reverse("awards:document_preview", args=[bloc_year.pk, "vote_count"]),
        "minutes_preview": reverse(
            "awards:document_preview", args=[bloc_year.pk, "meeting_minutes"]
        ),
        "vote_count_draft": reverse(
            "awards:document_draft_download", args=[bloc_year.pk, "vote_count", "docx"]
        ),
        "admin_results": "/admin/awards/result/",
        "admin_audit": "/admin/emulation/auditevent/",
    }
    if issued is not None:
        surfaces["issued_vote_count"] = reverse(
            "documents:issued_document_download", args=[issued.pk, "docx"]
        )

    seen = {}
    for role in ROLES:
        client.force_login(users[role])
        for surface, address in surfaces.items():
            seen[(surface, role)] = _shows_tally(_text(client.get(address)))
        seen[("rule", role)] = tally_is_visible(users[role], poll)

    published = state == PollState.PUBLISHED
    # Who can open each surface at all (elsewhere the answer is 403/404).
    opens = {
        "poll_page": set(ROLES),
        "progress": set(),  # only "k/n have voted", never a tally
        "projector": {"secretariat"},
        "projector_live": {"secretariat"},
        "vote_count_preview": {"secretariat", "superuser"},
        "minutes_preview": {"secretariat", "superuser"},
        "vote_count_draft": {"secretariat", "superuser"},
        "admin_results": set(),  # results are not in the admin at all
        "admin_audit": set(),  # audit events name no candidate's votes
        "issued_vote_count": set(ROLES),
        "rule": set(ROLES),
    }
    expected = {
        (surface, role): published and role in opens[surface]
        for surface in [*surfaces, "rule"]
        for role in ROLES
    }
    assert seen == expected
    # The vote-count minutes are issued only from a published poll.
    assert (issued is not None) == published
    assert IssuedDocument.objects.filter(kind="vote_count").exists() == published


def test_a_poll_closed_beside_a_published_one_stays_out_of_every_document(world, client):
    """The vote-count minutes issued once one poll is published show that
    poll, and nothing of another poll of the same meeting that is closed but
    not published (6 of 7 for its candidate, "85,71%")."""
    conf, users, poll = world
    poll_publish(actor=conf.secretariat, poll=poll_close(actor=conf.secretariat, poll=poll))
    second = conf.open_poll(conf.memberships[3:6], code="co_chinh_phu", quota=1)
    for voter, chosen in enumerate([3, 3, 3, 3, 3, 3, 4]):
        conf.cast(second, voter, [chosen])
    poll_close(actor=conf.secretariat, poll=second)
    issued = _issue_vote_count(conf)
    client.force_login(users["head"])
    address = reverse("documents:issued_document_download", args=[issued.pk, "docx"])

    text = _text(client.get(address))

    assert _shows_tally(text)  # the published poll: 5/7
    assert "6/7" not in text and "85,71" not in text
