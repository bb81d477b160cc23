"""Patterns grouped by their first segment answer every address as the flat
list did, and refuse a grouping that would change which pattern answers."""

import re

import pytest
from django.http import HttpResponse
from django.urls import include, path, resolve, reverse
from django.urls.resolvers import URLResolver, get_resolver

from emulation.urlgroups import grouped


def view(request, **kwargs):
    return HttpResponse()


def other(request, **kwargs):
    return HttpResponse()


def test_patterns_of_a_first_segment_share_one_include():
    patterns = grouped(
        [
            path("polls/<int:pk>/", view, name="poll"),
            path("healthz", view, name="healthz"),
            path("meetings/<int:pk>/", view, name="meeting"),
            path("polls/<int:pk>/vote/", view, name="vote"),
            path("polls/", view, name="polls"),
        ]
    )

    assert [str(entry.pattern) for entry in patterns] == ["polls/", "healthz", "meetings/"]
    assert [str(entry.pattern) for entry in patterns[0].url_patterns] == [
        "<int:pk>/",
        "<int:pk>/vote/",
        "",
    ]


def test_the_first_pattern_of_a_group_still_answers_first():
    resolver = get_resolver(
        type(
            "urls",
            (),
            {
                "urlpatterns": grouped(
                    [
                        path("documents/<slug:slug>/", view, name="document"),
                        path("documents/dossier/", other, name="dossier"),
                    ]
                )
            },
        )
    )

    assert resolver.resolve("/documents/dossier/").func is view


def test_a_pattern_after_a_catch_all_cannot_join_its_group():
    with pytest.raises(ValueError, match="may match any path"):
        grouped(
            [
                path("polls/<int:pk>/", view),
                path("<slug:code>/", other),
                path("polls/<int:pk>/vote/", view),
            ]
        )
    with pytest.raises(ValueError, match="may match any path"):
        grouped([path("polls/", view), path("", include([])), path("polls/open/", view)])


def _endpoints(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _endpoints(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


SAMPLES = {"int": "7", "slug": "mau-thu", "str": "mau", "path": "a/b"}


def test_every_address_of_the_site_reaches_its_own_view():
    """Each pattern, given sample values, is answered by itself: no pattern
    of another group, or earlier in its own, takes its addresses."""
    checked = 0
    for route, entry in _endpoints(get_resolver().url_patterns):
        if "(?P" in route or route.startswith("^"):
            continue  # the admin's regular expressions
        address = "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m[1] or "str"], route)
        match = resolve(address)
        assert match.func == entry.callback, address
        if entry.name and match.namespace:
            assert reverse(match.view_name, kwargs=match.kwargs) == address
        checked += 1
    assert checked > 250
