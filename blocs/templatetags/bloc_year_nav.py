"""The tabs of a bloc-year and the bar of its phases: on every page of a
bloc-year, so each is rendered once per process for what it shows (the
bloc-year's id and the user's tabs, or the phase; and the language), then
served from memory."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from blocs.enums import Phase

register = template.Library()


@lru_cache(maxsize=2048)
def _nav_html(
    bloc_year_pk: int,
    section: str,
    manages: bool,
    show_ranking: bool,
    is_council: bool,
    language: str,
    script_prefix: str,
) -> SafeString:
    # Jinja2 templates (jinja2/), whose output is a plain string: marked safe
    # here, as the Django template language's own would be.
    return mark_safe(  # noqa: S308 - a template's autoescaped output
        render_to_string(
            "blocs/_bloc_year_nav.html",
            {
                "bloc_year_pk": bloc_year_pk,
                "section": section,
                "manages": manages,
                "show_ranking": show_ranking,
                "is_council": is_council,
            },
        )
    )


@register.simple_tag(takes_context=True)
def bloc_year_nav(context, bloc_year, section: str = "") -> SafeString:
    """Tabs for ``bloc_year``; ``section`` names the current one.

    The secretariat and council staff get the overview pages; members their
    own registration and assessment. One query (the secretariat check).
    """
    user = context["request"].user
    is_council = user.has_perm("blocs.oversee_province", bloc_year)
    # The province's council oversees its bloc-years (blocs.rules: oversees).
    manages = is_council or user.has_perm("blocs.oversee_bloc_year", bloc_year)
    published = Phase(bloc_year.phase).index >= Phase.RANKING_PUBLISHED.index
    return _nav_html(
        bloc_year.pk,
        section,
        manages,
        manages or published,
        is_council,
        translation.get_language(),
        get_script_prefix(),
    )


@lru_cache(maxsize=64)
def _phase_bar_html(phase: str, language: str) -> SafeString:
    return mark_safe(  # noqa: S308 - a template's autoescaped output
        render_to_string(
            "blocs/_phase_bar_steps.html", {"phases": Phase.ordered(), "current": Phase(phase)}
        )
    )


@register.simple_tag
def phase_bar(bloc_year) -> SafeString:
    """The cycle's phases, the bloc-year's current one marked."""
    return _phase_bar_html(bloc_year.phase, translation.get_language())
