"""The awards app's functions and filters in Jinja2 templates: the same
functions as its Django template filters (see emulation.jinja2). A plural is
chosen here, in Python, where makemessages reads it."""

from django.utils.translation import ngettext

from awards.templatetags.money import vnd


def written_votes(n: int) -> str:
    """How many of the council's votes for an item were cast in writing."""
    return ngettext("including %(w)s written vote", "including %(w)s written votes", n) % {"w": n}


def tick_at_most(quota: int) -> str:
    """The ballot's instruction, singular or plural by the quota."""
    return ngettext(
        "Tick at most %(q)s candidate. Ticking none casts a blank ballot.",
        "Tick at most %(q)s candidates. Ticking none casts a blank ballot.",
        quota,
    ) % {"q": quota}


GLOBALS = {"written_votes": written_votes, "tick_at_most": tick_at_most}

FILTERS = {"vnd": vnd}
