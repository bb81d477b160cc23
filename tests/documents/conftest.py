"""A bloc-year with everything its documents read: self-assessments with scores
and narrative reports, a conference with attendance, a counting committee and a
published poll, award history and facts.

The scoring table, the meeting, the poll and the history are built through
the services (tests/factories). The submitted self-assessments are written
with the ORM: the conference's bloc-year is past the self-assessment window."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from decimal import Decimal

import pytest
from docx import Document

from awards.documents.narratives import narrative_save
from awards.models import AwardType, Result
from awards.services.meeting import counter_add
from awards.services.voting import poll_close, poll_publish
from blocs.enums import CriterionKind
from tests.factories.assessment import ItemScoreFactory, SelfAssessmentFactory
from tests.factories.awards import AgencyFactFactory, AwardRecordFactory
from tests.factories.meeting import build_conference
from tests.factories.scoring import CriterionFactory, CriterionGroupFactory, ScoringTableFactory

PDFTOTEXT = "/usr/bin/pdftotext"
D = Decimal

# Self scores per member (criterion 1.1, 1.2, bonus 2.1, deduction 2.2); member 0 leads.
SCORES = [
    (D("38.5"), D("40"), D("5"), D("0")),  # 83,5
    (D("35"), D("38.25"), D("2"), D("1")),  # 74,25
    (D("40"), D("40"), D("10"), D("0")),  # 90
    (D("30"), D("30"), D("0"), D("2.5")),  # 57,5
]


@dataclass
class Dossier:
    conference: object
    bloc_year: object
    memberships: list
    secretariat: object
    poll: object
    award: AwardType


def _scoring(bloc_year, memberships):
    table = ScoringTableFactory(year=bloc_year.year, name="Bảng chấm điểm năm 2023")
    g1 = CriterionGroupFactory(
        table=table, order=1, name="Thực hiện nhiệm vụ chuyên môn", max_points=D(80)
    )
    g2 = CriterionGroupFactory(table=table, order=2, name="Điểm thưởng, điểm trừ", max_points=D(10))
    criteria = [
        CriterionFactory(group=g1, code="1.1", text="A", max_points=D(40), step=D("0.25")),
        CriterionFactory(group=g1, code="1.2", text="B", max_points=D(40), step=D("0.25")),
        CriterionFactory(
            group=g2,
            code="2.1",
            text="C",
            max_points=D(10),
            step=D("0.25"),
            kind=CriterionKind.BONUS,
        ),
        CriterionFactory(
            group=g2,
            code="2.2",
            text="D",
            max_points=D(5),
            step=D("0.25"),
            kind=CriterionKind.DEDUCTION,
        ),
    ]
    for membership, scores in zip(memberships, SCORES, strict=True):
        assessment = SelfAssessmentFactory(
            membership=membership,
            table=table,
            report=(
                f"{membership.agency.name} hoàn thành 100% chỉ tiêu được giao.\n"
                "Đẩy mạnh cải cách hành chính, chuyển đổi số."
            ),
        )
        for criterion, score in zip(criteria, scores, strict=True):
            ItemScoreFactory(assessment=assessment, criterion=criterion, score=score)


def build_dossier(*, prefix: str = "d", publish: bool = True) -> Dossier:
    conf = build_conference(members=4, prefix=prefix)
    bloc_year, memberships = conf.bloc_year, conf.memberships
    _scoring(bloc_year, memberships)
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=conf.heads[1])
    counter_add(actor=conf.secretariat, meeting=conf.meeting, user=conf.heads[2])
    award = AwardType.objects.get(code="co_tinh")
    poll = conf.open_poll(code="co_tinh", quota=1, threshold_percent=50, base=None)
    # Member 2 gets three votes of four, member 0 one.
    for voter, chosen in enumerate([2, 2, 2, 0]):
        conf.cast(poll, voter, [chosen])
    poll = poll_close(actor=conf.secretariat, poll=poll)
    if publish:
        poll = poll_publish(actor=conf.secretariat, poll=poll)
    assert Result.objects.filter(poll=poll, elected=True).count() == 1
    AwardRecordFactory(agency=memberships[2].agency, year=2022, decision_number="125/QĐ-UBND")
    AgencyFactFactory(
        agency=memberships[2].agency, year=2023, rating="excellent", women_percent=D("62.5")
    )
    narrative_save(
        actor=conf.secretariat,
        bloc_year=bloc_year,
        texts={
            "situation": "Năm 2023, các đơn vị thành viên triển khai nhiệm vụ trong bối cảnh "
            "nhiều khó khăn.",
            "assessment": "Ưu điểm: các đơn vị hưởng ứng tích cực. Hạn chế: nộp hồ sơ chậm.",
            "plan": "Tiếp tục đổi mới nội dung, hình thức thi đua.",
            "meeting_conclusion": "Hội nghị thống nhất giao Văn phòng soạn thảo hồ sơ.",
        },
    )
    return Dossier(conf, bloc_year, memberships, conf.secretariat, poll, award)


@pytest.fixture
def dossier(db) -> Dossier:
    return build_dossier()


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def pdf_text(data: bytes, tmp_path, *, layout: bool = False) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    args = [PDFTOTEXT, *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def squash(text: str) -> str:
    """Collapse whitespace so that a sentence wrapped over lines still matches."""
    return " ".join(text.split())
