"""Concurrent clicks on PostgreSQL: the row locks serialise them."""

import datetime
from decimal import Decimal

import pytest

from blocs import services
from blocs.models import Registration, RegistrationTarget
from emulation.documents import DocumentSpec, Paragraph
from emulation.documents.services import document_issue
from emulation.enums import DocumentKind
from emulation.models import IssuedDocument
from tests.concurrency import run_concurrently


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_of_the_same_target_give_one_row(cast):
    outcomes = run_concurrently(
        8,
        lambda _i: (
            services.registration_target_add(
                actor=cast.officer,
                membership=cast.member,
                indicator="Tỷ lệ hồ sơ đúng hạn",
                unit="%",
                target_value=Decimal("100"),
            ).pk
        ),
    )

    assert sorted(o.kind for o in outcomes) == ["ok"] + ["refused"] * 7
    assert Registration.objects.count() == 1
    assert RegistrationTarget.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_consecutive_versions(cast):
    spec = DocumentSpec(
        kind_name="Giao ước thi đua",
        issuing_agency="Khối thi đua số 1",
        place="An Phú",
        date=datetime.date(2023, 2, 20),
        body=[Paragraph("Nội dung")],
    )

    outcomes = run_concurrently(
        4,
        lambda _i: (
            document_issue(
                actor=cast.secretariat,
                kind=DocumentKind.COVENANT,
                spec=spec,
                title="Giao ước",
                bloc_year=cast.bloc_year,
            ).version
        ),
    )

    assert sorted(o.value for o in outcomes) == [1, 2, 3, 4]
    assert IssuedDocument.objects.count() == 4
