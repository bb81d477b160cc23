"""How a view says no: 403 for a permission the user lacks, and the text of
a service's refusal (a ValidationError) for a message or a form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.utils.translation import gettext as _


def require(user, perm: str, obj=None, message: str = "") -> None:
    """Answer 403 unless ``user`` has ``perm`` (a rule of ``<app>/rules.py``) on ``obj``."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def require_actor(actor, perm: str, obj=None, message: str = "") -> None:
    """A service's check of the rule its page checks: 403 unless ``actor`` has
    ``perm`` on ``obj``. ``None`` is the application itself (the demo, a
    management command), which acts for whoever the step belongs to."""
    if actor is not None:
        require(actor, perm, obj, message)


def require_council(user) -> None:
    """The council's pages: council staff of any province, and administrators
    (each page's query keeps them to the provinces they see)."""
    require(user, "emulation.use_council_pages")


def require_complete(missing, message: str = "") -> None:
    """Refuse (a ValidationError) while anything in ``missing`` remains, naming
    every item in one sentence; nothing happens when the list is empty. Checks
    from several places join the same list before calling this once."""
    items = [str(item).strip().rstrip(".") for item in missing if str(item or "").strip()]
    if items:
        raise ValidationError(
            (message or _("This document cannot be issued yet: %(why)s"))
            % {"why": "; ".join(items) + "."}
        )


def refusal_text(refusal: ValidationError | BaseForm) -> str:
    """Every message of a service's refusal (a ValidationError), or of a
    form's errors, in one line for the page."""
    if isinstance(refusal, BaseForm):
        texts = [error for errors in refusal.errors.values() for error in errors]
    else:
        texts = refusal.messages
    return " ".join(str(text) for text in texts)
