"""The awards app's filters in Jinja2 templates: the same functions as its
Django template filters (see emulation.jinja2)."""

from awards.templatetags.money import vnd

FILTERS = {"vnd": vnd}
