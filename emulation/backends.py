"""The sign-in backend: Django's own, reading the signed-in user in one query
with what every page's header shows (their agency and province, the role
under their name, and the bell's unread count)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from emulation.prepared import PreparedQuery
from emulation.selectors import with_unread_count


def _signed_in_user(user_id):
    users = with_unread_count(get_user_model()._default_manager)
    return users.select_related("agency", "province").filter(pk=user_id)


# Every request reads its user: the query is compiled once per process.
signed_in_user = PreparedQuery(_signed_in_user)


class UserBackend(ModelBackend):
    """Django's password backend. The user of a request is read with their
    agency and province and with the count of their unread notifications (a
    subquery of the same query): the header costs no query of its own."""

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        users = signed_in_user(user_id)
        user = users[0] if users else None
        return user if user is not None and self.user_can_authenticate(user) else None
