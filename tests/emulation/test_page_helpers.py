"""What every Jinja2 page's layout asks for: URLs and static files, kept for
the process, with the same answers as Django's."""

from __future__ import annotations

import pytest
from django.templatetags.static import static as django_static
from django.urls import reverse, set_script_prefix

from emulation.jinja2 import static, url

pytestmark = pytest.mark.django_db


def test_url_answers_as_reverse_does():
    assert url("home") == reverse("home")
    assert url("awards:agency_profile", 7) == reverse("awards:agency_profile", args=[7])
    assert url("awards:agency_profile", 8) == reverse("awards:agency_profile", args=[8])
    assert url("awards:agency_profile", pk=9) == reverse("awards:agency_profile", kwargs={"pk": 9})


def test_url_follows_the_script_prefix():
    try:
        set_script_prefix("/thidua/")
        assert url("home") == reverse("home") == "/thidua/"
    finally:
        set_script_prefix("/")
    assert url("home") == "/"


def test_static_answers_as_the_static_tag_and_follows_the_settings(settings):
    assert static("css/app.css") == django_static("css/app.css")

    settings.STATIC_URL = "/tep-tinh/"

    assert static("css/app.css") == django_static("css/app.css") == "/tep-tinh/css/app.css"
