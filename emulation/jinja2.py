"""The Jinja2 environment of the busiest pages' templates (under ``jinja2/``).

Conventions of a Jinja2 template here:

- **One engine per page.** A Jinja2 page extends ``base.html`` (``jinja2/``)
  and includes only Jinja2 templates; the Django template language's pages
  stay under ``templates/``. The layout exists in both engines; a test keeps
  their navigation bars identical for every role.
- **Translations** are ``{{ _("…") }}``, with placeholders filled by
  ``|format``: ``{{ _("Council staff – %(province)s")|format(province=p) }}``.
  Django's ``makemessages`` reads ``_("…")`` in any template, so the msgids
  stay in the one catalogue and the Django template language's translations
  serve both engines; ``{% trans %}`` blocks are not read by it and are not
  used. A plural is chosen in Python (``ngettext``), as the bell's label.
- **What the context holds**: what the view passes, plus ``request``,
  ``user``, ``csrf_input``, ``csrf_token``, ``messages``, ``LANGUAGE_CODE``,
  ``LANGUAGES``, ``CSP_NONCE`` and ``bell`` (the context processors of the
  Jinja2 engine in settings). An undefined name is an error, not an empty
  string: a misspelt variable fails its page's tests.
- **Functions**: ``url(name, *args, **kwargs)``, ``static(path)``, each
  app's functions and filters (``<app>/templating.py``: ``GLOBALS`` and
  ``FILTERS``, the same Python functions as its Django template tags), and a
  few of Django's (``date``, ``time``, ``floatformat``, ``linebreaksbr``,
  ``truncatechars``). A permission is ``user.has_perm("app.rule", obj)``.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import module_has_submodule
from jinja2 import Environment, StrictUndefined


def url(name: str, *args, **kwargs) -> str:
    """``reverse`` with positional or keyword arguments, as ``{% url %}``."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


DJANGO_FILTERS = {
    "date": defaultfilters.date,
    "time": defaultfilters.time,
    "floatformat": defaultfilters.floatformat,
    "linebreaksbr": defaultfilters.linebreaksbr,
    "truncatechars": defaultfilters.truncatechars,
}


def app_templating() -> tuple[dict, dict]:
    """The ``GLOBALS`` and ``FILTERS`` of every installed app of the project
    that has a ``templating`` module, found as Django finds template tag
    libraries."""
    functions: dict = {}
    filters: dict = {}
    for config in apps.get_app_configs():
        if config.path.startswith(str(settings.BASE_DIR)) and module_has_submodule(
            config.module, "templating"
        ):
            module = import_module(f"{config.name}.templating")
            functions.update(getattr(module, "GLOBALS", {}))
            filters.update(getattr(module, "FILTERS", {}))
    return functions, filters


def environment(**options) -> Environment:
    options.setdefault("undefined", StrictUndefined)
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    # Every template is HTML: escaping is always on, whatever the options say.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    # Plain gettext: a translation is a string, escaped on output like any
    # other, and filled in with |format.
    env.install_gettext_translations(translation, newstyle=False)
    functions, filters = app_templating()
    env.globals.update(url=url, static=static, **functions)
    env.filters.update(DJANGO_FILTERS, **filters)
    return env
