"""Amounts of money in the page's language: 14.400.000 in Vietnamese."""

from django import template
from django.utils.formats import get_format

register = template.Library()


@register.filter
def vnd(value):
    """Whole đồng grouped by thousands with the language's separator (the
    Vietnamese format sets no grouping size, so it is fixed at three here)."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", get_format("THOUSAND_SEPARATOR"))
