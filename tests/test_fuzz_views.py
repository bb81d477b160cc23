"""Hypothesis fuzzing through the views: every URL of the blocs and awards
apps that takes no argument or a bloc-year, meeting or poll, posted random
values for the fields its page shows (read from the rendered HTML), by the
user who may act there. Never a server error; a page that answers 200 to a
POST (the form again, with its errors) has written nothing."""

from __future__ import annotations

import os
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import conference_with_poll, fuzz_settings, row_counts

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_VIEW_EXAMPLES", "6"))
NAME = re.compile(r"<(?:input|select|textarea)[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)
SKIP_NAMES = {"csrfmiddlewaretoken"}


def patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def targets() -> list[str]:
    """Route templates of the apps with no argument or one ``<int:pk>`` under
    bloc-years/, meetings/ or polls/."""
    found = []
    for route, entry in patterns():
        module = getattr(entry.callback, "__module__", "")
        if not module.startswith(("blocs.", "awards.")):
            continue
        args = re.findall(r"<[^>]+>", route)
        if (
            not args
            or args == ["<int:pk>"]
            and route.startswith(("bloc-years/", "meetings/", "polls/"))
        ):
            found.append(route)
    return sorted(set(found))


TARGETS = targets()

junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "\x00",
            "=1+1",
            "-1",
            "0",
            "1",
            "99999999999999999999",
            "1e400",
            "NaN",
            "31/02/2024",
            "2024-02-30",
            "Sở Tài chính",
            "x" * 10000,
            "../../etc/passwd",
            "on",
            "leader",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


@pytest.fixture
def world(cast):
    conf, poll = conference_with_poll("v")
    return cast, conf, poll


def test_the_view_targets_are_found():
    assert len(TARGETS) >= 40, TARGETS


@pytest.mark.parametrize("route", TARGETS)
def test_view_survives_random_posts(route, world, client):
    cast, conf, poll = world
    if route.startswith("bloc-years/"):
        url, user = "/" + route.replace("<int:pk>", str(conf.bloc_year.pk)), conf.secretariat
    elif route.startswith("meetings/"):
        url, user = "/" + route.replace("<int:pk>", str(conf.meeting.pk)), conf.secretariat
    elif route.startswith("polls/"):
        url, user = "/" + route.replace("<int:pk>", str(poll.pk)), conf.secretariat
    else:
        url, user = "/" + route, cast.council
    client.force_login(user)
    page = client.get(url)
    assert page.status_code < 500
    names = sorted(set(NAME.findall(page.content.decode(errors="replace"))) - SKIP_NAMES)
    names = names or ["reason", "note", "name", "number", "date", "mode", "candidates"]

    @fuzz_settings(EXAMPLES)
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(names, junk)))
    def post(data):
        from django.db import transaction

        with transaction.atomic():
            before = row_counts()
            response = client.post(url, data)
            assert response.status_code < 500, (url, data)
            if response.status_code == 200:
                assert row_counts() == before, f"{url}: a refused form wrote rows"
            transaction.set_rollback(True)

    post()
