"""The signed-in user, loaded with the bell's unread count."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from emulation.selectors import with_unread_count


class UserBackend(ModelBackend):
    """Django's backend, whose loading of the signed-in user on each request
    also counts the user's unread notifications (a subquery of the same
    query): the bell on every page costs no query of its own."""

    def get_user(self, user_id):
        user = with_unread_count(get_user_model()._default_manager).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
