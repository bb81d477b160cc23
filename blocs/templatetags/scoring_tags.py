from django import template
from django.utils.formats import get_format

from blocs import scoring_math

register = template.Library()


@register.filter
def score(value):
    """12.50 → 12,5 (as Vietnamese documents write points; 12.5 in English)."""
    return scoring_math.fmt(value, get_format("DECIMAL_SEPARATOR"))


@register.filter
def deduction(value):
    """Points deducted, with their sign: 2.5 → −2,5; nothing deducted → 0."""
    return f"−{score(value)}" if value else score(0)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
