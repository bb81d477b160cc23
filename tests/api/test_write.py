"""Sending an award decided outside the application: checked as a row of the
Excel import of award history, written once per external key, audited, and
then part of the history that eligibility reads."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from awards.enums import AwardSource
from awards.models import AwardRecord, AwardType
from emulation.models import AuditEvent
from tests.api.conftest import make_token, post
from tests.factories import AgencyFactory, ProvinceFactory
from tests.factories.awards import AwardRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    province = ProvinceFactory(code="tinh")
    AgencyFactory(province=province, code="stc", name="Sở Tài chính")
    return province


def award(**changes) -> dict:
    values = {
        "external_key": "TTg-1234-2025/stc",
        "agency": "stc",
        "award_type": "bk_ttg",
        "year": 2024,
        "decision_number": "1234/QĐ-TTg",
        "decision_date": "2025-05-20",
        "signer": "Thủ tướng Chính phủ",
    }
    values.update(changes)
    return values


def test_an_award_decided_elsewhere_is_recorded_once(client, province):
    token = make_token(province, write=True, name="csdl-quoc-gia")

    first = post(client, token, "api:award_records", award())
    again = post(client, token, "api:award_records", award())

    assert first.status_code == 201, first.content
    assert again.status_code == 200
    assert again.json() == first.json()
    record = AwardRecord.objects.get()
    assert (record.agency.code, record.award_type.code, record.year) == ("stc", "bk_ttg", 2024)
    assert record.source == AwardSource.EXTERNAL
    assert record.external_key == "TTg-1234-2025/stc"
    event = AuditEvent.objects.get(action="award_record.receive")
    assert event.data["sender"] == "csdl-quoc-gia"
    # The history eligibility reads: an award that counts for prerequisites.
    assert record in province.agencies.get(code="stc").award_records.filter(one_off=False)


def test_the_database_holds_one_record_per_agency_and_key(province):
    agency = province.agencies.get()
    AwardRecord.objects.create(
        agency=agency,
        award_type=AwardType.objects.get(code="bk_ttg"),
        year=2024,
        decision_number="1",
        decision_date="2025-01-01",
        external_key="k",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardRecord.objects.create(
            agency=agency,
            award_type=AwardType.objects.get(code="bk_ubnd"),
            year=2023,
            decision_number="2",
            decision_date="2025-01-01",
            external_key="k",
        )


def test_another_award_under_a_used_key_is_refused(client, province):
    token = make_token(province, write=True)
    post(client, token, "api:award_records", award())

    response = post(client, token, "api:award_records", award(year=2023))

    assert response.status_code == 409
    assert "TTg-1234-2025/stc" in response.json()["errors"][0]
    assert AwardRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"agency": "khong-co"}, "Không có cơ quan mã “khong-co”."),
        ({"award_type": "khong-co"}, "Không có danh hiệu, hình thức khen thưởng mã “khong-co”."),
        ({"year": 1990}, "Năm phải từ 2000 đến 2100."),
        ({"year": "hai nghìn"}, "phải là một số nguyên"),
        ({"decision_date": "32/13/2025"}, "phải là một ngày (dd/mm/yyyy)"),
        ({"decision_number": ""}, "Chưa nhập"),
        ({"decision_number": "=cmd()"}, "chứa công thức"),
    ],
)
def test_a_bad_award_gets_the_history_imports_message(client, province, changes, message):
    token = make_token(province, write=True)

    response = post(client, token, "api:award_records", award(**changes))

    assert response.status_code == 400
    assert any(message in error for error in response.json()["errors"]), response.json()
    assert not AwardRecord.objects.exists()


def test_an_award_already_in_the_history_is_refused_as_the_import_refuses_it(client, province):
    AwardRecordFactory(
        agency=province.agencies.get(),
        award_type=AwardType.objects.get(code="bk_ttg"),
        year=2024,
    )
    token = make_token(province, write=True)

    response = post(client, token, "api:award_records", award())

    assert response.status_code == 400
    assert response.json()["errors"] == ["Khen thưởng này đã có trong lịch sử."]


def test_the_key_is_required(client, province):
    token = make_token(province, write=True)

    response = post(client, token, "api:award_records", award(external_key=" "))

    assert response.status_code == 400
    assert not AwardRecord.objects.exists()


def test_another_provinces_agency_is_unknown(client, province):
    other = ProvinceFactory(code="khac")
    token = make_token(other, write=True)

    response = post(client, token, "api:award_records", award())

    assert response.status_code == 400
    assert not AwardRecord.objects.exists()


def test_a_read_only_client_may_not_write(client, province):
    token = make_token(province)

    response = post(client, token, "api:award_records", award())

    assert response.status_code == 403
    assert not AwardRecord.objects.exists()


def test_writing_needs_a_token(client, province):
    assert post(client, None, "api:award_records", award()).status_code == 401


def test_other_methods_are_refused(client, province):
    token = make_token(province, write=True)

    response = client.delete("/api/v1/award-records/", HTTP_AUTHORIZATION=f"Bearer {token}")
    read_only = client.post(
        "/api/v1/agencies/",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 405
    assert read_only.status_code == 405
