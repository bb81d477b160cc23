"""The tabs of a bloc-year: every stage of the cycle, one click away."""

from django import template

from blocs.enums import Phase

register = template.Library()


@register.inclusion_tag("blocs/_bloc_year_nav.html", takes_context=True)
def bloc_year_nav(context, bloc_year, section: str = ""):
    """Tabs for ``bloc_year``; ``section`` names the current one.

    The secretariat and council staff get the overview pages; members their
    own registration and assessment. One query (the secretariat check).
    """
    user = context["request"].user
    manages = user.has_perm("blocs.oversee_bloc_year", bloc_year)
    published = Phase(bloc_year.phase).index >= Phase.RANKING_PUBLISHED.index
    return {
        "bloc_year": bloc_year,
        "section": section,
        "manages": manages,
        "show_ranking": manages or published,
        "is_council": user.has_perm("blocs.oversee_province", bloc_year),
    }
