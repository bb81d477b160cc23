"""The Jinja2 environment writes dates and numbers as the Django template
language does (in the current time zone and the current language's format),
and its URLs are those ``reverse`` gives."""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation
from markupsafe import Markup

from emulation.jinja2 import url


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


def test_a_date_is_written_as_django_writes_it_in_every_format_of_the_pages():
    moments = [
        datetime.datetime(2023, 1, 17, 2, 5, tzinfo=datetime.UTC),
        datetime.datetime(2024, 12, 31, 23, 59),  # naive
        datetime.date(2024, 3, 5),
        None,
        "",
    ]
    formats = ["d/m/Y", "d/m/Y H:i", "H:i d/m", "H:i d/m/Y", "j F Y", "d/m/Y {x}", r"\d d"]
    with timezone.override("Asia/Ho_Chi_Minh"), translation.override("vi"):
        for moment in moments:
            for text in formats:
                jinja2 = engines["jinja2"].from_string("{{ m|date(f) }}")
                django = engines["django"].from_string("{{ m|date:f }}")
                context = {"m": moment, "f": text}
                assert _written(jinja2, context) == _written(django, context), (moment, text)


def _written(template, context) -> str:
    """The template's text, or the error it raises (a day has no hour)."""
    try:
        return template.render(context)
    except TypeError as error:
        return f"TypeError: {error}"


def test_a_number_is_written_in_the_current_language():
    with translation.override("vi"):
        assert render("{{ n|localize }}%", n=Decimal("88.89")) == "88,89%"
    with translation.override("en"):
        assert render("{{ n|localize }}%", n=Decimal("88.89")) == "88.89%"


NUMBERS = [
    Decimal("88.89"),
    Decimal("-0.50"),
    Decimal("-0"),
    Decimal("100"),
    Decimal("1E+3"),
    Decimal("1.5E-7"),
    Decimal("1E+250"),
    0,
    -12,
    1234567,
    3.5,
    "—",
    True,
]


@pytest.mark.parametrize("grouping", [False, True])
def test_a_number_is_written_as_django_writes_it(settings, grouping):
    settings.USE_THOUSAND_SEPARATOR = grouping
    for language in ("vi", "en"):
        with translation.override(language):
            for number in NUMBERS:
                jinja2 = render("{{ n|localize }}", n=number)
                django = engines["django"].from_string("{{ n }}").render({"n": number})
                assert jinja2 == django, (language, number)


def test_a_url_is_the_one_reverse_gives_call_after_call():
    for _ in range(2):
        assert url("blocs:bloc_year_detail", 7) == reverse("blocs:bloc_year_detail", args=[7])
        assert url("blocs:bloc_year_detail", pk=8) == reverse(
            "blocs:bloc_year_detail", kwargs={"pk": 8}
        )
    assert render("{{ url('blocs:ranking', 3) }}") == reverse("blocs:ranking", args=[3])


def test_a_url_follows_the_script_prefix():
    plain = url("blocs:bloc_year_detail", 7)
    set_script_prefix("/thidua/")
    try:
        prefixed = url("blocs:bloc_year_detail", 7)
    finally:
        set_script_prefix("/")

    assert prefixed == "/thidua" + plain
    assert url("blocs:bloc_year_detail", 7) == plain


def test_a_url_follows_a_changed_urlconf():
    with override_settings(ROOT_URLCONF="tests.emulation.urls_elsewhere"):
        assert url("blocs:bloc_year_detail", 7) == "/elsewhere/bloc-years/7/"
    assert url("blocs:bloc_year_detail", 7) == "/bloc-years/7/"


def test_a_url_of_an_object_is_reversed_anew_each_time():
    class Code:
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

    code = Code("12")
    first = url("blocs:bloc_year_detail", code)
    code.text = "13"

    assert (first, url("blocs:bloc_year_detail", code)) == ("/bloc-years/12/", "/bloc-years/13/")


def _drawn(source: str, **context) -> tuple[str, list]:
    """``source`` rendered with its page's locale, and how many times its
    fragment's block was drawn."""
    from emulation.jinja2 import PageLocale

    draws: list = []
    context.setdefault("page_locale", PageLocale())
    return render(source, draw=lambda: draws.append(1) or "", **context), draws


