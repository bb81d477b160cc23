"""Demo of the API: a client of the national emulation database for the demo
province (its token is printed once, when it is made), and an award decided
outside the application that it sent: the Prime Minister's certificate of
merit for the Ethnic Minorities Board, received by the province."""

from __future__ import annotations

import datetime

from api.models import ApiClient
from api.services import api_client_create
from awards.models import AwardRecord, AwardType
from awards.services import award_record_receive
from blocs.models import Agency
from emulation.demo import DemoContext

CLIENT = "csdl-thi-dua-quoc-gia"
EXTERNAL_KEY = "1520/QĐ-TTg/bdt"


def run(ctx: DemoContext) -> None:
    province = ctx.data["province"]
    client = ApiClient.objects.filter(name=CLIENT).first()
    if client is None:
        client, token = api_client_create(
            actor=None, name=CLIENT, province=province, can_write=True
        )
        ctx.log(f"  API client {CLIENT}: token (shown once) {token}")
    else:
        ctx.log(f"  API client {CLIENT} (already; its token was shown when it was made)")
    agency = Agency.objects.get(code="bdt")
    if not AwardRecord.objects.filter(agency=agency, external_key=EXTERNAL_KEY).exists():
        award_record_receive(
            actor=None,
            sender=client.name,
            external_key=EXTERNAL_KEY,
            agency=agency,
            award_type=AwardType.objects.get(code="bk_ttg"),
            year=2023,
            decision_number="1520/QĐ-TTg",
            decision_date=datetime.date(2023, 10, 9),
            signer="Thủ tướng Chính phủ",
            one_off=True,
        )
