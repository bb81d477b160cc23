"""The one-time link of an invitation: a signed token, valid 72 hours, that
names the user and a fingerprint of the account's password field. Setting the
password, or sending the invitation again, changes that field, so a link
serves once and only the newest one serves."""

from __future__ import annotations

import datetime
import hashlib

from django.core import signing
from django.utils.crypto import constant_time_compare

from emulation.models import User

INVITATION_VALIDITY = datetime.timedelta(hours=72)
_SALT = "emulation-invitation"


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password.encode()).hexdigest()[:20]


def invitation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "p": _fingerprint(user)}, salt=_SALT)


def user_for_invitation(token: str) -> User | None:
    """The invited user the token names, or None when the link is forged,
    older than 72 hours, already used or replaced by a newer invitation."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=INVITATION_VALIDITY)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not user.invitation_pending:
        return None
    if not constant_time_compare(_fingerprint(user), str(data.get("p", ""))):
        return None
    return user
