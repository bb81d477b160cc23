"""The layout exists in both template engines (the busiest pages are Jinja2
templates, the others the Django template language's): their navigation
bars must be the same for every kind of user, in both languages."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from emulation.context_processors import Bell
from tests.factories.organisation import AgencyFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db


def users():
    province = ProvinceFactory()
    agency = AgencyFactory(province=province)
    return {
        "anonymous": AnonymousUser(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "national council staff": UserFactory(is_council_staff=True, is_national=True),
        "province council staff": UserFactory(is_council_staff=True, province=province),
        "agency head": UserFactory(agency=agency, agency_role="head"),
        "agency officer": UserFactory(agency=agency, agency_role="officer"),
    }


def normalised(html: str) -> str:
    """Whitespace around tags, character references (``&#39;`` is ``'``) and
    the CSRF token (masked anew each time) aside."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]+"', r'\1"…"', unescape(html))
    return re.sub(r"\s*<", "<", re.sub(r">\s*", ">", re.sub(r"\s+", " ", html))).strip()


def navbar(engine: str, request) -> str:
    return (
        engines[engine]
        .get_template("_navbar.html")
        .render({"user": request.user, "bell": _bell(request)} | _i18n(), request)
    )


def _bell(request):
    return Bell(request)


def _i18n() -> dict:
    return {"LANGUAGES": settings.LANGUAGES, "LANGUAGE_CODE": translation.get_language()}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_both_engines_draw_the_same_navigation_bar_for_every_user(language):
    for kind, user in users().items():
        request = RequestFactory().get("/bloc-years/?x=1")
        request.user = user
        request.session = {}
        request._messages = FallbackStorage(request)
        with translation.override(language):
            jinja, django = navbar("jinja2", request), navbar("django", request)
        assert normalised(jinja) == normalised(django), kind
        assert 'name="csrfmiddlewaretoken"' in jinja, kind


def test_a_page_of_each_engine_finds_its_own_layout():
    assert engines["jinja2"].get_template("base.html").origin.name.endswith("jinja2/base.html")
    assert engines["django"].get_template("base.html").origin.name.endswith("templates/base.html")


JINJA_DIR = Path(settings.BASE_DIR) / "jinja2"
MSGID = re.compile(r"""\b_\(\s*(?P<q>["'])(?P<text>.*?)(?P=q)\s*\)""")


def test_every_text_of_a_jinja2_template_is_translated():
    """Django's makemessages reads ``_("…")`` in a Jinja2 template only at the
    start of ``{{ … }}`` or in a one-line ``{% … %}``: a text it missed would
    fall out of the catalogue at its next run and show in English."""
    with (Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po").open("rb") as po:
        catalogue = read_po(po)
    texts = {
        (path.relative_to(JINJA_DIR).as_posix(), match["text"])
        for path in JINJA_DIR.rglob("*.html")
        for match in MSGID.finditer(path.read_text())
    }
    assert texts
    untranslated = [
        (name, text)
        for name, text in texts
        if not catalogue.get(text) or not catalogue.get(text).string
    ]
    assert untranslated == []
