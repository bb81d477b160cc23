"""The Jinja2 environment writes dates and numbers as the Django template
language does: in the current time zone and the current language's format."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import engines
from django.utils import timezone, translation


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_a_moment_is_written_in_the_current_time_zone_by_both_engines():
    moment = datetime.datetime(2023, 1, 17, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Hà Nội
    source = {"jinja2": "{{ m|date('d/m/Y H:i') }} {{ m|time('H:i') }}"}
    source["django"] = '{{ m|date:"d/m/Y H:i" }} {{ m|time:"H:i" }}'

    with timezone.override("Asia/Ho_Chi_Minh"):
        written = {
            engine: engines[engine].from_string(text).render({"m": moment})
            for engine, text in source.items()
        }

    assert written["jinja2"] == written["django"] == "17/01/2023 09:00 09:00"


def test_a_day_and_nothing_are_written_as_the_date_filter_writes_them():
    assert render("{{ d|date('d/m/Y') }}", d=datetime.date(2024, 3, 15)) == "15/03/2024"
    assert render("{{ d|date('d/m/Y') }}", d=None) == ""


def test_a_number_is_written_in_the_current_language():
    with translation.override("vi"):
        assert render("{{ n|localize }}%", n=Decimal("88.89")) == "88,89%"
    with translation.override("en"):
        assert render("{{ n|localize }}%", n=Decimal("88.89")) == "88.89%"
