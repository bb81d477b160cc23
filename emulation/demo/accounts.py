"""Accounts of the demo: `council` and `admin` sign in with a second factor
whose key is published in README (an authenticator app, or
``manage.py two_factor_code``); Sở Tư pháp has a pending invitation and Sở
Ngoại vụ a deactivated former officer."""

from __future__ import annotations

from django_otp.oath import totp

from emulation.demo import DEMO_PASSWORD, DemoContext
from emulation.enums import AgencyRole
from emulation.models import User
from emulation.services import (
    has_second_factor,
    totp_enrolment_confirm,
    totp_enrolment_start,
    user_active_set,
    user_create,
    user_invite,
)

# The demo's authenticator key, in hex; in base32 (what an app asks for):
# NNUG62JNORUGSLLEOVQS2ZDFNVXS2MRT. Published: for the demo only.
DEMO_TOTP_KEY = "6b686f692d7468692d6475612d64656d6f2d3233"
DEMO_SITE_URL = "http://127.0.0.1:8000/"
INVITED = ("moi.stp@anphu.gov.vn", "Nguyễn Văn Mới", "stp")
DEACTIVATED = ("sngv.nghi", "Hoàng Văn Nghỉ", "sngv")


def run(ctx: DemoContext) -> None:
    admin, council = ctx.data["admin"], ctx.data["council"]
    for user in (admin, council):
        if not has_second_factor(user):
            device = totp_enrolment_start(user=user, key=DEMO_TOTP_KEY)
            code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
            totp_enrolment_confirm(user=user, device=device, code=f"{code:06d}")

    agencies = ctx.data["agencies"]
    email, full_name, code = INVITED
    if not User.objects.filter(username=email).exists():
        user_invite(
            actor=council,
            full_name=full_name,
            email=email,
            agency=agencies[code],
            agency_role=AgencyRole.OFFICER,
            site_url=DEMO_SITE_URL,
        )
    username, full_name, code = DEACTIVATED
    if not User.objects.filter(username=username).exists():
        former = user_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            agency=agencies[code],
            agency_role=AgencyRole.OFFICER,
        )
        user_active_set(actor=council, user=former, active=False)
