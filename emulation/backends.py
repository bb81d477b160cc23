"""The sign-in backend: Django's own, reading the signed-in user with the
agency and province that every page's header names."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's password backend. The user of a request is read in one query
    with their agency and province: the header of every page shows them (the
    role under the user's name), which otherwise costs a second query."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("agency", "province").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
