"""The blocs app's functions and filters in Jinja2 templates: the same
functions as its Django template tags (see emulation.jinja2)."""

from jinja2 import pass_context

from blocs.templatetags.bloc_year_nav import bloc_year_nav, phase_bar
from blocs.templatetags.review_tags import points, signed
from blocs.templatetags.scoring_tags import deduction, get_item, score
from blocs.templatetags.vocabulary_tags import member_role, term

GLOBALS = {
    # {{ bloc_year_nav(bloc_year, "ranking") }}: the tabs, read from the request's user.
    "bloc_year_nav": pass_context(bloc_year_nav),
    "phase_bar": phase_bar,
}

FILTERS = {
    "points": points,
    "signed": signed,
    "score": score,
    "deduction": deduction,
    "get_item": get_item,
    "term": term,
    "member_role": member_role,
}
