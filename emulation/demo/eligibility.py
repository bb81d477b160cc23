"""Demo of the outcomes the tmth bloc does not show: a second bloc of 2023,
Khối thi đua các cơ quan Kinh tế – Kỹ thuật (ktkt), ranked through the same
steps as any year, and the council's province-wide choice for the
Government's flag.

2023, considered at the bloc's conference of 16/01/2024 (Nghị định 98/2023):
- Sở Công Thương and Sở VHTTDL share the first rank after the tie-breaks
  (same score, same share of women); the conference chose Sở Công Thương as
  the collective leading the bloc: it is eligible for both flags ("chosen by
  the conference"), Sở VHTTDL is "not the collective leading the bloc";
- Sở VHTTDL, rated "hoàn thành tốt", 72% Lao động tiên tiến and nobody
  disciplined, registered for it: Tập thể lao động tiên tiến (Art. 28);
- Sở Giao thông vận tải: press reports of wrongdoing being verified → no award;
- Sở Nông nghiệp và PTNT: an examination with signs of violation, open → no award;
- Sở Tài nguyên và Môi trường: an inspection concluded on 10/01/2024 with a
  violation for 2023 → no award for 2023;
- Sở Y tế: discipline being considered; Sở Khoa học và Công nghệ: an
  investigation with signs of violation → no award;
- Sở VHTTDL's one-off achievement (its evidence recorded) → the Chairman's
  Bằng khen.
The council chose Văn phòng UBND tỉnh (tmth) and Sở Công Thương (ktkt) for
the Government's flag at its meeting of 20/02/2024.

2025: the bloc's list was drawn up with its seven members before the
reorganisation; on 01/03/2025 Sở Tài nguyên và Môi trường was merged into Sở
Nông nghiệp và PTNT and dissolved. Considered after that (Nghị định
152/2025), it is "not eligible" for every award: a unit dissolved in the
reorganisation receives none (Thông tư 15/2025/TT-BNV).

Every row is built through the services; a second run changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from awards.enums import DisqualificationKind, TaskRating
from awards.models import (
    AgencyYearFact,
    AwardType,
    Disqualification,
    GovernmentFlagChoice,
    LeadingChoice,
    Meeting,
)
from awards.services import (
    agency_fact_set,
    disqualification_add,
    government_flag_choose,
    leading_choose,
)
from awards.services import meeting as meeting_services
from blocs import services as bloc_services
from blocs.enums import LineageKind, Phase, ReviewMode, ReviewStage
from blocs.models import Agency, Bloc, BlocYear, Criterion, Membership, ScoringTable, SelfAssessment
from blocs.services import assessment as assessment_services
from blocs.services import registration as registration_services
from blocs.services import review as review_services
from blocs.services import scoring as scoring_services
from emulation.demo import DEMO_PASSWORD, DemoContext
from emulation.demo.base import agency_wound_up, bloc_year_with_members
from emulation.demo.scoring import one_group_table
from emulation.enums import AgencyRole
from emulation.models import User
from emulation.services import user_create

BLOC = ("ktkt", "Khối thi đua các cơ quan Kinh tế – Kỹ thuật")
YEAR = 2023
X, T = TaskRating.EXCELLENT, TaskRating.GOOD

# (code, name, short name, head, officer, share of the maximum score,
#  rating 2023, women %, registered award codes,
#  (people, completed their tasks, LĐTT, CSTĐCS, disciplined at warning+))
MEMBERS = [
    (
        "sct",
        "Sở Công Thương",
        "Sở Công Thương",
        "Trương Văn Nghĩa",
        "Lâm Thị Duyên",
        Decimal("0.95"),
        X,
        "45.0",
        ("co_tinh", "co_chinh_phu", "tt_ldxs"),
        (52, 52, 40, 2, 0),
    ),
    (
        "svhttdl",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở VHTTDL",
        "Đinh Công Toàn",
        "Hà Thị Kim Oanh",
        Decimal("0.95"),
        T,
        "45.0",
        ("co_tinh", "tt_ldtt"),
        (50, 50, 36, 0, 0),
    ),
    (
        "sgtvt",
        "Sở Giao thông vận tải",
        "Sở GTVT",
        "Kiều Quang Hải",
        "Võ Thị Bích",
        Decimal("0.91"),
        X,
        "38.0",
        ("tt_ldxs",),
        (60, 60, 45, 2, 0),
    ),
    (
        "snnptnt",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở NN&PTNT",
        "Lục Văn Thành",
        "Ninh Thị Hoa",
        Decimal("0.89"),
        X,
        "41.5",
        ("tt_ldxs",),
        (70, 70, 53, 3, 0),
    ),
    (
        "stnmt",
        "Sở Tài nguyên và Môi trường",
        "Sở TN&MT",
        "Quách Minh Tuấn",
        "Âu Thị Liên",
        Decimal("0.87"),
        X,
        "40.0",
        ("tt_ldxs",),
        (48, 48, 36, 1, 0),
    ),
    (
        "syt",
        "Sở Y tế",
        "Sở Y tế",
        "Mạc Thị Thanh Tâm",
        "Chu Văn Khải",
        Decimal("0.86"),
        X,
        "68.0",
        ("tt_ldxs",),
        (90, 90, 70, 4, 0),
    ),
    (
        "skhcn",
        "Sở Khoa học và Công nghệ",
        "Sở KH&CN",
        "Tôn Thất Bình",
        "Giang Thị Mỹ",
        Decimal("0.85"),
        X,
        "47.0",
        ("tt_ldxs",),
        (30, 30, 24, 1, 0),
    ),
]
# 2023: achievements recorded with their evidence (Law Art. 74).
ACHIEVEMENTS = {
    "svhttdl": {
        "one_off": "Quyết định số 1502/QĐ-UBND ngày 18/9/2023: thành tích đột xuất trong tổ chức "
        "Đại hội Thể dục thể thao tỉnh lần thứ IX"
    },
}
LEADER, DEPUTY = "sct", "svhttdl"

TABLE = [
    ("I.1", "Hoàn thành các chỉ tiêu, nhiệm vụ được giao năm 2023", Decimal(60)),
    ("I.2", "Tổ chức các phong trào thi đua, công tác khen thưởng", Decimal(25)),
    ("I.3", "Thực hiện giao ước thi đua của Khối", Decimal(15)),
]

CONFERENCE = datetime.date(2024, 1, 16)
LEADING_SOURCE = (
    "Biên bản Hội nghị tổng kết Khối ngày 16/01/2024: Sở Công Thương và Sở VHTTDL đồng hạng "
    "nhất; hội nghị biểu quyết chọn Sở Công Thương là tập thể dẫn đầu Khối"
)

# (agency, kind, source, from, until, signs of violation, violation found, description)
CASES = [
    (
        "sgtvt",
        DisqualificationKind.PRESS,
        "Công văn số 41/UBND-NC ngày 08/01/2024 giao xác minh nội dung báo nêu",
        datetime.date(2024, 1, 8),
        None,
        False,
        None,
        "Xác minh thông tin báo chí phản ánh về sai phạm trong nghiệm thu công trình",
    ),
    (
        "snnptnt",
        DisqualificationKind.EXAMINATION,
        "Quyết định kiểm tra số 12/QĐ-STC ngày 04/12/2023",
        datetime.date(2023, 12, 4),
        None,
        True,
        None,
        "Kiểm tra việc sử dụng kinh phí hỗ trợ sản xuất; có dấu hiệu vi phạm",
    ),
    (
        "stnmt",
        DisqualificationKind.INSPECTION,
        "Kết luận thanh tra số 03/KL-TTr ngày 10/01/2024 của Thanh tra tỉnh",
        datetime.date(2023, 9, 1),
        datetime.date(2024, 1, 10),
        True,
        True,
        "Thanh tra việc cấp giấy chứng nhận quyền sử dụng đất; kết luận có vi phạm năm 2023",
    ),
    (
        "syt",
        DisqualificationKind.DISCIPLINE_CONSIDERED,
        "Thông báo số 05/TB-HĐKL ngày 05/01/2024 của Hội đồng kỷ luật",
        datetime.date(2024, 1, 5),
        None,
        False,
        None,
        "Xem xét kỷ luật tập thể lãnh đạo về việc để xảy ra sai phạm trong đấu thầu thuốc",
    ),
    (
        "skhcn",
        DisqualificationKind.INVESTIGATION,
        "Quyết định khởi tố vụ án số 21/QĐ-CSKT ngày 11/12/2023 của Công an tỉnh",
        datetime.date(2023, 12, 11),
        None,
        True,
        None,
        "Điều tra vụ việc liên quan đến gói thầu mua sắm thiết bị; có dấu hiệu vi phạm",
    ),
]

# 2025: the same members, rotation moved on; one of them dissolved on 01/03/2025.
YEAR_2025, LEADER_2025, DEPUTY_2025 = 2025, "svhttdl", "sgtvt"
DISSOLVED = (
    "stnmt",
    "snnptnt",
    datetime.date(2025, 3, 1),
    "Nghị quyết số 12/NQ-HĐND ngày 21/02/2025 của HĐND tỉnh",
    "Giải thể khi hợp nhất Sở Tài nguyên và Môi trường vào Sở Nông nghiệp và Phát triển "
    "nông thôn (thành Sở Nông nghiệp và Môi trường)",
)

COUNCIL_MEETING = datetime.date(2024, 2, 20)
COUNCIL_SOURCE = "Biên bản họp Hội đồng Thi đua – Khen thưởng tỉnh số 02/BB-HĐTĐKT ngày 20/02/2024"
FLAG_CHOSEN = ("vpubnd", "sct")


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _agencies_and_users(ctx, province) -> dict[str, Agency]:
    agencies = {}
    for code, name, short, head, officer, *_rest in MEMBERS:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            agency = bloc_services.agency_create(
                actor=ctx.data["council"], province=province, code=code, name=name, short_name=short
            )
        agencies[code] = agency
        for role, full_name in ((AgencyRole.OFFICER, officer), (AgencyRole.HEAD, head)):
            username = f"{code}.{role.value}"
            if not User.objects.filter(username=username).exists():
                user_create(
                    actor=ctx.data["admin"],
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    agency=agency,
                    agency_role=role,
                )
    return agencies


def _bloc_year(ctx, council, agencies) -> BlocYear:
    province, year = ctx.data["province"], ctx.data["year_2023"]
    bloc = Bloc.objects.filter(code=BLOC[0]).first()
    if bloc is None:
        bloc = bloc_services.bloc_create(
            actor=council, province=province, code=BLOC[0], name=BLOC[1]
        )
    return bloc_year_with_members(
        council=council,
        bloc=bloc,
        year=year,
        codes=[m[0] for m in MEMBERS],
        agencies=agencies,
        leader=LEADER,
        deputy=DEPUTY,
    )


def _registered(bloc_year, council) -> None:
    if bloc_year.phase == Phase.SETUP:
        bloc_services.bloc_year_advance(actor=council, bloc_year=bloc_year, to=Phase.REGISTRATION)
        bloc_year.refresh_from_db()
    if bloc_year.phase != Phase.REGISTRATION:
        return
    day = datetime.date(YEAR, 3, 1)
    codes = {m[0]: m[8] for m in MEMBERS}
    for membership in bloc_year.memberships.select_related("agency"):
        code = membership.agency.code
        officer = User.objects.get(username=f"{code}.officer")
        registration_services.registration_target_add(
            actor=officer,
            membership=membership,
            indicator="Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
            unit="%",
            target_value=Decimal(98),
            today=day,
        )
        registration_services.registration_set_award_types(
            actor=officer,
            membership=membership,
            award_types=list(AwardType.objects.filter(code__in=codes[code])),
            today=day,
        )
        registration_services.registration_submit(
            actor=User.objects.get(username=f"{code}.head"), membership=membership, today=day
        )
    bloc_services.bloc_year_advance(actor=council, bloc_year=bloc_year, to=Phase.IN_PROGRESS)
    bloc_year.refresh_from_db()


def _facts(agencies, council) -> None:
    for code, *_names, _share, rating, women, _codes, staff in MEMBERS:
        if AgencyYearFact.objects.filter(agency=agencies[code], year=YEAR).exists():
            continue
        total, completed, ldtt, cstdcs, disciplined = staff
        agency_fact_set(
            actor=council,
            agency=agencies[code],
            year=YEAR,
            rating=rating,
            women_percent=women,
            source_document=f"Quyết định xếp loại năm {YEAR} của UBND tỉnh",
            staff_total=total,
            staff_completed=completed,
            staff_ldtt=ldtt,
            staff_cstdcs=cstdcs,
            staff_disciplined=disciplined,
            **ACHIEVEMENTS.get(code, {}),
        )


def _ranked(bloc_year, council) -> None:
    """Scored, reviewed, locked and published, as any year is."""
    secretariat = User.objects.get(username=f"{LEADER}.officer")
    if bloc_year.phase == Phase.IN_PROGRESS:
        table = ScoringTable.objects.filter(year=bloc_year.year, bloc=bloc_year.bloc).first()
        if table is None:
            one_group_table(
                council=council,
                year=bloc_year.year,
                bloc=bloc_year.bloc,
                name=f"Bảng chấm điểm {BLOC[1]} năm {YEAR}",
                rows=TABLE,
            )
        scoring_services.bloc_year_open_self_assessment(
            actor=council, bloc_year=bloc_year, today=bloc_year.year.self_assessment_opens
        )
        bloc_year.refresh_from_db()
    if bloc_year.phase != Phase.SELF_ASSESSMENT:
        return
    at = _at(bloc_year.year.self_assessment_deadline)
    shares = {m[0]: m[5] for m in MEMBERS}
    assessments = list(
        SelfAssessment.objects.filter(membership__bloc_year=bloc_year).select_related(
            "membership__agency", "table"
        )
    )
    for assessment in assessments:
        code = assessment.membership.agency.code
        for criterion in Criterion.objects.filter(table=assessment.table):
            assessment_services.item_score_save(
                actor=User.objects.get(username=f"{code}.officer"),
                assessment=assessment,
                criterion=criterion,
                field="score",
                value=(criterion.max_points * shares[code] / criterion.step).to_integral_value(
                    rounding=ROUND_DOWN
                )
                * criterion.step,
                base_version=0,
                at=at,
            )
        assessment_services.assessment_submit(
            actor=User.objects.get(username=f"{code}.head"), assessment=assessment, at=at
        )
    review_services.review_configure(actor=secretariat, bloc_year=bloc_year, mode=ReviewMode.LEADER)
    review_services.review_start(actor=secretariat, bloc_year=bloc_year)
    for assessment in assessments:
        review_services.assessment_review_complete(
            actor=secretariat, assessment=assessment, stage=ReviewStage.LEADER
        )
    review_services.review_release(actor=secretariat, bloc_year=bloc_year)
    review_services.review_lock(actor=secretariat, bloc_year=bloc_year)
    review_services.ranking_publish(actor=secretariat, bloc_year=bloc_year)
    bloc_year.refresh_from_db()


def _conference(bloc_year) -> None:
    """The conference's date is the bloc's date of consideration; it chose the
    leader between the two members sharing the first rank."""
    secretariat = User.objects.get(username=f"{LEADER}.officer")
    if not Meeting.objects.filter(bloc_year=bloc_year).exists():
        meeting_services.meeting_create(
            actor=secretariat,
            bloc_year=bloc_year,
            date=CONFERENCE,
            place="Hội trường Sở Công Thương",
            chair="Trương Văn Nghĩa, Giám đốc Sở Công Thương, Trưởng khối",
            secretary="Lâm Thị Duyên, chuyên viên Sở Công Thương",
            starts_at=datetime.time(8, 0),
            ends_at=datetime.time(11, 0),
        )
    if not LeadingChoice.objects.filter(bloc_year=bloc_year).exists():
        leading_choose(
            actor=secretariat,
            bloc_year=bloc_year,
            membership=bloc_year.memberships.get(agency__code=LEADER),
            source_document=LEADING_SOURCE,
        )


def _cases(agencies, council) -> None:
    for code, kind, source, start, end, signs, found, description in CASES:
        agency = agencies[code]
        if Disqualification.objects.filter(agency=agency, kind=kind).exists():
            continue
        disqualification_add(
            actor=council,
            agency=agency,
            year=YEAR,
            kind=kind,
            source_document=source,
            started_on=start,
            ended_on=end,
            description=description,
            signs_of_violation=signs,
            violation_found=found,
        )


def _government_flag(ctx, council) -> None:
    province = ctx.data["province"]
    if GovernmentFlagChoice.objects.filter(province=province, year=YEAR).exists():
        return
    chosen = set(
        Membership.objects.filter(
            bloc_year__year__year=YEAR,
            bloc_year__bloc__province=province,
            agency__code__in=FLAG_CHOSEN,
        ).values_list("pk", flat=True)
    )
    government_flag_choose(
        actor=council,
        province=province,
        year=YEAR,
        considered_on=COUNCIL_MEETING,
        source_document=COUNCIL_SOURCE,
        membership_ids=chosen,
    )


def _dissolved_member(ctx, council, agencies) -> BlocYear:
    """The bloc's 2025 with its members as drawn up in January, then the
    dissolution of one of them in the reorganisation of 1 March."""
    code, successor, day, source, description = DISSOLVED
    bloc_year = bloc_year_with_members(
        council=council,
        bloc=Bloc.objects.get(code=BLOC[0]),
        year=ctx.data["year_2025"],
        codes=[m[0] for m in MEMBERS],
        agencies=agencies,
        leader=LEADER_2025,
        deputy=DEPUTY_2025,
    )
    agency_wound_up(
        council=council,
        agency=agencies[code],
        successor=agencies[successor],
        kind=LineageKind.MERGE,
        on=day,
        note=description,
    )
    if not Disqualification.objects.filter(
        agency=agencies[code], kind=DisqualificationKind.DISSOLVED
    ).exists():
        disqualification_add(
            actor=council,
            agency=agencies[code],
            year=YEAR_2025,
            kind=DisqualificationKind.DISSOLVED,
            source_document=source,
            started_on=day,
            description=description,
        )
    return bloc_year


def run(ctx: DemoContext) -> None:
    council = ctx.data["council"]
    agencies = _agencies_and_users(ctx, ctx.data["province"])
    bloc_year = _bloc_year(ctx, council, agencies)
    _registered(bloc_year, council)
    _facts(agencies, council)
    _ranked(bloc_year, council)
    _conference(bloc_year)
    _cases(agencies, council)
    _government_flag(ctx, council)
    ctx.data["bloc_year_ktkt_2023"] = bloc_year
    ctx.data["bloc_year_ktkt_2025"] = _dissolved_member(ctx, council, agencies)
    ctx.log(
        f"  {BLOC[0]} {YEAR}: {bloc_year.memberships.count()} members, shared first rank "
        f"settled by the conference; Government flag chosen for {', '.join(FLAG_CHOSEN)}; "
        f"{BLOC[0]} {YEAR_2025}: {DISSOLVED[0]} dissolved on {DISSOLVED[2]:%d/%m/%Y}"
    )