FRAGMENT = (
    '{% call fragment("test-menu", agency) %}'
    '{{ draw() }}{{ _("Dashboard") }} {{ agency }}'
    "{% endcall %}"
)


def test_a_fragment_is_drawn_once_for_each_set_of_values():
    from emulation.jinja2 import _FRAGMENTS

    _FRAGMENTS.clear()
    with translation.override("vi"):
        first, draws_first = _drawn(FRAGMENT, agency=7)
        again, draws_again = _drawn(FRAGMENT, agency=7)
        other, draws_other = _drawn(FRAGMENT, agency=8)
    with translation.override("en"):
        english, draws_english = _drawn(FRAGMENT, agency=7)

    assert (first, again, other, english) == (
        "Trang chính 7",
        "Trang chính 7",
        "Trang chính 8",
        "Dashboard 7",
    )
    assert (draws_first, draws_again, draws_other, draws_english) == ([1], [], [1], [1])


def test_a_fragment_is_keyed_by_plain_values_only():
    with pytest.raises(TypeError, match="plain values"):
        _drawn(FRAGMENT, agency=Decimal("7"))


def test_a_fragment_without_a_page_locale_is_drawn_each_time():
    draws: list = []
    for _ in range(2):
        render(FRAGMENT, agency=7, draw=lambda: draws.append(1) or "")

    assert draws == [1, 1]


COMPILED_SOURCE = (
    '{% set n = 2 %}<p title="{{ _(\'Dashboard\') }}">{{ "a<b" }}{{ 3 }} – '
    "{{ url('blocs:ranking', n) }}\n"
    "{%- for word in words %}{% set upper = word.upper() %}<i>{{ upper }}{{ loop.index }}</i>"
    "{% else %}-{% endfor %}\n"
    "{{ join(words, sep=', ') }} {{ words|length }} {{ box.get('k', '<none>') }} "
    "{{ static('css/app.css') }}{{ shout() }}</p>{{ quote }}{{ safe }}{{ none }}"
    # Drawn into a string: a {% set %} block, a macro and a call block.
    '{% macro cell(value) %}<td title="{{ value }}">{{ value }}{{ caller() if caller }}</td>'
    "{% endmacro %}"
    "{% set row %}<tr>{% for word in words %}{{ cell(word) }}{% endfor %}{{ cell(quote) }}"
    "{% call cell(safe) %}{{ n }}{{ none }}{{ true }}{{ 2.5 }}{% endcall %}</tr>{% endset %}"
    "{{ row }}{{ row|length }}{{ flag }}{{ level }}{{ -n }}"
)


class Level(enum.IntEnum):
    TWO = 2

    def __str__(self):
        return "level <two>"


def test_a_template_writes_what_jinja2_own_compiler_writes():
    from jinja2 import pass_context
    from jinja2.compiler import CodeGenerator

    env = engines["jinja2"].env
    plain = env.overlay()
    plain.code_generator_class = CodeGenerator
    context = {
        "words": ["ả", "<b>"],
        "join": lambda words, sep: sep.join(words),
        "box": {"k": "v&"},
        "quote": "He said \"hi\" & 'bye'",
        "safe": Markup("<b>ok</b>"),
        "none": None,
        # Not plain integers: each is written as Jinja2 writes it.
        "flag": True,
        "level": Level.TWO,
        # A function that wants the context still sees a variable set on the page.
        "shout": pass_context(lambda context: f"n={context['n']}"),
    }
    with translation.override("vi"):
        ours = env.from_string(COMPILED_SOURCE).render(context)
        theirs = plain.from_string(COMPILED_SOURCE).render(context)

    assert ours == theirs
    assert "He said &#34;hi&#34; &amp; &#39;bye&#39;<b>ok</b>None" in ours
    assert "Trang chính" in ours and "a&lt;b3" in ours and "&lt;B&gt;2" in ours and "n=2" in ours
    assert (
        '<td title="&lt;b&gt;">&lt;b&gt;</td>' in ours
        and '<td title="<b>ok</b>"><b>ok</b>2NoneTrue2.5</td>' in ours
        and ours.endswith("Truelevel &lt;two&gt;-2")
    )
