"""The province's vocabulary page: council staff reword positions, symbols and
the sign of a deduction; bad input is refused in Vietnamese; the admin checks
the same; each change is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from emulation.models import AuditEvent
from emulation.vocabulary import TERMS, default_text

pytestmark = pytest.mark.django_db


def url(cast):
    return reverse("blocs:province_vocabulary", args=[cast.province.pk])


def form_data(**changes):
    data = {term.key: default_text(term.key) for term in TERMS}
    data.update(changes)
    return data


def test_council_staff_reword_the_vocabulary_and_the_change_is_audited(cast, login):
    client = login(cast.council)

    assert client.get(url(cast)).status_code == 200
    response = client.post(
        url(cast), form_data(leader="Khối trưởng", deduction_style="suffix", symbol_minutes="BBH")
    )

    cast.province.refresh_from_db()
    assert response.status_code == 302
    assert cast.province.vocabulary == {
        "leader": "Khối trưởng",
        "deduction_style": "suffix",
        "symbol_minutes": "BBH",
    }
    event = AuditEvent.objects.get(action="province.vocabulary")
    assert event.data["new"]["leader"] == "Khối trưởng"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("leader", "", "bắt buộc"),
        ("leader", "   ", "không được để trống"),
        ("deputy", "P" * 61, "Chức danh có tối đa 60 ký tự."),
        ("symbol_minutes", "B B", "Ký hiệu chỉ gồm chữ cái và chữ số"),
        ("symbol_proposal", "TTr-KTĐ", "Ký hiệu chỉ gồm chữ cái và chữ số"),
        ("bloc_unit", "K" * 13, "Ký hiệu có tối đa 12 ký tự."),
    ],
    ids=["empty", "blank", "too-long", "space", "dash", "symbol-too-long"],
)
def test_bad_terms_are_refused_in_vietnamese(cast, login, field, value, message):
    response = login(cast.council).post(url(cast), form_data(**{field: value}))

    cast.province.refresh_from_db()
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert cast.province.vocabulary == {}
    assert not AuditEvent.objects.filter(action="province.vocabulary").exists()


def test_the_admin_refuses_what_the_page_refuses(cast):
    cast.province.vocabulary = {"symbol_minutes": "B B"}
    with pytest.raises(ValidationError):
        cast.province.full_clean()
    cast.province.vocabulary = {"nonsense": "x"}
    with pytest.raises(ValidationError):
        cast.province.full_clean()


def test_vocabulary_page_permissions(cast, login):
    assert login(cast.officer).get(url(cast)).status_code == 403
    assert login(cast.secretariat).post(url(cast), form_data()).status_code == 403
    assert login(cast.other_council).get(url(cast)).status_code == 404
    assert login(cast.council).delete(url(cast)).status_code == 405
