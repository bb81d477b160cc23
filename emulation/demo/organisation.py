"""Demo organisation: the bloc tmth carried forward to 2024 (leader rotated to
Thanh tra tỉnh, deputy Sở Tài chính) and to 2025 after the reorganisation
(Sở Kế hoạch và Đầu tư merged into Sở Tài chính, Ban Dân tộc tỉnh became Sở
Dân tộc và Tôn giáo), all through the services.

2024 is the interactive year: its self-assessment window is set relative to
the day the demo is first loaded (opened 7 days before, deadline 14 days
after), so that a visitor can act. A second run changes nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from blocs import services as bloc_services
from blocs.enums import LineageKind, Phase
from blocs.models import Agency, BlocYear, EmulationYear
from emulation.demo import DEMO_PASSWORD, DemoContext
from emulation.demo.base import agency_wound_up
from emulation.enums import AgencyRole
from emulation.models import User
from emulation.services import user_create

REORGANISATION = datetime.date(2025, 3, 1)
SDTTG = ("sdttg", "Sở Dân tộc và Tôn giáo", "Sở Dân tộc và Tôn giáo")
SDTTG_USERS = {AgencyRole.OFFICER: "Kpă Thị Nhung", AgencyRole.HEAD: "Lò Văn Thắng"}


def _year(ctx, year: int, **deadlines) -> EmulationYear:
    province = ctx.data["province"]
    emulation_year = EmulationYear.objects.filter(province=province, year=year).first()
    if emulation_year is None:
        emulation_year = bloc_services.emulation_year_create(
            actor=ctx.data["council"], province=province, year=year, **deadlines
        )
    return emulation_year


def _carry(ctx, source: BlocYear, year: EmulationYear, **kwargs) -> BlocYear:
    bloc_year = BlocYear.objects.filter(bloc=source.bloc, year=year).first()
    if bloc_year is None:
        bloc_year = bloc_services.bloc_year_carry_forward(
            actor=ctx.data["council"], bloc_year=source, **kwargs
        )
    return bloc_year


def _reorganise(ctx) -> Agency:
    """The 2025 reorganisation: lineage links, end dates, the new agency and its users."""
    council, admin = ctx.data["council"], ctx.data["admin"]
    agencies = ctx.data["agencies"]
    sdttg = Agency.objects.filter(code=SDTTG[0]).first()
    if sdttg is None:
        sdttg = bloc_services.agency_create(
            actor=council,
            province=ctx.data["province"],
            code=SDTTG[0],
            name=SDTTG[1],
            short_name=SDTTG[2],
            active_from=REORGANISATION,
        )
    agencies[SDTTG[0]] = sdttg
    for code, successor, kind, note in (
        (
            "skhdt",
            agencies["stc"],
            LineageKind.MERGE,
            "Hợp nhất Sở Kế hoạch và Đầu tư vào Sở Tài chính",
        ),
        (
            "bdt",
            sdttg,
            LineageKind.RENAME,
            "Tổ chức lại Ban Dân tộc tỉnh thành Sở Dân tộc và Tôn giáo "
            "(tiếp nhận chức năng quản lý nhà nước về tín ngưỡng, tôn giáo từ Sở Nội vụ)",
        ),
    ):
        agency_wound_up(
            council=council,
            agency=agencies[code],
            successor=successor,
            kind=kind,
            on=REORGANISATION,
            note=note,
        )
    for role, full_name in SDTTG_USERS.items():
        username = f"{SDTTG[0]}.{role.value}"
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=admin,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                agency=sdttg,
                agency_role=role,
            )
    return sdttg


def run(ctx: DemoContext) -> None:
    council = ctx.data["council"]
    bloc_year_2023 = ctx.data["bloc_year_2023"]

    # 2024: deadlines relative to the first seeding, so the visitor can act.
    today = timezone.localdate()
    year_2024 = _year(
        ctx,
        2024,
        registration_deadline=datetime.date(2024, 3, 15),
        self_assessment_opens=today - datetime.timedelta(days=7),
        self_assessment_deadline=today + datetime.timedelta(days=14),
        review_deadline=today + datetime.timedelta(days=28),
        dispute_deadline=today + datetime.timedelta(days=35),
        proposal_deadline=today + datetime.timedelta(days=49),
    )
    ctx.data["year_2024"] = year_2024
    bloc_year_2024 = BlocYear.objects.filter(bloc=bloc_year_2023.bloc, year=year_2024).first()
    if bloc_year_2024 is None:
        # Rotation: vpubnd led 2023, so ttt leads 2024 and stc deputises.
        bloc_year_2024 = _carry(ctx, bloc_year_2023, year_2024)
        bloc_services.bloc_year_advance(
            actor=council, bloc_year=bloc_year_2024, to=Phase.REGISTRATION
        )
    ctx.data["bloc_year_2024"] = bloc_year_2024

    # 2025: after the reorganisation of 1 March 2025.
    _reorganise(ctx)
    year_2025 = _year(
        ctx,
        2025,
        registration_deadline=datetime.date(2025, 3, 31),
        self_assessment_opens=datetime.date(2025, 11, 20),
        self_assessment_deadline=datetime.date(2025, 12, 10),
        review_deadline=datetime.date(2025, 12, 25),
        dispute_deadline=datetime.date(2026, 1, 5),
        proposal_deadline=datetime.date(2026, 1, 31),
    )
    ctx.data["year_2025"] = year_2025
    bloc_year_2025 = _carry(ctx, bloc_year_2024, year_2025, as_of=REORGANISATION)
    ctx.data["bloc_year_2025"] = bloc_year_2025
    for bloc_year in (bloc_year_2024, bloc_year_2025):
        ctx.log(
            f"  tmth {bloc_year.year.year}: {bloc_year.memberships.count()} members, "
            f"leader {bloc_year.memberships.get(role='leader').agency.code}"
        )
