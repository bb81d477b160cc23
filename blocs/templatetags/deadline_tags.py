"""A deadline's extension on a page: ``{{ deadline|extended }}`` (both
template engines)."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def extended(deadline) -> str:
    """The badge "extended to 05/02/2024" and the extension's reason, when an
    extension is in force for the deadline; nothing otherwise."""
    if not getattr(deadline, "extended", False):
        return ""
    return format_html(
        ' <span class="badge text-bg-info text-wrap">{}</span>'
        ' <span class="small text-body-secondary">{}</span>',
        _("extended to %(date)s") % {"date": date_format(deadline.date, "d/m/Y")},
        deadline.extension.reason,
    )
