"""Hypothesis fuzzing of every form of the project: random text (Unicode,
NUL bytes, huge strings), numbers, dates and files fed to every field of every
Form class found in the apps' ``forms`` packages. A form never raises: it is
valid, or it says what is wrong in non-empty messages; and nothing is written.

A form that a later change adds is picked up by the discovery; one whose
constructor needs an argument this module cannot supply fails the
``test_every_form_is_fuzzed`` check, so it is never skipped silently.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
from types import SimpleNamespace

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from tests.factories.scoring import small_table
from tests.fuzzing import conference_with_poll, fuzz_settings, row_counts

pytestmark = pytest.mark.django_db

FORM_PACKAGES = ("blocs.forms", "awards.forms")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


def form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type] = {}
    for name in FORM_PACKAGES:
        package = importlib.import_module(name)
        modules = [package]
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            modules.append(importlib.import_module(f"{name}.{info.name}"))
        for module in modules:
            for _attr, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__.startswith(name)
                    and not value.__name__.startswith("_")
                ):
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[k] for k in sorted(found)]


FORMS = form_classes()


def required_kwargs(cls) -> list[str]:
    names = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for param in inspect.signature(init).parameters.values():
            if param.kind is param.KEYWORD_ONLY and param.default is param.empty:
                names.append(param.name)
    return names


@pytest.fixture
def context(cast):
    """Values for the forms' constructor arguments, from the cast and a conference."""
    from awards.models import AwardType
    from blocs.models import Agency, Bloc, EmulationYear, Movement, Province

    conf, poll = conference_with_poll("z")
    achievement = SimpleNamespace(
        target=SimpleNamespace(pk=1, indicator="Tỷ lệ hồ sơ đúng hạn", unit="%"),
        mid_year=None,
        year_end=None,
    )
    return {
        "agency": cast.member.agency,
        "provinces": Province.objects.all(),
        "province": cast.province,
        "blocs": Bloc.objects.all(),
        "years": EmulationYear.objects.all(),
        "agencies": Agency.objects.all(),
        "movements": Movement.objects.all(),
        "award_types": AwardType.objects.all(),
        "achievements": [achievement],
        "period": "mid_year",
        "membership": cast.member,
        "memberships": cast.bloc_year.memberships.select_related("agency"),
        "meeting": conf.meeting,
        "poll": poll,
        "candidates": list(poll.candidates.select_related("membership__agency")),
        "criterion": small_table(cast.council, cast.bloc_year.year)[1]["1.1"],
    }


def build(cls, context, data=None, files=None):
    kwargs = {name: context[name] for name in required_kwargs(cls)}
    return cls(data=data, files=files, **kwargs)


def test_every_form_is_fuzzed(context):
    assert len(FORMS) >= 30, [f.__name__ for f in FORMS]
    for cls in FORMS:
        missing = [n for n in required_kwargs(cls) if n not in context]
        assert not missing, f"{cls.__name__} needs {missing}: add them to the context fixture"


huge = st.text(min_size=5000, max_size=20000, alphabet="Ấấ𝔘\u202e\x00a9 -=@+")
texts = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            '=HYPERLINK("http://x")',
            "+1",
            "-1",
            "@SUM(A1)",
            "'; DROP TABLE blocs_agency; --",
            "<script>alert(1)</script>",
            "Sở Tài chính",
            "9" * 40,
            "-0.0000001",
            "1e309",
            "NaN",
            "Infinity",
            "31/02/2024",
            "2024-13-45",
            "0001-01-01",
            "9999-12-31",
            "１２３",
            "١٢٣",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    huge,
)
values = st.one_of(texts, st.lists(texts, max_size=4))
uploads = st.binary(max_size=3000).map(
    lambda b: SimpleUploadedFile("tệp ../../etc/passwd.pdf", b, "application/pdf")
)


def fuzz_form(cls, context, data, files) -> forms.BaseForm:
    from django.http import QueryDict

    form = build(cls, context)
    query = QueryDict(mutable=True)
    upload = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            if files.get(name) is not None:
                upload[name] = files[name]
            continue
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = value
    form = build(cls, context, data=query, files=upload)
    valid = form.is_valid()
    if not valid:
        assert form.errors, f"{cls.__name__}: invalid without a message"
        for messages in form.errors.values():
            assert all(isinstance(m, str) and m.strip() for m in messages)
    # Rendering the bound form (as the view would, with its errors) never fails.
    str(form)
    return form


FUZZ_COUNT = {"examples": 0}


@pytest.mark.parametrize("cls", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_form_survives_random_input(cls, context):
    before = row_counts()
    field_names = list(build(cls, context).fields)

    @fuzz_settings(EXAMPLES)
    @given(
        data=st.fixed_dictionaries({}, optional=dict.fromkeys(field_names, values)),
        files=st.fixed_dictionaries({}, optional=dict.fromkeys(field_names, uploads)),
    )
    def run(data, files):
        FUZZ_COUNT["examples"] += 1
        fuzz_form(cls, context, data, files)

    run()
    assert row_counts() == before


@pytest.mark.parametrize("cls", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_form_refuses_nul_bytes_and_huge_text_with_a_message(cls, context):
    form = build(cls, context)
    text_fields = [
        n
        for n, f in form.fields.items()
        if isinstance(f, forms.CharField) and not isinstance(f.widget, forms.HiddenInput)
    ]
    if not text_fields:
        pytest.skip(f"{cls.__name__} has no text field")
    data = dict.fromkeys(text_fields, "Báo cáo\x00")
    form = build(cls, context, data=data)
    assert not form.is_valid()
    assert any(n in form.errors for n in text_fields)
