"""Template filters of the review and ranking pages."""

from decimal import Decimal

from django import template
from django.utils.formats import get_format

from blocs import scoring_math

register = template.Library()


def decimal_separator() -> str:
    """The current language's decimal separator: a page that writes many
    numbers asks it once and gives it to each filter below."""
    return get_format("DECIMAL_SEPARATOR")


@register.filter
def points(value, separator=None):
    """12.50 → 12,5 (as Vietnamese documents write points; 12.5 in English); None → —."""
    if value is None or value == "":
        return "—"
    return scoring_math.fmt(value, separator or decimal_separator())


@register.filter
def signed(value, separator=None):
    """A difference with its sign: +2,5 / −1 / 0."""
    if value is None:
        return ""
    value = Decimal(value)
    text = scoring_math.fmt(abs(value), separator or decimal_separator())
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return "0"
