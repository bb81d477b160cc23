# ruff: noqa: E501 - the table text is data
"""Demo: the 2023 scoring table (100 points, with bonus and deduction items),
the nine 2023 self-assessments submitted, and 2024 with the table copied and
the window open, the nine assessments in mixed states.

2024 is the interactive year: its deadline is set relative to the day the demo
is first loaded (today + 14 days) so that a visitor can still act."""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from blocs import services as bloc_services
from blocs.enums import CriterionKind, MemberRole, Phase
from blocs.models import (
    BlocYear,
    EmulationYear,
    ItemScore,
    Membership,
    ScoringTable,
    SelfAssessment,
)
from blocs.selectors.assessment import VIETNAM
from blocs.selectors.scoring import table_structure
from blocs.services import assessment as assessment_services
from blocs.services import scoring as scoring_services
from emulation.demo import DemoContext
from emulation.demo.base import AGENCIES
from emulation.models import User

S, B, D = CriterionKind.STANDARD, CriterionKind.BONUS, CriterionKind.DEDUCTION

# (group name, group max, [(code, text, max, kind, step, evidence, n/a, guidance)])
TABLE_2023 = [
    (
        "Công tác tham mưu, chỉ đạo, điều hành",
        20,
        [
            (
                "1.1",
                "Ban hành kế hoạch công tác năm và triển khai kịp thời các văn bản chỉ đạo của Tỉnh ủy, UBND tỉnh",
                4,
                S,
                "0.5",
                True,
                False,
                "Kế hoạch công tác năm ban hành trước ngày 31/01.",
            ),
            (
                "1.2",
                "Chất lượng, tiến độ tham mưu các đề án, chương trình, văn bản quy phạm pháp luật được giao",
                4,
                S,
                "0.25",
                True,
                False,
                "Trừ 0,5 điểm cho mỗi nhiệm vụ chậm tiến độ.",
            ),
            (
                "1.3",
                "Hoàn thành các nhiệm vụ UBND tỉnh, Chủ tịch UBND tỉnh giao đúng hạn",
                4,
                S,
                "0.25",
                True,
                False,
                "Theo số liệu Hệ thống theo dõi nhiệm vụ của UBND tỉnh.",
            ),
            (
                "1.4",
                "Thực hiện chế độ thông tin, báo cáo định kỳ và đột xuất đúng thời gian, đủ nội dung",
                3,
                S,
                "0.25",
                False,
                False,
                "",
            ),
            (
                "1.5",
                "Tổ chức sơ kết, tổng kết, rút kinh nghiệm trong chỉ đạo, điều hành",
                2,
                S,
                "0.5",
                False,
                False,
                "",
            ),
            (
                "1.6",
                "Phối hợp với các thành viên trong Khối thực hiện nhiệm vụ chung",
                3,
                S,
                "0.5",
                False,
                False,
                "",
            ),
        ],
    ),
    (
        "Thực hiện nhiệm vụ chuyên môn",
        30,
        [
            (
                "2.1",
                "Mức độ hoàn thành các chỉ tiêu, nhiệm vụ chuyên môn được giao trong năm",
                8,
                S,
                "0.25",
                True,
                False,
                "Hoàn thành 100% chỉ tiêu: 8 điểm; mỗi chỉ tiêu không đạt trừ 1 điểm.",
            ),
            (
                "2.2",
                "Thực hiện các chương trình, đề án, dự án trọng tâm của ngành",
                5,
                S,
                "0.25",
                True,
                False,
                "",
            ),
            (
                "2.3",
                "Công tác thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo thuộc phạm vi quản lý",
                4,
                S,
                "0.25",
                False,
                False,
                "",
            ),
            (
                "2.4",
                "Công tác phòng, chống tham nhũng, tiêu cực, thực hành tiết kiệm, chống lãng phí",
                4,
                S,
                "0.25",
                False,
                False,
                "",
            ),
            (
                "2.5",
                "Quản lý, sử dụng ngân sách, tài sản công đúng quy định",
                4,
                S,
                "0.25",
                False,
                False,
                "",
            ),
            (
                "2.6",
                "Thực hiện nhiệm vụ hợp tác quốc tế, đối ngoại (nếu được giao)",
                2,
                S,
                "0.5",
                False,
                True,
                "Đơn vị không được giao nhiệm vụ đối ngoại chọn “Không áp dụng”.",
            ),
            (
                "2.7",
                "Công tác bảo đảm quốc phòng, an ninh, trật tự an toàn cơ quan",
                3,
                S,
                "0.5",
                False,
                False,
                "",
            ),
        ],
    ),
    (
        "Cải cách hành chính, chuyển đổi số",
        20,
        [
            (
                "3.1",
                "Kết quả Chỉ số cải cách hành chính (PAR INDEX) của đơn vị",
                5,
                S,
                "0.25",
                True,
                False,
                "Theo kết quả công bố của UBND tỉnh.",
            ),
            (
                "3.2",
                "Giải quyết thủ tục hành chính đúng và trước hạn; không có hồ sơ trễ hạn",
                4,
                S,
                "0.25",
                False,
                True,
                "Đơn vị không có thủ tục hành chính chọn “Không áp dụng”.",
            ),
            (
                "3.3",
                "Tỷ lệ hồ sơ thủ tục hành chính trực tuyến toàn trình",
                3,
                S,
                "0.25",
                False,
                True,
                "",
            ),
            (
                "3.4",
                "Ứng dụng công nghệ thông tin, văn bản điện tử, chữ ký số trong chỉ đạo, điều hành",
                4,
                S,
                "0.25",
                False,
                False,
                "",
            ),
            (
                "3.5",
                "Sắp xếp tổ chức bộ máy, tinh giản biên chế theo kế hoạch",
                2,
                S,
                "0.5",
                False,
                False,
                "",
            ),
            (
                "3.6",
                "Thực hiện quy chế dân chủ ở cơ sở, văn hóa công sở",
                2,
                S,
                "0.5",
                False,
                False,
                "",
            ),
        ],
    ),
    (
        "Công tác xây dựng Đảng, đoàn thể",
        15,
        [
            (
                "4.1",
                "Tổ chức đảng đạt “Hoàn thành tốt nhiệm vụ” trở lên",
                5,
                S,
                "0.5",
                True,
                False,
                "",
            ),
            (
                "4.2",
                "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                3,
                S,
                "0.5",
                False,
                False,
                "",
            ),
            (
                "4.3",
                "Công đoàn cơ sở vững mạnh; chăm lo đời sống người lao động",
                3,
                S,
                "0.5",
                False,
                False,
                "",
            ),
            (
                "4.4",
                "Đoàn thanh niên, hội cựu chiến binh, ban nữ công hoạt động hiệu quả",
                2,
                S,
                "0.5",
                False,
                False,
                "",
            ),
            (
                "4.5",
                "Không có cán bộ, đảng viên bị kỷ luật từ khiển trách trở lên",
                2,
                S,
                "1",
                False,
                False,
                "",
            ),
        ],
    ),
    (
        "Thực hiện phong trào thi đua, khen thưởng",
        15,
        [
            (
                "5.1",
                "Ký kết giao ước thi đua, đăng ký thi đua đầu năm đúng thời hạn",
                3,
                S,
                "0.5",
                True,
                False,
                "",
            ),
            (
                "5.2",
                "Tổ chức các phong trào thi đua thường xuyên, theo đợt, chuyên đề",
                4,
                S,
                "0.25",
                False,
                False,
                "",
            ),
            (
                "5.3",
                "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến",
                3,
                S,
                "0.5",
                False,
                False,
                "",
            ),
            (
                "5.4",
                "Hồ sơ, thủ tục đề nghị khen thưởng đúng quy định, đúng thời hạn",
                3,
                S,
                "0.5",
                False,
                False,
                "",
            ),
            ("5.5", "Tham gia đầy đủ các hoạt động do Khối tổ chức", 2, S, "0.5", False, False, ""),
        ],
    ),
    (
        "Điểm thưởng",
        5,
        [
            (
                "T.1",
                "Có sáng kiến, mô hình mới được cấp có thẩm quyền công nhận",
                2,
                B,
                "0.5",
                True,
                False,
                "Mỗi sáng kiến 1 điểm, tối đa 2 điểm.",
            ),
            (
                "T.2",
                "Được Bộ, ngành Trung ương hoặc UBND tỉnh khen thưởng đột xuất trong năm",
                2,
                B,
                "1",
                True,
                False,
                "",
            ),
            (
                "T.3",
                "Hoàn thành xuất sắc nhiệm vụ đột xuất do Tỉnh ủy, UBND tỉnh giao",
                1,
                B,
                "0.5",
                False,
                False,
                "",
            ),
        ],
    ),
    (
        "Điểm trừ",
        10,
        [
            (
                "Tr.1",
                "Bị cấp có thẩm quyền phê bình, nhắc nhở bằng văn bản",
                3,
                D,
                "1",
                False,
                False,
                "Mỗi văn bản trừ 1 điểm.",
            ),
            (
                "Tr.2",
                "Chậm gửi báo cáo, hồ sơ thi đua theo quy định của Khối",
                2,
                D,
                "0.5",
                False,
                False,
                "Mỗi lần chậm trừ 0,5 điểm.",
            ),
            (
                "Tr.3",
                "Có cán bộ, công chức vi phạm pháp luật bị xử lý",
                5,
                D,
                "1",
                False,
                False,
                "",
            ),
        ],
    ),
]

