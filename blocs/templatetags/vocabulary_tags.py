"""The province's words on pages: ``{{ bloc_year|term:"leader" }}``,
``{{ membership.role|member_role:bloc_year }}``; the same words the documents
use (blocs.selectors.vocabulary_for), read from a province already loaded."""

from django import template

from blocs.models import Bloc, BlocYear, Province
from blocs.selectors import vocabulary_for
from emulation.vocabulary import Vocabulary, vocabulary_from

register = template.Library()


def words_of(where) -> Vocabulary:
    """The vocabulary of a province, bloc or bloc-year (the defaults for anything else)."""
    if isinstance(where, Vocabulary):
        return where
    if isinstance(where, BlocYear):
        where = where.bloc
    if isinstance(where, Bloc):
        where = where.province
    if isinstance(where, Province):
        return vocabulary_for(where)
    return vocabulary_from(None)


@register.filter
def term(where, key: str) -> str:
    return words_of(where)[key]


@register.filter
def member_role(role: str, where) -> str:
    """A member role ("leader") as the province names it ("Trưởng khối")."""
    return words_of(where).role(role)
