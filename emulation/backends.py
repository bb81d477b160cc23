"""The sign-in backend: Django's own, reading the signed-in user in one query
with what every page's header shows (their agency and province, the role
under their name, and the bell's unread count)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from emulation.selectors import with_unread_count


class UserBackend(ModelBackend):
    """Django's password backend. The user of a request is read with their
    agency and province and with the count of their unread notifications (a
    subquery of the same query): the header costs no query of its own."""

    def get_user(self, user_id):
        users = with_unread_count(get_user_model()._default_manager)
        user = users.select_related("agency", "province").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
