"""Demo base: the province, the advisory bloc (tmth) for 2023, its nine members
and the demo accounts."""

from __future__ import annotations

import datetime

from blocs import services as bloc_services
from blocs.enums import MemberRole, Phase
from blocs.models import Agency, AgencyLineage, Bloc, BlocYear, EmulationYear, Membership, Province
from emulation.demo import DEMO_PASSWORD, DemoContext
from emulation.enums import AgencyRole
from emulation.models import User
from emulation.services import user_create

PROVINCE = ("demo", "Tỉnh An Phú")

# (code, name, short name, head's name) in the bloc's rotation order.
AGENCIES = [
    ("vpubnd", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh", "Trần Minh Đức"),
    ("ttt", "Thanh tra tỉnh", "Thanh tra tỉnh", "Nguyễn Văn Hùng"),
    ("stc", "Sở Tài chính", "Sở Tài chính", "Lê Thị Thu Hà"),
    ("snv", "Sở Nội vụ", "Sở Nội vụ", "Phạm Quốc Bảo"),
    ("stp", "Sở Tư pháp", "Sở Tư pháp", "Hoàng Thị Lan"),
    ("sngv", "Sở Ngoại vụ", "Sở Ngoại vụ", "Vũ Đình Khánh"),
    ("skhdt", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "Đặng Văn Long"),
    (
        "vpdbqh",
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
        "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
        "Bùi Thị Mai",
    ),
    ("bdt", "Ban Dân tộc tỉnh", "Ban Dân tộc", "Y Blô Êban"),
]

# What each head signs as ("GIÁM ĐỐC" above the signature of a department's report).
HEAD_POSITIONS = {
    "vpubnd": "Chánh Văn phòng",
    "ttt": "Chánh Thanh tra",
    "vpdbqh": "Chánh Văn phòng",
    "bdt": "Trưởng ban",
}

OFFICER_NAMES = {
    "vpubnd": "Ngô Thị Hạnh",
    "ttt": "Đỗ Văn Tâm",
    "stc": "Trịnh Thị Ngọc",
    "snv": "Lý Văn Phúc",
    "stp": "Mai Thị Thảo",
    "sngv": "Tạ Quang Vinh",
    "skhdt": "Châu Thị Yến",
    "vpdbqh": "Phan Văn Sơn",
    "bdt": "H'Hen Niê",
}

BLOC = ("tmth", "Khối thi đua các cơ quan Tham mưu – Tổng hợp")


def run(ctx: DemoContext) -> None:
    province = Province.objects.filter(code=PROVINCE[0]).first()
    if province is None:
        province = bloc_services.province_create(actor=None, code=PROVINCE[0], name=PROVINCE[1])
    ctx.data["province"] = province

    agencies = {}
    for code, name, short_name, _head in AGENCIES:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            agency = bloc_services.agency_create(
                actor=None, province=province, code=code, name=name, short_name=short_name
            )
        agencies[code] = agency
    ctx.data["agencies"] = agencies

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = user_create(
            actor=None,
            username="admin",
            password=DEMO_PASSWORD,
            full_name="Quản trị hệ thống",
            is_superuser=True,
        )
    ctx.data["admin"] = admin
    council = User.objects.filter(username="council").first()
    if council is None:
        council = user_create(
            actor=admin,
            username="council",
            password=DEMO_PASSWORD,
            full_name="Nguyễn Thị Thanh Xuân",
            is_council_staff=True,
            province=province,
        )
    ctx.data["council"] = council

    for code, _name, _short, head_name in AGENCIES:
        for role, full_name, position in (
            (AgencyRole.OFFICER, OFFICER_NAMES[code], ""),
            (AgencyRole.HEAD, head_name, HEAD_POSITIONS.get(code, "Giám đốc")),
        ):
            username = f"{code}.{role.value}"
            if not User.objects.filter(username=username).exists():
                user_create(
                    actor=admin,
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    position=position,
                    agency=agencies[code],
                    agency_role=role,
                )

    bloc = Bloc.objects.filter(code=BLOC[0]).first()
    if bloc is None:
        bloc = bloc_services.bloc_create(
            actor=council, province=province, code=BLOC[0], name=BLOC[1]
        )
    ctx.data["bloc"] = bloc

    year = EmulationYear.objects.filter(province=province, year=2023).first()
    if year is None:
        year = bloc_services.emulation_year_create(
            actor=council,
            province=province,
            year=2023,
            registration_deadline=datetime.date(2023, 3, 15),
            self_assessment_opens=datetime.date(2023, 11, 20),
            self_assessment_deadline=datetime.date(2023, 12, 10),
            review_deadline=datetime.date(2023, 12, 25),
            dispute_deadline=datetime.date(2024, 1, 5),
            proposal_deadline=datetime.date(2024, 1, 31),
        )
    ctx.data["year_2023"] = year

    bloc_year = BlocYear.objects.filter(bloc=bloc, year=year).first()
    if bloc_year is None:
        bloc_year = bloc_services.bloc_year_create(actor=council, bloc=bloc, year=year)
        for order, (code, *_rest) in enumerate(AGENCIES, start=1):
            role = (
                MemberRole.LEADER
                if code == "vpubnd"
                else (MemberRole.DEPUTY if code == "ttt" else MemberRole.MEMBER)
            )
            bloc_services.membership_add(
                actor=council,
                bloc_year=bloc_year,
                agency=agencies[code],
                role=role,
                rotation_order=order,
            )
        for phase in (Phase.REGISTRATION, Phase.IN_PROGRESS):
            bloc_services.bloc_year_advance(actor=council, bloc_year=bloc_year, to=phase)
    ctx.data["bloc_year_2023"] = bloc_year
    ctx.log(f"  {BLOC[0]} 2023: {Membership.objects.filter(bloc_year=bloc_year).count()} members")


def bloc_year_with_members(*, council, bloc, year, codes, agencies, leader, deputy) -> BlocYear:
    """The bloc's year, created once with the agencies ``codes`` names as its
    members in that rotation order, ``leader`` leading and ``deputy`` deputising."""
    bloc_year = BlocYear.objects.filter(bloc=bloc, year=year).first()
    if bloc_year is None:
        bloc_year = bloc_services.bloc_year_create(actor=council, bloc=bloc, year=year)
        roles = {leader: MemberRole.LEADER, deputy: MemberRole.DEPUTY}
        for order, code in enumerate(codes, start=1):
            bloc_services.membership_add(
                actor=council,
                bloc_year=bloc_year,
                agency=agencies[code],
                role=roles.get(code, MemberRole.MEMBER),
                rotation_order=order,
            )
    return BlocYear.objects.select_related("bloc", "year").get(pk=bloc_year.pk)


def agency_wound_up(*, council, agency, successor, kind, on: datetime.date, note: str) -> None:
    """The agency's last day is the day before ``on``, and ``successor`` takes
    it over from ``on`` (a merger or a renaming); once only."""
    if agency.active_to is None:
        bloc_services.agency_update(
            actor=council,
            agency=agency,
            name=agency.name,
            short_name=agency.short_name,
            active_from=agency.active_from,
            active_to=on - datetime.timedelta(days=1),
        )
    if not AgencyLineage.objects.filter(predecessor=agency, successor=successor).exists():
        bloc_services.lineage_add(
            actor=council,
            predecessor=agency,
            successor=successor,
            kind=kind,
            effective_date=on,
            note=note,
        )
