"""Demo: the documents of the 2023 dossier of the tmth bloc.

The secretariat (Văn phòng UBND tỉnh) writes the narrative sections of the
year-end report, then issues each document whose data are complete: the
year-end report and the score summary once the ranking is locked; the
minutes, the vote count, the proposal letter, the achievement reports and the
draft decision once a vote has been published. Runs late in STEPS; issues a
document only if no version of it exists (a second run changes nothing)."""

from __future__ import annotations

import datetime

from blocs.models import BlocYear
from emulation.demo import DemoContext
from emulation.documents.builders import documents_for
from emulation.documents.builders.sources import conference_of
from emulation.documents.narratives import narrative_save
from emulation.documents.services import document_issue, subject_key_for
from emulation.enums import DocumentKind
from emulation.models import DocumentNarrative, IssuedDocument, User

NARRATIVES = {
    "situation": (
        "Năm 2023, các đơn vị thành viên Khối thực hiện nhiệm vụ trong bối cảnh tình hình "
        "kinh tế – xã hội của tỉnh còn nhiều khó khăn, khối lượng công việc tham mưu lớn.\n"
        "Được sự quan tâm chỉ đạo của Ủy ban nhân dân tỉnh và Hội đồng Thi đua – Khen thưởng "
        "tỉnh, các đơn vị đã đoàn kết, chủ động triển khai các phong trào thi đua."
    ),
    "achievements": (
        "Các đơn vị hoàn thành và hoàn thành vượt mức các chỉ tiêu đã đăng ký; công tác cải "
        "cách hành chính, chuyển đổi số được đẩy mạnh.\n"
        "Công tác tham mưu tổng hợp, thanh tra, tài chính – ngân sách, tổ chức bộ máy được "
        "thực hiện kịp thời, đúng quy định."
    ),
    "assessment": (
        "Ưu điểm: các đơn vị hưởng ứng tích cực phong trào thi đua, tự chấm điểm đúng thời hạn, "
        "có minh chứng đầy đủ.\n"
        "Hạn chế: một số đơn vị gửi báo cáo còn chậm; việc nhân rộng điển hình tiên tiến "
        "chưa thường xuyên."
    ),
    "plan": (
        "Tiếp tục đổi mới nội dung, hình thức tổ chức phong trào thi đua, gắn với nhiệm vụ "
        "chính trị của từng đơn vị.\n"
        "Thanh tra tỉnh đảm nhận vai trò Khối trưởng năm 2024, Sở Tài chính làm Khối phó."
    ),
}

# (kind, number, date) of the documents issued when their data are complete.
RANKED = [
    (DocumentKind.SCORE_SUMMARY, "02/BTH-KTĐ", datetime.date(2024, 1, 10)),
    (DocumentKind.YEAR_END_REPORT, "01/BC-KTĐ", datetime.date(2024, 1, 15)),
]
VOTED = [
    (DocumentKind.MEETING_MINUTES, "03/BB-KTĐ", datetime.date(2024, 1, 18)),
    (DocumentKind.VOTE_COUNT, "04/BB-KTĐ", datetime.date(2024, 1, 18)),
    (DocumentKind.PROPOSAL_LETTER, "05/TTr-KTĐ", datetime.date(2024, 1, 19)),
    (DocumentKind.DRAFT_DECISION, "", datetime.date(2024, 1, 19)),
]


def _ranked(bloc_year: BlocYear) -> bool:
    try:
        from blocs.selectors import ranking_for
    except ImportError:  # pragma: no cover - ranking (issue 5) absent
        return False
    return bool(ranking_for(bloc_year))


def run(ctx: DemoContext) -> None:
    bloc_year = BlocYear.objects.select_related("bloc", "bloc__province", "year").get(
        bloc__code="tmth", year__year=2023
    )
    secretariat = User.objects.get(username="vpubnd.officer")
    if not DocumentNarrative.objects.filter(bloc_year=bloc_year).exists():
        narrative_save(actor=secretariat, bloc_year=bloc_year, texts=NARRATIVES)

    entries = {e.slug: e for e in documents_for(bloc_year)}
    wanted = list(RANKED) if _ranked(bloc_year) else []
    if conference_of(bloc_year).published_polls:
        wanted += VOTED
        wanted += [
            (DocumentKind.ACHIEVEMENT_REPORT, "", datetime.date(2024, 1, 19), slug)
            for slug in entries
            if slug.startswith(DocumentKind.ACHIEVEMENT_REPORT.value)
        ]
    issued = 0
    for kind, number, date, *slug in wanted:
        entry = entries[slug[0] if slug else kind.value]
        key = subject_key_for(bloc_year=bloc_year, target=entry.target)
        if IssuedDocument.objects.filter(kind=kind, subject_key=key).exists():
            continue
        document_issue(
            actor=secretariat,
            kind=kind,
            spec=entry.build(bloc_year, number=number, date=date),
            title=f"{entry.title} năm 2023 – {bloc_year.bloc.name}",
            bloc_year=bloc_year,
            target=entry.target,
        )
        issued += 1
    ctx.log(f"  tmth 2023 documents: {issued} issued, narratives written")
