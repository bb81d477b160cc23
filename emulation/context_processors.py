"""What every page's template may show: the bell's unread count."""

from __future__ import annotations

from django.utils.functional import cached_property

from emulation.selectors import unread_count


class Bell:
    """The navbar's bell: the count is read only when a page shows it (a
    partial swapped in by htmx does not), from the user as loaded for the request."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def unread(self) -> int:
        return unread_count(self._user)


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": Bell(user)}
