"""What every Jinja2 page's layout asks for: static files (kept for the
process, the same answers as Django's), one CSRF token per page that Django
accepts, and texts and addresses in the page's language and script prefix.
(Dates, numbers and addresses of the environment itself: test_jinja2.py.)"""

from __future__ import annotations

import re

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.middleware.csrf import CSRF_SECRET_LENGTH, _unmask_cipher_token
from django.template import engines
from django.templatetags.static import static as django_static
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix
from django.utils import translation

from emulation.jinja2 import static
from tests.factories.organisation import UserFactory

pytestmark = pytest.mark.django_db


def test_static_answers_as_the_static_tag_and_follows_the_settings(settings):
    assert static("css/app.css") == django_static("css/app.css")

    settings.STATIC_URL = "/tep-tinh/"

    assert static("css/app.css") == django_static("css/app.css") == "/tep-tinh/css/app.css"


def test_a_jinja2_page_masks_the_csrf_token_once_and_django_accepts_it(client):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_council_staff=True, is_national=True)
    request.session = {}
    request._messages = FallbackStorage(request)

    html = engines["jinja2"].get_template("base.html").render({}, request)

    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', html))
    assert len(tokens) == 1
    (token,) = tokens
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(token) == secret


def test_a_form_of_a_jinja2_page_posts_with_its_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.council)
    html = client.get(reverse("awards:council_inbox")).content.decode()
    (token,) = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))

    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def _page(source: str, language: str, prefix: str = "/") -> str:
    """``source`` rendered as a page (with a request) in ``language``."""
    request = RequestFactory().get("/")
    request.user = UserFactory()
    request.session = {}
    request._messages = FallbackStorage(request)
    try:
        set_script_prefix(prefix)
        with translation.override(language):
            return engines["jinja2"].from_string(source).render({}, request)
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(("language", "expected"), [("vi", "Xếp hạng"), ("en", "Ranking")])
def test_a_page_translates_in_its_language(language, expected):
    assert _page('{{ _("Ranking") }}', language) == expected
    # A template rendered without a request reads Django's active language.
    with translation.override(language):
        assert engines["jinja2"].from_string('{{ _("Ranking") }}').render({}) == expected


def test_a_page_addresses_follow_its_script_prefix():
    page = _page("{{ url('home') }} {{ url('awards:agency_profile', 7) }}", "vi", "/thidua/")
    assert page == "/thidua/ /thidua/agencies/7/profile/"
    assert _page("{{ url('awards:agency_profile', 7) }}", "vi") == reverse(
        "awards:agency_profile", args=[7]
    )
