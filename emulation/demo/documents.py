"""Demo: the documents of the 2023 dossier of the tmth bloc.

The secretariat (Văn phòng UBND tỉnh) writes the narrative sections of the
year-end report, then issues each document whose data are complete: the
year-end report and the score summary once the ranking is locked; the
minutes, the vote count, the proposal letter, the achievement reports and the
draft decision once a vote has been published. Runs late in STEPS; issues a
document only if no version of it exists (a second run changes nothing).
Last, the dossier of what was issued is assembled, ready to download."""

from __future__ import annotations

import datetime

from awards.documents.builders import documents_for
from awards.documents.dossier import dossier_document_issue
from awards.documents.export import dossier_export_request, dossier_export_run
from awards.documents.narratives import narrative_save
from awards.models import DossierExport
from blocs.models import BlocYear
from emulation.demo import DemoContext
from emulation.documents.services import subject_key_for
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
        "Thanh tra tỉnh đảm nhận vai trò Trưởng khối năm 2024, Sở Tài chính làm Phó khối."
    ),
    "meeting_discussion": (
        "Các đại biểu thống nhất với Báo cáo tổng kết; đề nghị Khối tiếp tục chia sẻ kinh "
        "nghiệm chuyển đổi số và tổ chức tọa đàm giữa năm.\n"
        "Đại diện Sở Nội vụ đề nghị các đơn vị hoàn thiện hồ sơ khen thưởng đúng thời hạn."
    ),
    "meeting_conclusion": (
        "Hội nghị giao Văn phòng UBND tỉnh (Trưởng khối) hoàn thiện hồ sơ đề nghị khen "
        "thưởng, trình Hội đồng Thi đua – Khen thưởng tỉnh trước ngày 31/01/2024."
    ),
}

# Number and date of each document the demo issues (when its data are complete).
ISSUE_AS = {
    DocumentKind.SCORE_SUMMARY: ("02/BTH-KTĐ", datetime.date(2024, 1, 10)),
    DocumentKind.YEAR_END_REPORT: ("01/BC-KTĐ", datetime.date(2024, 1, 15)),
    DocumentKind.MEETING_MINUTES: ("03/BB-KTĐ", datetime.date(2024, 1, 18)),
    DocumentKind.VOTE_COUNT: ("04/BB-KTĐ", datetime.date(2024, 1, 18)),
    DocumentKind.PROPOSAL_LETTER: ("05/TTr-KTĐ", datetime.date(2024, 1, 19)),
    DocumentKind.DRAFT_DECISION: ("/QĐ-UBND", datetime.date(2024, 1, 19)),
    DocumentKind.ACHIEVEMENT_REPORT: ("/BC", datetime.date(2024, 1, 19)),
}


def run(ctx: DemoContext) -> None:
    bloc_year = BlocYear.objects.select_related("bloc", "bloc__province", "year").get(
        bloc__code="tmth", year__year=2023
    )
    secretariat = User.objects.get(username="vpubnd.officer")
    if not DocumentNarrative.objects.filter(bloc_year=bloc_year).exists():
        narrative_save(actor=secretariat, bloc_year=bloc_year, texts=NARRATIVES)

    issued = 0
    for entry in documents_for(bloc_year):
        key = subject_key_for(bloc_year=bloc_year, target=entry.target)
        if (
            entry.missing
            or IssuedDocument.objects.filter(kind=entry.kind, subject_key=key).exists()
        ):
            continue
        number, date = ISSUE_AS[entry.kind]
        dossier_document_issue(
            actor=secretariat, bloc_year=bloc_year, slug=entry.slug, number=number, date=date
        )
        issued += 1
    ctx.log(f"  tmth 2023 documents: {issued} issued, narratives written")

    if issued or not DossierExport.objects.filter(bloc_year=bloc_year).exists():
        # The worker is not running while the demo seeds: assemble it here.
        export = dossier_export_request(actor=secretariat, bloc_year=bloc_year)
        export = dossier_export_run(export_id=export.pk)
        ctx.log(f"  tmth 2023 dossier: {export.documents} documents, {export.pages} pages")
