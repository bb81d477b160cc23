"""The awards app's filters in Jinja2 templates: the same functions as its
Django template filters (see emulation.jinja2)."""

from django.utils.translation import ngettext

from awards.templatetags.money import vnd


def written_votes(n: int) -> str:
    """How many of the council's votes for an item were cast in writing."""
    return ngettext("including %(w)s written vote", "including %(w)s written votes", n) % {"w": n}


GLOBALS = {"written_votes": written_votes}

FILTERS = {"vnd": vnd}
