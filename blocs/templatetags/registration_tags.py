"""{% targets_summary membership %}: the agency's registered targets with what it
achieved, to stand beside its self-assessment (the self-assessment page includes it)."""

from django import template

from blocs.selectors.registration import targets_with_achievement

register = template.Library()


@register.inclusion_tag("blocs/registration/_targets_summary.html")
def targets_summary(membership):
    """Two queries: the targets and their progress reports."""
    return {"achievements": targets_with_achievement(membership)}
