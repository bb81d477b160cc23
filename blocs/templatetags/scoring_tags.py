from django import template

from blocs import scoring_math

register = template.Library()


@register.filter
def score(value):
    """12.50 → 12,5 (as Vietnamese documents write points)."""
    return scoring_math.fmt(value)


@register.filter
def deduction(value):
    """Points deducted, with their sign: 2.5 → −2,5; nothing deducted → 0."""
    return f"−{scoring_math.fmt(value)}" if value else scoring_math.fmt(0)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
