"""What every page's template may show: the bell's unread count, and (in
the Jinja2 templates) the page's CSRF token."""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.utils.functional import cached_property, lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from emulation.selectors import unread_count


class Bell:
    """The navbar's bell. Nothing is read until a page shows the count (a
    partial swapped in by htmx does not; nor does the page shown while the
    database is down), and then from the user as loaded for the request."""

    def __init__(self, request):
        self._request = request

    @cached_property
    def unread(self) -> int:
        user = self._request.user
        return unread_count(user) if user.is_authenticated else 0

    @cached_property
    def label(self) -> str:
        """The bell's accessible name, with the count (in both layouts)."""
        return ngettext(
            "Notifications: %(n)s unread", "Notifications: %(n)s unread", self.unread
        ) % {"n": self.unread}


def bell(request):
    return {"bell": Bell(request)}


class _PageToken:
    """The request's CSRF token, masked at its first use on the page."""

    def __init__(self, request):
        self._request = request

    @cached_property
    def value(self) -> str:
        return get_token(self._request)

    def input(self) -> SafeString:
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', self.value
        )


_token_lazy = lazy(lambda token: token.value, str)
_input_lazy = lazy(_PageToken.input, SafeString)


def csrf(request):
    """``csrf_token`` and ``csrf_input`` for a Jinja2 page, masked once per
    page as the Django template language's own ``{% csrf_token %}`` is (the
    Jinja2 backend masks the token anew at each use, and the layout uses it
    three times: htmx's header, the language menu and the logout form)."""
    token = _PageToken(request)
    return {"csrf_token": _token_lazy(token), "csrf_input": _input_lazy(token)}
