from django import template

from blocs import scoring_math

register = template.Library()


@register.filter
def score(value):
    """12.50 → 12,5 (as Vietnamese documents write points)."""
    return scoring_math.fmt(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
