"""How a view says no: 403 for a permission the user lacks, and the text of
a service's refusal (a ValidationError) for a message or a form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


def require(user, perm: str, obj=None, message: str = "") -> None:
    """Answer 403 unless ``user`` has ``perm`` (a rule of ``<app>/rules.py``) on ``obj``."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def require_council(user) -> None:
    """The council's pages: council staff of any province, and administrators
    (each page's query keeps them to the provinces they see)."""
    require(user, "emulation.use_council_pages")


def refusal_text(exc: ValidationError) -> str:
    """Every message of a service's refusal, in one line for the page."""
    return " ".join(str(message) for message in exc.messages)
