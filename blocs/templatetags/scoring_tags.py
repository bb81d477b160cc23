from django import template
from django.utils.formats import get_format

from blocs import scoring_math
from blocs.templatetags.vocabulary_tags import words_of

register = template.Library()


@register.filter
def score(value, separator=None):
    """12.50 → 12,5 (as Vietnamese documents write points; 12.5 in English);
    ``separator``: the language's, when the page asked it once."""
    return scoring_math.fmt(value, separator or get_format("DECIMAL_SEPARATOR"))


@register.filter
def deduction(value, where=None, separator=None):
    """Points deducted, written as the province of ``where`` (a bloc-year, bloc
    or province) writes them in pages and documents alike: 2.5 → −2,5 or
    2,5 (trừ); nothing deducted → 0."""
    return words_of(where).deduction(value, score(abs(value or 0), separator))


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
