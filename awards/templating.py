"""The awards app's functions and filters in Jinja2 templates: the same
functions as its Django template filters (see emulation.jinja2)."""

from django.utils.translation import ngettext

from awards.templatetags.money import vnd


def tick_at_most(quota: int) -> str:
    """The ballot's instruction, singular or plural by the quota."""
    return ngettext(
        "Tick at most %(q)s candidate. Ticking none casts a blank ballot.",
        "Tick at most %(q)s candidates. Ticking none casts a blank ballot.",
        quota,
    ) % {"q": quota}


GLOBALS = {"tick_at_most": tick_at_most}

FILTERS = {"vnd": vnd}
