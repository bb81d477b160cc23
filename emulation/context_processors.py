"""What every page's template may show: the bell's unread count."""

from __future__ import annotations

from django.utils.functional import cached_property
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
