"""Demo of the start of the year: the province's emulation movements, the
covenants of 2023 and 2024, and the registrations — all nine members in 2023
(with their mid-year and year-end progress), seven of nine in 2024.

Runs after the organisation step and before scoring moves the years into the
self-assessment: registrations happen at the start of the year. The
registrations are back-dated (``today=``) to February of their year, before
the registration deadline, so the services' deadline check applies as it did
then."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from awards.models import AwardType
from blocs import services
from blocs.enums import MovementLauncher, ProgressPeriod
from blocs.models import BlocYear, BlocYearMovement, Covenant, Movement, Registration
from blocs.selectors import covenant_spec
from emulation.demo import DemoContext
from emulation.documents import render_pdf
from emulation.models import User

MOVEMENTS = [
    {
        "key": "ngheo",
        "title": "Phong trào thi đua “Cả nước chung tay vì người nghèo – Không để ai bị bỏ "
        "lại phía sau” giai đoạn 2021–2025",
        "launched_by": MovementLauncher.PRIME_MINISTER,
        "launch_document": "Quyết định số 1258/QĐ-TTg của Thủ tướng Chính phủ",
        "starts_on": datetime.date(2021, 7, 1),
        "ends_on": datetime.date(2025, 12, 31),
        "anniversary": "",
        "description": "Huy động nguồn lực hỗ trợ hộ nghèo, hộ cận nghèo; thực hiện giảm "
        "nghèo đa chiều, bền vững.",
    },
    {
        "key": "cchc",
        "title": "Phong trào thi đua đẩy mạnh cải cách hành chính, chuyển đổi số",
        "launched_by": MovementLauncher.PROVINCE,
        "launch_document": "Kế hoạch số 25/KH-UBND của Ủy ban nhân dân tỉnh",
        "starts_on": datetime.date(2023, 1, 15),
        "ends_on": datetime.date(2025, 12, 31),
        "anniversary": "",
        "description": "Nâng cao chỉ số cải cách hành chính, mức độ hài lòng của người dân; "
        "100% hồ sơ công việc được xử lý trên môi trường mạng.",
    },
    {
        "key": "dbp70",
        "title": "Phong trào thi đua lập thành tích chào mừng kỷ niệm 70 năm Chiến thắng "
        "Điện Biên Phủ",
        "launched_by": MovementLauncher.COUNCIL,
        "launch_document": "Kế hoạch số 03/KH-HĐTĐKT của Hội đồng Thi đua – Khen thưởng tỉnh",
        "starts_on": datetime.date(2024, 1, 10),
        "ends_on": datetime.date(2024, 5, 7),
        "anniversary": "Kỷ niệm 70 năm Chiến thắng Điện Biên Phủ (07/5/1954 – 07/5/2024)",
        "description": "Thi đua hoàn thành sớm các nhiệm vụ trọng tâm của quý I và quý II.",
    },
]

COVENANT_TEXT = """I. MỤC ĐÍCH, YÊU CẦU
Cụ thể hóa các phong trào thi đua do Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh và Hội đồng Thi đua – Khen thưởng tỉnh phát động; tạo khí thế thi đua sôi nổi, hoàn thành xuất sắc nhiệm vụ chính trị năm {year}.
II. NỘI DUNG GIAO ƯỚC
1. Tham mưu kịp thời, chất lượng các nhiệm vụ được Tỉnh ủy, Hội đồng nhân dân và Ủy ban nhân dân tỉnh giao; không để tồn đọng, quá hạn.
2. Đẩy mạnh cải cách hành chính, chuyển đổi số; 100% văn bản được ký số và xử lý trên môi trường mạng.
3. Thực hành tiết kiệm, chống lãng phí; phòng, chống tham nhũng, tiêu cực.
4. Phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến; khen thưởng kịp thời, đúng người, đúng thành tích.
III. TỔ CHỨC THỰC HIỆN
Trưởng khối chủ trì theo dõi, đôn đốc các đơn vị thực hiện giao ước; tổ chức sơ kết giữa năm và tổng kết, bình xét thi đua cuối năm theo quy định."""  # noqa: E501

# (indicator, unit, target value); everyone registers the first two.
COMMON_TARGETS = [
    ("Tỷ lệ hồ sơ thủ tục hành chính, văn bản giải quyết đúng hạn", "%", Decimal("100")),
    ("Tỷ lệ văn bản đi được ký số và gửi trên môi trường mạng", "%", Decimal("95")),
]
OWN_TARGET = {
    "vpubnd": ("Số đề án, báo cáo tham mưu trình Ủy ban nhân dân tỉnh", "đề án", Decimal("24")),
    "ttt": ("Số cuộc thanh tra hành chính hoàn thành", "cuộc", Decimal("18")),
    "stc": ("Tỷ lệ giải ngân vốn đầu tư công", "%", Decimal("95")),
    "snv": ("Số đơn vị được thẩm định vị trí việc làm", "đơn vị", Decimal("40")),
    "stp": ("Số văn bản quy phạm pháp luật được thẩm định", "văn bản", Decimal("60")),
    "sngv": ("Số đoàn khách quốc tế được đón tiếp", "đoàn", Decimal("30")),
    "skhdt": ("Số dự án được cấp quyết định chủ trương đầu tư", "dự án", Decimal("25")),
    "vpdbqh": ("Số kỳ họp, phiên giải trình được phục vụ", "kỳ họp", Decimal("8")),
    "bdt": ("Số hộ đồng bào dân tộc thiểu số được hỗ trợ sinh kế", "hộ", Decimal("500")),
    "sdttg": ("Số cơ sở tín ngưỡng, tôn giáo được hướng dẫn", "cơ sở", Decimal("45")),
}
# Year-end achievement as a share of the target (the rest reach 100%).
SHORTFALL = {"sngv": Decimal("0.9"), "bdt": Decimal("0.96"), "skhdt": Decimal("0.88")}
AWARDS_2023 = {
    "vpubnd": ["tt_ldxs", "co_tinh", "co_chinh_phu"],
    "ttt": ["tt_ldxs", "bk_ubnd"],
}
AWARDS_2024 = {"ttt": ["tt_ldxs", "co_tinh"], "stc": ["tt_ldxs", "bk_ubnd"]}
# 2024: two members have not registered (the secretariat's list shows 7/9).
NOT_REGISTERED_2024 = {"sngv", "vpdbqh"}


def _movements(ctx) -> dict[str, Movement]:
    result = {}
    for spec in MOVEMENTS:
        values = {k: v for k, v in spec.items() if k != "key"}
        movement = Movement.objects.filter(
            province=ctx.data["province"], title=values["title"]
        ).first()
        if movement is None:
            movement = services.movement_create(
                actor=ctx.data["council"], province=ctx.data["province"], **values
            )
        result[spec["key"]] = movement
    return result


def _take_up(bloc_year, movements, secretariat) -> None:
    for movement in movements:
        if not BlocYearMovement.objects.filter(bloc_year=bloc_year, movement=movement).exists():
            services.bloc_year_movement_take_up(
                actor=secretariat,
                bloc_year=bloc_year,
                movement=movement,
                note="Đưa vào nội dung giao ước thi đua của khối.",
            )


def _users(membership) -> tuple[User, User]:
    code = membership.agency.code
    return User.objects.get(username=f"{code}.officer"), User.objects.get(username=f"{code}.head")


def _covenant(bloc_year, secretariat, *, signed_on, number, sign: bool) -> Covenant:
    covenant = Covenant.objects.filter(bloc_year=bloc_year).first()
    if covenant is not None:
        return covenant
    covenant = services.covenant_save(
        actor=secretariat,
        bloc_year=bloc_year,
        signed_on=signed_on,
        place="An Phú",
        number=number,
        content=COVENANT_TEXT.format(year=bloc_year.year.year),
    )
    services.covenant_issue_document(actor=secretariat, covenant=covenant)
    if sign:
        # The demo's "scan" is the issued PDF itself.
        scan = SimpleUploadedFile(
            f"giao-uoc-{bloc_year.year.year}-da-ky.pdf",
            render_pdf(covenant_spec(covenant)),
            content_type="application/pdf",
        )
        covenant = services.covenant_record_signing(actor=secretariat, covenant=covenant, scan=scan)
    return covenant


def _register(membership, award_codes, today) -> Registration:
    officer, head = _users(membership)
    own = OWN_TARGET.get(membership.agency.code)
    for indicator, unit, value in [*COMMON_TARGETS, *([own] if own else [])]:
        services.registration_target_add(
            actor=officer,
            membership=membership,
            indicator=indicator,
            unit=unit,
            target_value=value,
            today=today,
        )
    services.registration_set_award_types(
        actor=officer,
        membership=membership,
        award_types=list(AwardType.objects.filter(code__in=award_codes)),
        today=today,
    )
    return services.registration_submit(actor=head, membership=membership, today=today)


def _report(membership, registration) -> None:
    officer, _head = _users(membership)
    share = SHORTFALL.get(membership.agency.code, Decimal("1"))
    targets = list(registration.targets.all())
    services.target_progress_report(
        actor=officer,
        membership=membership,
        period=ProgressPeriod.MID_YEAR,
        values={
            t.pk: ((t.target_value * Decimal("0.55")).quantize(Decimal("1")), "") for t in targets
        },
    )
    services.target_progress_report(
        actor=officer,
        membership=membership,
        period=ProgressPeriod.YEAR_END,
        values={
            t.pk: (
                (t.target_value * (share if i == len(targets) - 1 else 1)).quantize(
                    Decimal("0.01")
                ),
                "Chưa đạt do một số nhiệm vụ chuyển sang năm sau." if share < 1 else "",
            )
            for i, t in enumerate(targets)
        },
    )


def _secretariat(bloc_year) -> User:
    leader = bloc_year.memberships.select_related("agency").get(role="leader")
    return User.objects.get(username=f"{leader.agency.code}.officer")


def run(ctx: DemoContext) -> None:
    movements = _movements(ctx)

    bloc_year_2023 = BlocYear.objects.get(pk=ctx.data["bloc_year_2023"].pk)
    if not Registration.objects.filter(membership__bloc_year=bloc_year_2023).exists():
        secretariat = _secretariat(bloc_year_2023)
        _take_up(bloc_year_2023, [movements["ngheo"], movements["cchc"]], secretariat)
        _covenant(
            bloc_year_2023,
            secretariat,
            signed_on=datetime.date(2023, 2, 20),
            number="01/GƯTĐ-KTĐ",
            sign=True,
        )
        for membership in bloc_year_2023.memberships.select_related("agency"):
            codes = AWARDS_2023.get(membership.agency.code, ["tt_ldxs"])
            registration = _register(membership, codes, datetime.date(2023, 3, 1))
            _report(membership, registration)

    bloc_year_2024 = BlocYear.objects.get(pk=ctx.data["bloc_year_2024"].pk)
    if not Registration.objects.filter(membership__bloc_year=bloc_year_2024).exists():
        secretariat = _secretariat(bloc_year_2024)
        _take_up(bloc_year_2024, list(movements.values()), secretariat)
        _covenant(
            bloc_year_2024,
            secretariat,
            signed_on=datetime.date(2024, 2, 27),
            number="01/GƯTĐ-KTĐ",
            sign=False,
        )
        for membership in bloc_year_2024.memberships.select_related("agency"):
            if membership.agency.code in NOT_REGISTERED_2024:
                continue
            codes = AWARDS_2024.get(membership.agency.code, ["tt_ldxs"])
            _register(membership, codes, datetime.date(2024, 3, 1))

    for bloc_year in (bloc_year_2023, bloc_year_2024):
        registered = Registration.objects.filter(
            membership__bloc_year=bloc_year, state="submitted"
        ).count()
        ctx.log(
            f"  tmth {bloc_year.year.year}: {registered}/{bloc_year.memberships.count()} "
            "registered, covenant "
            f"{Covenant.objects.get(bloc_year=bloc_year).get_state_display()}"
        )
