"""Demo: the 2023 review. Văn phòng UBND tỉnh (the leader) verifies the nine
self-assessments with a few adjustments (each with its reason), releases the
review; Sở Tư pháp disputes one adjusted item before the deadline (5 January
2024) and the leader accepts it; the final scores are locked, ranked (ties
broken by the "Thực hiện nhiệm vụ chuyên môn" group) and published.

Idempotent: every step is skipped once done. Runs after the scoring step (the
nine submitted assessments) and the awards step (women's share, a tie-break)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from blocs import services
from blocs.enums import AssessmentState, ReviewMode, ReviewStage
from blocs.models import (
    BlocYear,
    BlocYearReview,
    Criterion,
    CriterionGroup,
    Dispute,
    ItemScore,
    SelfAssessment,
)
from blocs.selectors import ranking_for
from emulation.demo import DemoContext
from emulation.models import User

TIE_BREAK_GROUP = "Thực hiện nhiệm vụ chuyên môn"

# agency code → (criterion code, change in points, reason)
ADJUSTMENTS = {
    "snv": (
        "2.1",
        Decimal("-1"),
        "Hai chỉ tiêu chuyên môn chưa đạt theo Báo cáo tổng kết năm 2023 của đơn vị "
        "(chỉ tiêu 3 và 5).",
    ),
    "stp": (
        "3.2",
        Decimal("-0.5"),
        "Còn 03 hồ sơ thủ tục hành chính trễ hạn trên Cổng dịch vụ công của tỉnh "
        "(tháng 8 và tháng 10/2023).",
    ),
    "skhdt": (
        "1.3",
        Decimal("-0.5"),
        "Có 02 nhiệm vụ UBND tỉnh giao hoàn thành quá hạn theo Hệ thống theo dõi nhiệm vụ.",
    ),
    "bdt": (
        "Tr.2",
        Decimal("0.5"),
        "Chậm gửi báo cáo thi đua quý III/2023 so với thời hạn quy định của Khối.",
    ),
    "sngv": (
        "1.4",
        Decimal("-0.25"),
        "Báo cáo đột xuất về công tác đối ngoại tháng 9/2023 gửi chậm 02 ngày.",
    ),
}

DISPUTE = {
    "agency": "stp",
    "criterion": "3.2",
    "explanation": (
        "03 hồ sơ nêu trên trễ hạn do lỗi kết nối của Cổng dịch vụ công ngày 14/8 và "
        "20/10/2023; Văn phòng UBND tỉnh đã có văn bản xác nhận lỗi hệ thống (gửi kèm)."
    ),
    "date": datetime.date(2024, 1, 3),
    "resolution": (
        "Đã đối chiếu văn bản xác nhận lỗi hệ thống của Trung tâm Phục vụ hành chính công; "
        "chấp nhận kiến nghị, giữ nguyên điểm tự chấm."
    ),
}

# A minimal PDF standing for the scanned confirmation letter.
CONFIRMATION_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _step_down(value: Decimal, step: Decimal) -> Decimal:
    return (value // step) * step


def run(ctx: DemoContext) -> None:
    bloc_year = BlocYear.objects.select_related("year", "bloc").get(
        pk=ctx.data["bloc_year_2023"].pk
    )
    review = BlocYearReview.objects.filter(bloc_year=bloc_year).first()
    if review is not None and review.locked_at is not None:
        ctx.log("  review: 2023 already locked and ranked")
        return
    assessments = list(
        SelfAssessment.objects.filter(membership__bloc_year=bloc_year).select_related(
            "membership__agency"
        )
    )
    if not assessments or any(a.state == AssessmentState.DRAFT for a in assessments):
        ctx.log("  review: skipped (the 2023 self-assessments are not all submitted)")
        return
    secretariat = User.objects.get(username="vpubnd.officer")

    if review is None or review.started_at is None:
        group = CriterionGroup.objects.filter(
            table_id=assessments[0].table_id, name=TIE_BREAK_GROUP
        ).first()
        services.review_configure(
            actor=secretariat, bloc_year=bloc_year, mode=ReviewMode.LEADER, tie_break_group=group
        )
        services.review_start(actor=secretariat, bloc_year=bloc_year)
        review = BlocYearReview.objects.get(bloc_year=bloc_year)

    criteria = {c.code: c for c in Criterion.objects.filter(table_id=assessments[0].table_id)}
    for assessment in assessments:
        if assessment.state != AssessmentState.SUBMITTED:
            continue
        change = ADJUSTMENTS.get(assessment.membership.agency.code)
        if change and change[0] in criteria:
            code, delta, reason = change
            criterion = criteria[code]
            item = ItemScore.objects.filter(assessment=assessment, criterion=criterion).first()
            current = item.score if item and item.score is not None else Decimal(0)
            new = min(criterion.max_points, max(Decimal(0), current + delta))
            new = _step_down(new, criterion.step)
            if new != current:
                services.assessment_review_save(
                    actor=secretariat,
                    assessment=assessment,
                    stage=ReviewStage.LEADER,
                    entries={criterion.pk: (new, reason)},
                )
        services.assessment_review_complete(
            actor=secretariat, assessment=assessment, stage=ReviewStage.LEADER
        )

    review.refresh_from_db()
    if review.released_at is None:
        services.review_release(actor=secretariat, bloc_year=bloc_year)

    criterion = criteria.get(DISPUTE["criterion"])
    disputing = next(
        (a for a in assessments if a.membership.agency.code == DISPUTE["agency"]), None
    )
    if (
        criterion is not None
        and disputing is not None
        and not Dispute.objects.filter(item__assessment=disputing).exists()
        and ItemScore.objects.filter(
            assessment=disputing, criterion=criterion, adjustments__isnull=False
        ).exists()
    ):
        officer = User.objects.get(username=f"{DISPUTE['agency']}.officer")
        dispute = services.dispute_open(
            actor=officer,
            assessment=disputing,
            criterion=criterion,
            explanation=DISPUTE["explanation"],
            files=[
                SimpleUploadedFile("xac-nhan-loi-he-thong.pdf", CONFIRMATION_PDF, "application/pdf")
            ],
            today=DISPUTE["date"],
        )
        services.dispute_resolve(
            actor=secretariat, dispute=dispute, accept=True, resolution=DISPUTE["resolution"]
        )

    services.review_lock(actor=secretariat, bloc_year=bloc_year)
    services.ranking_publish(actor=secretariat, bloc_year=bloc_year)

    top = ranking_for(bloc_year)[:3]
    ctx.log(
        "  review: 2023 locked and published; top: "
        + ", ".join(f"{r.rank}. {r.agency.code} {r.total}" for r in top)
    )
