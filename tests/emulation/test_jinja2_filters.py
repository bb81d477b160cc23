"""Django's filters in Jinja2 templates give what they give in the Django
template language."""

from __future__ import annotations

import datetime

from django.template import engines


def test_a_datetime_is_dated_and_timed_in_local_time_as_in_django_templates():
    # 23:30 UTC on the 16th is 06:30 on the 17th in Hà Nội (TIME_ZONE).
    sent = datetime.datetime(2024, 1, 16, 23, 30, tzinfo=datetime.UTC)
    jinja2 = engines["jinja2"].from_string('{{ sent|date("d/m/Y") }} {{ sent|time("H:i") }}')
    django = engines["django"].from_string('{{ sent|date:"d/m/Y" }} {{ sent|time:"H:i" }}')

    assert jinja2.render({"sent": sent}) == "17/01/2024 06:30"
    assert django.render({"sent": sent}) == "17/01/2024 06:30"


def test_a_date_and_an_empty_value_are_left_as_they_are():
    template = engines["jinja2"].from_string('{{ day|date("d/m/Y") }}|{{ none|date("d/m/Y") }}')

    assert template.render({"day": datetime.date(2024, 3, 15), "none": None}) == "15/03/2024|"
