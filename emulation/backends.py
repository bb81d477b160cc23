"""The sign-in backend: Django's own, reading the signed-in user in one query
with what every page's header shows (their agency and province, the role
under their name, and the bell's unread count), and, for a session verified
by an authenticator, that device (see ``emulation.middleware.OTPMiddleware``)."""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import FilteredRelation, Q

from emulation.prepared import PreparedQuery
from emulation.selectors import with_unread_count

# The id of the authenticator (TOTP device) that verified the session whose
# user is being read, set by the second-factor middleware around the read.
session_device_id: ContextVar[int | None] = ContextVar("session_device_id", default=None)


def _signed_in_user(user_id):
    users = with_unread_count(get_user_model()._default_manager)
    return users.select_related("agency", "province").filter(pk=user_id)


def _signed_in_user_with_device(user_id, device_id):
    """The user, and the authenticator ``device_id`` if it is theirs (as
    ``session_device``; absent when it is not, or no longer exists)."""
    device = FilteredRelation("totpdevice", condition=Q(totpdevice__id=device_id))
    return _signed_in_user(user_id).annotate(session_device=device).select_related("session_device")


# Every request reads its user: the query is compiled once per process.
signed_in_user = PreparedQuery(_signed_in_user)
signed_in_user_with_device = PreparedQuery(_signed_in_user_with_device, arity=2)

# Set on a user read with its session's authenticator: the device's id (the
# device itself is ``session_device``, when it was found).
DEVICE_READ = "session_device_read"


class UserBackend(ModelBackend):
    """Django's password backend. The user of a request is read with their
    agency and province and with the count of their unread notifications (a
    subquery of the same query): the header costs no query of its own. A
    session verified by an authenticator reads the device in the same query
    (the second factor is checked on every request: a device removed counts
    at once)."""

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        device_id = session_device_id.get()
        if device_id is None:
            users = signed_in_user(user_id)
        else:
            users = signed_in_user_with_device(user_id, device_id)
        user = users[0] if users else None
        if user is None or not self.user_can_authenticate(user):
            return None
        if device_id is not None:
            setattr(user, DEVICE_READ, device_id)
        return user
