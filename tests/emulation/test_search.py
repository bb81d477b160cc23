"""Searching agencies ignores diacritics and case, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs.models import Agency
from blocs.selectors.organisation import agencies_visible_to
from emulation.search import fold, matching
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Dân tộc", "dan toc"),
        ("ĐỒNG NAI", "dong nai"),
        ("Sở Ngoại vụ", "so ngoai vu"),
        ("Ứng Hoà, Ỷ Lan", "ung hoa, y lan"),
        ("Thanh Hóa", "thanh hoa"),
    ],
)
def test_fold_drops_marks_and_case(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "query", ["dan toc", "DAN TOC", "Dân tộc", "dân toc", "ton giao dan", "SDT"]
)
def test_a_query_with_or_without_diacritics_finds_the_agency(query):
    wanted = AgencyFactory(name="Sở Dân tộc và Tôn giáo", code="sdt")
    AgencyFactory(name="Sở Tài chính", code="stc", province=wanted.province)

    found = matching(Agency.objects.all(), query, "code", "name", "short_name")

    assert list(found) == [wanted]


def test_every_word_must_match():
    AgencyFactory(name="Sở Dân tộc và Tôn giáo")

    assert not matching(Agency.objects.all(), "dan toc y te", "name").exists()


def test_an_empty_query_keeps_everything():
    AgencyFactory()

    assert matching(Agency.objects.all(), "   ", "name").count() == 1


def test_the_agency_list_searches_without_diacritics(cast, login):
    AgencyFactory(province=cast.province, name="Ban Dân tộc tỉnh", code="bdt")
    client = login(cast.council)

    response = client.get(reverse("blocs:agency_list"), {"q": "dan toc"})

    assert response.status_code == 200
    assert "Ban Dân tộc tỉnh" in response.content.decode()
    assert [a.code for a in agencies_visible_to(cast.council, search="DAN TOC")] == ["bdt"]