# How well each agency did (a factor of each standard maximum), and its extras.
QUALITY = {
    "vpubnd": (Decimal("0.97"), {"T.1": "2", "T.3": "1"}, {}),
    "ttt": (Decimal("0.95"), {"T.2": "1"}, {}),
    "stc": (Decimal("0.93"), {"T.1": "1"}, {"Tr.2": "0.5"}),
    "snv": (Decimal("0.94"), {"T.3": "0.5"}, {}),
    "stp": (Decimal("0.91"), {}, {"Tr.1": "1"}),
    "sngv": (Decimal("0.89"), {}, {}),
    "skhdt": (Decimal("0.92"), {"T.1": "1"}, {"Tr.2": "1"}),
    "vpdbqh": (Decimal("0.90"), {}, {}),
    "bdt": (Decimal("0.87"), {}, {"Tr.1": "1", "Tr.2": "0.5"}),
}
NOT_APPLICABLE = {"2.6": {"bdt", "vpdbqh"}, "3.2": {"vpdbqh"}, "3.3": {"vpdbqh", "ttt"}}
NOTES = {
    "1.1": "Kế hoạch công tác năm ban hành ngày 15/01, triển khai đầy đủ.",
    "2.1": "Hoàn thành các chỉ tiêu được giao; chi tiết tại Báo cáo tổng kết năm.",
    "3.1": "Chỉ số PAR INDEX xếp nhóm khá của tỉnh.",
    "4.1": "Chi bộ được đánh giá “Hoàn thành tốt nhiệm vụ”.",
    "5.1": "Ký giao ước thi đua tại Hội nghị Khối ngày 20/02.",
    "T.1": "Sáng kiến được Hội đồng sáng kiến tỉnh công nhận.",
    "Tr.1": "Bị nhắc nhở do chậm báo cáo quý III.",
}
REPORT = (
    "Năm {year}, {agency} đã bám sát sự lãnh đạo, chỉ đạo của Tỉnh ủy, UBND tỉnh, hoàn thành "
    "các nhiệm vụ trọng tâm được giao; tích cực tham gia các phong trào thi đua do Khối phát "
    "động. Bên cạnh kết quả đạt được, đơn vị còn một số hạn chế trong công tác chuyển đổi số "
    "và tiến độ một số nhiệm vụ; năm tới sẽ tập trung khắc phục."
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _score_for(code: str, criterion, rng: random.Random, part: float = 1.0) -> str | None:
    quality, bonus, deduction = QUALITY[code]
    if criterion.kind == B:
        return bonus.get(criterion.code)
    if criterion.kind == D:
        return deduction.get(criterion.code)
    factor = quality + Decimal(rng.randint(-3, 3)) / 100
    raw = min(Decimal(criterion.max_points), Decimal(criterion.max_points) * factor)
    step = Decimal(criterion.step)
    return str((raw / step).to_integral_value(rounding=ROUND_DOWN) * step)


# The year's work plan proves both the plan (1.1) and the advice given under it
# (1.2): the demo's agencies upload it once for the two criteria.
SHARED_EVIDENCE = ("1.1", "1.2")


def _fill(assessment, code, officer, criteria, *, at, part: float = 1.0, seed: int = 0):
    rng = random.Random(f"{code}-{seed}")  # noqa: S311 - deterministic demo data
    count = int(len(criteria) * part)
    shared = []
    for criterion in criteria[:count]:
        if criterion.code in NOT_APPLICABLE and code in NOT_APPLICABLE[criterion.code]:
            assessment_services.item_score_save(
                actor=officer,
                assessment=assessment,
                criterion=criterion,
                field="not_applicable",
                value=True,
                base_version=0,
                at=at,
            )
            continue
        score = _score_for(code, criterion, rng)
        if score is None:
            continue
        item = assessment_services.item_score_save(
            actor=officer,
            assessment=assessment,
            criterion=criterion,
            field="score",
            value=Decimal(score),
            base_version=0,
            at=at,
        )
        if criterion.code in NOTES:
            item = assessment_services.item_score_save(
                actor=officer,
                assessment=assessment,
                criterion=criterion,
                field="note",
                value=NOTES[criterion.code],
                base_version=item.version,
                at=at,
            )
        if criterion.code in SHARED_EVIDENCE and Decimal(score) > 0:
            shared.append(criterion)
        elif criterion.evidence_required and Decimal(score) > 0:
            assessment_services.evidence_add(
                actor=officer,
                assessment=assessment,
                criterion=criterion,
                at=at,
                file=SimpleUploadedFile(
                    f"minh-chung-{criterion.code}-{code}.pdf", PDF, "application/pdf"
                ),
            )
    if shared:  # one file proves both: uploaded once, attached to each
        assessment_services.evidence_attach(
            actor=officer,
            assessment=assessment,
            criteria=shared,
            at=at,
            files=[SimpleUploadedFile(f"ke-hoach-cong-tac-nam-{code}.pdf", PDF, "application/pdf")],
        )


def one_group_table(*, council, year, name: str, rows, bloc=None) -> ScoringTable:
    """A scoring table of one group, "Kết quả thực hiện nhiệm vụ" (100 points),
    with the criteria ``rows`` gives as (code, text, maximum), in order."""
    table = scoring_services.scoring_table_create(actor=council, year=year, bloc=bloc, name=name)
    group = scoring_services.criterion_group_create(
        actor=council, table=table, name="Kết quả thực hiện nhiệm vụ", max_points=100
    )
    for order, (code, text, maximum) in enumerate(rows, start=1):
        scoring_services.criterion_create(
            actor=council, group=group, code=code, text=text, max_points=maximum, order=order
        )
    return table


def _build_table(council, year) -> ScoringTable:
    table = scoring_services.scoring_table_create(
        actor=council, year=year, name=f"Bảng chấm điểm thi đua các Khối năm {year.year}"
    )
    for order, (name, group_max, criteria) in enumerate(TABLE_2023, start=1):
        group = scoring_services.criterion_group_create(
            actor=council, table=table, name=name, max_points=Decimal(group_max), order=order
        )
        for index, (code, text, maximum, kind, step, evidence, na, guidance) in enumerate(
            criteria, start=1
        ):
            scoring_services.criterion_create(
                actor=council,
                group=group,
                code=code,
                text=text,
                max_points=Decimal(maximum),
                kind=kind,
                step=Decimal(step),
                evidence_required=evidence,
                na_allowed=na,
                guidance=guidance,
                order=index,
            )
    return table


def _users(code):
    return (
        User.objects.get(username=f"{code}.officer"),
        User.objects.get(username=f"{code}.head"),
    )


def _year_2024(ctx, council) -> BlocYear:
    province, bloc = ctx.data["province"], ctx.data["bloc"]
    year = EmulationYear.objects.filter(province=province, year=2024).first()
    if year is None:
        today = timezone.localdate()
        year = bloc_services.emulation_year_create(
            actor=council,
            province=province,
            year=2024,
            registration_deadline=today - datetime.timedelta(days=200),
            self_assessment_opens=today - datetime.timedelta(days=7),
            self_assessment_deadline=today + datetime.timedelta(days=14),
            review_deadline=today + datetime.timedelta(days=28),
            dispute_deadline=today + datetime.timedelta(days=35),
            proposal_deadline=today + datetime.timedelta(days=60),
        )
    ctx.data.setdefault("year_2024", year)
    bloc_year = BlocYear.objects.filter(bloc=bloc, year=year).first()
    if bloc_year is None:
        bloc_year = bloc_services.bloc_year_create(actor=council, bloc=bloc, year=year)

        codes = [a[0] for a in AGENCIES]
        codes = codes[1:] + codes[:1]  # the lead rotates to ttt, stc deputises
        for order, code in enumerate(codes, start=1):
            role = {"ttt": MemberRole.LEADER, "stc": MemberRole.DEPUTY}.get(code, MemberRole.MEMBER)
            bloc_services.membership_add(
                actor=council,
                bloc_year=bloc_year,
                agency=ctx.data["agencies"][code],
                role=role,
                rotation_order=order,
            )
        for phase in (Phase.REGISTRATION, Phase.IN_PROGRESS):
            bloc_services.bloc_year_advance(actor=council, bloc_year=bloc_year, to=phase)
    ctx.data.setdefault("bloc_year_2024", bloc_year)
    return bloc_year


def run(ctx: DemoContext) -> None:
    council = ctx.data["council"]
    year_2023 = ctx.data["year_2023"]
    bloc_year_2023 = BlocYear.objects.get(pk=ctx.data["bloc_year_2023"].pk)

    table_2023 = ScoringTable.objects.filter(year=year_2023, bloc=None).order_by("version").first()
    if table_2023 is None:
        table_2023 = _build_table(council, year_2023)
    ctx.data["scoring_table_2023"] = table_2023

    # 2023: the window opened on 20/11/2023; all nine submitted before 10/12/2023.
    if not SelfAssessment.objects.filter(membership__bloc_year=bloc_year_2023).exists():
        secretariat = User.objects.get(username="vpubnd.officer")
        if Phase(bloc_year_2023.phase).index < Phase.SELF_ASSESSMENT.index:
            scoring_services.bloc_year_open_self_assessment(
                actor=secretariat, bloc_year=bloc_year_2023
            )
        _groups, criteria = table_structure(table_2023)
        for day, membership in enumerate(
            Membership.objects.filter(bloc_year=bloc_year_2023).select_related("agency"), start=1
        ):
            code = membership.agency.code
            officer, head = _users(code)
            at = datetime.datetime(2023, 12, 1 + day % 9, 9, 30, tzinfo=VIETNAM)
            assessment = SelfAssessment.objects.get(membership=membership)
            _fill(assessment, code, officer, criteria, at=at, seed=2023)
            assessment.refresh_from_db()
            assessment_services.assessment_save_report(
                actor=officer,
                assessment=assessment,
                base_version=assessment.report_version,
                report=REPORT.format(year=2023, agency=membership.agency.name),
                at=at,
            )
            assessment_services.assessment_submit(
                actor=head, assessment=assessment, at=at + datetime.timedelta(hours=6)
            )

    # 2024: the table copied from 2023, the window open, nine assessments in mixed states.
    bloc_year_2024 = _year_2024(ctx, council)
    year_2024 = bloc_year_2024.year
    table_2024 = ScoringTable.objects.filter(year=year_2024, bloc=None).order_by("version").first()
    if table_2024 is None:
        table_2024 = scoring_services.scoring_table_copy(
            actor=council,
            table=table_2023,
            year=year_2024,
            bloc=None,
            name="Bảng chấm điểm thi đua các Khối năm 2024",
        )
    ctx.data["scoring_table_2024"] = table_2024
    if Phase(bloc_year_2024.phase).index >= Phase.SELF_ASSESSMENT.index:
        ctx.log(f"  scoring: 2023 table {table_2023.criteria.count()} criteria; 2024 already open")
        return
    leader = User.objects.get(username="ttt.officer")
    if bloc_year_2024.phase == Phase.REGISTRATION:
        # Registration closed on 15/03/2024, with two members unregistered.
        bloc_services.bloc_year_advance(
            actor=leader, bloc_year=bloc_year_2024, to=Phase.IN_PROGRESS
        )
    scoring_services.bloc_year_open_self_assessment(actor=leader, bloc_year=bloc_year_2024)
    _groups, criteria = table_structure(table_2024)
    plan = {
        "vpubnd": "submitted",
        "stc": "submitted",
        "vpdbqh": "submitted",
        "snv": "returned",
        "skhdt": "complete",
        "ttt": "partial",
        "stp": "partial",
        "sngv": "none",
        "bdt": "none",
    }
    for membership in Membership.objects.filter(bloc_year=bloc_year_2024).select_related("agency"):
        code = membership.agency.code
        what = plan.get(code, "none")
        if what == "none":
            continue
        officer, head = _users(code)
        assessment = SelfAssessment.objects.get(membership=membership)
        _fill(
            assessment,
            code,
            officer,
            criteria,
            at=None,
            part=0.5 if what == "partial" else 1.0,
            seed=2024,
        )
        if what != "partial":
            assessment.refresh_from_db()
            assessment_services.assessment_save_report(
                actor=officer,
                assessment=assessment,
                base_version=assessment.report_version,
                report=REPORT.format(year=2024, agency=membership.agency.name),
            )
        if what in ("submitted", "returned"):
            assessment_services.assessment_submit(actor=head, assessment=assessment)
        if what == "returned":
            assessment_services.assessment_return(
                actor=leader,
                assessment=assessment,
                reason="Tiêu chí 2.1 chưa có báo cáo kết quả thực hiện chỉ tiêu kèm theo; "
                "đề nghị bổ sung minh chứng và rà soát lại điểm tự chấm.",
            )
    items = ItemScore.objects.filter(assessment__membership__bloc_year__bloc=ctx.data["bloc"])
    ctx.log(f"  scoring: {items.count()} item scores in 2023 and 2024")
