"""The Jinja2 environment of the busiest pages' templates (under ``jinja2/``).

Conventions of a Jinja2 template here:

- **One engine per page.** A Jinja2 page extends ``base.html`` (``jinja2/``)
  and includes only Jinja2 templates; the Django template language's pages
  stay under ``templates/``. The layout exists in both engines; a test keeps
  their navigation bars identical for every role.
- **Translations** are ``{{ _("…") }}``, with placeholders filled by
  ``|format``: ``{{ _("Council staff – %(province)s")|format(province=p) }}``.
  Django's ``makemessages`` reads ``_("…")`` in any template (at the start
  of ``{{ … }}`` or in a one-line ``{% … %}``), so the msgids stay in the one
  catalogue and the Django template language's translations serve both
  engines; Jinja2's ``{% trans %}`` blocks, which it would not read, are not
  available. A plural is chosen in Python (``ngettext``), as the bell's label.
- **What the context holds**: what the view passes, plus ``request``,
  ``user``, ``csrf_input``, ``csrf_token``, ``messages``, ``LANGUAGE_CODE``,
  ``LANGUAGES``, ``CSP_NONCE``, ``bell`` and ``page_locale`` with the
  page's own ``_``, ``gettext`` and ``url`` (the context processors of the
  Jinja2 engine in settings, which take precedence over the view's names: a
  view does not pass those). An undefined name is an error, not an empty
  string: a misspelt variable fails its page's tests.
- **Compiled** by ``PageCodeGenerator`` (output joined line by line, plain
  functions called directly): a call of a global function that does not
  take the context is compiled as a direct call, so a name that shadows one
  (the page's ``_`` and ``url``) must not take the context either.
- **Functions**: ``url(name, *args, **kwargs)``, ``static(path)``, each
  app's functions and filters (``<app>/templating.py``: ``GLOBALS`` and
  ``FILTERS``, the same Python functions as its Django template tags), and a
  few of Django's (``date`` and ``time``, in the current time zone as in the
  Django template language, ``floatformat``, ``linebreaksbr``,
  ``truncatechars``), and ``localize``: a number as ``{{ value }}`` writes it
  in the Django template language (88,89 in Vietnamese; Jinja2 alone writes
  88.89). A permission is ``user.has_perm("app.rule", obj)``.
- **Fragments**: ``{% call fragment("name", value, …) %}…{% endcall %}``
  draws a block once per process for each set of values (the layout's menu
  for each kind of user); the values must be all the block reads.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache
from importlib import import_module
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.templatetags.static import static as static_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, translation
from django.utils.module_loading import module_has_submodule
from django.utils.timezone import template_localtime
from django.utils.translation import trans_real
from jinja2 import Environment, StrictUndefined, nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.utils import _PassArg
from markupsafe import Markup

# markupsafe's escaping of a text, which ``escape`` wraps in ``Markup``: a
# name private to markupsafe 3.0 (pinned in pyproject.toml), so that another
# release fails at import, not by writing other HTML.
from markupsafe import _escape_inner as escape_text

# A page asks for dozens of URLs (the layout's dozen, a link on each row) and
# names six static files. Each answer is kept for the process: a URL depends
# only on its name and values, the URLconf and the script prefix (all part of
# the key), a static file's URL on the static files' settings (the cache is
# emptied when a test changes them). Only ids, codes and slugs are kept: a
# model instance is turned into text by ``reverse`` and may change.
_PLAIN = {int, str}


@lru_cache(maxsize=8192)
def _reversed(name: str, args: tuple, kwargs: tuple, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def url(name: str, *args, **kwargs) -> str:
    """``reverse`` with positional or keyword arguments, as ``{% url %}``."""
    if {type(value) for value in (*args, *kwargs.values())} <= _PLAIN:
        return _reversed(
            name, args, tuple(sorted(kwargs.items())), get_script_prefix(), get_urlconf()
        )
    return reverse(name, args=args or None, kwargs=kwargs or None)


class PageLocale:
    """What a page's texts and addresses depend on, read once per page: the
    active language's catalogue, the script prefix and the URLconf. Django
    keeps each in a context-local variable that costs microseconds to read,
    and a page has dozens of texts and addresses (the layout alone 25 texts
    and 14 addresses); the page's ``_()`` and ``url()`` read them from here."""

    __slots__ = ("language", "catalogue", "prefix", "urlconf")

    def __init__(self):
        self.language = language = translation.get_language()
        self.catalogue = trans_real.translation(language) if language else None
        self.prefix = get_script_prefix()
        self.urlconf = get_urlconf()

    def gettext(self, message: str) -> str:
        """``_("…")`` on the page."""
        if self.catalogue is None:
            return translation.gettext(message)
        return self.catalogue.gettext(message)

    def url(self, name: str, *args, **kwargs) -> str:
        """``url(…)`` on the page: ``url`` with the page's prefix and URLconf."""
        if not {type(value) for value in (*args, *kwargs.values())} <= _PLAIN:
            return url(name, *args, **kwargs)
        return _reversed(name, args, tuple(sorted(kwargs.items())), self.prefix, self.urlconf)


def page_locale(request) -> dict:
    """The Jinja2 engine's context processor: the page's ``PageLocale``, and
    its ``_()`` and ``url()`` in place of the engine's (which read Django's
    active language, script prefix and URLconf anew at each call, as a
    template drawn without a request needs)."""
    locale = PageLocale()
    return {
        "page_locale": locale,
        "_": locale.gettext,
        "gettext": locale.gettext,
        "url": locale.url,
    }


# The parts of the layout that read only a few plain values (the menu of a
# kind of user) are drawn once per process for each set of values.
_FRAGMENTS: dict[tuple, Markup] = {}
_FRAGMENTS_LIMIT = 4096
_KEY_TYPES = {str, int, bool, type(None)}


@pass_context
def fragment(context, name: str, *values, caller) -> Markup:
    """``{% call fragment("name", value, …) %}…{% endcall %}``: the block's
    HTML, drawn once per process for each set of values and kept. The values
    must be every one the block reads besides its texts and addresses (the
    page's language, script prefix and URLconf are part of the key): one
    left out would show a fragment drawn for another user. They are plain
    values (text, numbers, booleans, None), never an object that may change.
    A page drawn without a request (so without its ``page_locale``) draws the
    block each time."""
    if not {type(value) for value in values} <= _KEY_TYPES:
        raise TypeError("a fragment is keyed by plain values only")
    locale = context.get("page_locale")
    if locale is None:
        return caller()
    key = (name, locale.language, locale.prefix, locale.urlconf, *values)
    html = _FRAGMENTS.get(key)
    if html is None:
        html = caller()  # Markup: the block is escaped as it is drawn
        if len(_FRAGMENTS) >= _FRAGMENTS_LIMIT:
            _FRAGMENTS.clear()
        _FRAGMENTS[key] = html
    return html


@lru_cache(maxsize=1024)
def static(path: str) -> str:
    """The URL of a static file, as ``{% static %}``."""
    return static_url(path)


@receiver(setting_changed)
def _forget_urls(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "STATIC_URL", "STATIC_ROOT", "STORAGES"}:
        _reversed.cache_clear()
        static.cache_clear()
        _FRAGMENTS.clear()


# The letters of a date format that write numbers (day, month, year, hour,
# minute), the same in every language.
_NUMERIC_LETTERS = {
    "d": "{0.day:02d}",
    "m": "{0.month:02d}",
    "Y": "{0.year:04d}",
    "H": "{0.hour:02d}",
    "i": "{0.minute:02d}",
}


@lru_cache(maxsize=64)
def _numeric_format(arg: str) -> tuple[str, bool] | None:
    """``arg`` ("d/m/Y H:i") as a ``str.format`` template, and whether it
    writes the time; None if it has another letter (a month's name, a
    weekday, an escaped letter): that one is Django's to write."""
    template = []
    for char in arg:
        if char in _NUMERIC_LETTERS:
            template.append(_NUMERIC_LETTERS[char])
        elif char.isalpha() or char == "\\":
            return None
        else:
            template.append(char.replace("{", "{{").replace("}", "}}"))
    return "".join(template), bool({"H", "i"} & set(arg))


def date(value, arg=None) -> str:
    """Django's ``date`` filter, given the moment in the current time zone as
    the Django template language gives it (a stored moment is in UTC: a
    proposal sent at 06:30 in Hà Nội is dated that day, not the day before).
    A format of numbers only (the pages' "d/m/Y" and "d/m/Y H:i") is written
    here as Django writes it, without its formatter (a hundred calls)."""
    numeric = _numeric_format(arg) if type(arg) is str else None
    if numeric is not None:
        template, with_time = numeric
        kind = type(value)
        if kind is datetime.datetime or (kind is datetime.date and not with_time):
            return template.format(template_localtime(value))
    return defaultfilters.date(template_localtime(value), arg)


def time(value, arg=None) -> str:
    """Django's ``time`` filter, in the current time zone (as ``date``)."""
    return defaultfilters.time(template_localtime(value), arg)


def localize(value):
    """Django's ``localize`` (``{{ value }}`` in the Django template
    language): a number in the current language, 88,89 in Vietnamese. An
    integer or a decimal without thousands grouping (the site's setting) is
    written here as Django writes it, with one lookup of the language's
    decimal separator instead of three of its formats."""
    kind = type(value)
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    if kind is Decimal and not settings.USE_THOUSAND_SEPARATOR:
        _sign, digits, exponent = value.as_tuple()
        # Django writes a number of more than 200 digits (or not finite) otherwise.
        if type(exponent) is int and abs(exponent) + len(digits) <= 200:
            text = f"{value:f}"
            if "." in text:
                return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
            return text
    return formats.localize(value)


DJANGO_FILTERS = {
    "date": date,
    "time": time,
    "localize": localize,
    "floatformat": defaultfilters.floatformat,
    "linebreaksbr": defaultfilters.linebreaksbr,
    "truncatechars": defaultfilters.truncatechars,
}


class PageCodeGenerator(CodeGenerator):
    """Jinja2's compiler, writing two things of every page more cheaply (the
    HTML is the same):

    - **Output.** Jinja2 yields each piece of a line of output on its own
      (the text, each value, the text after it), and a page that extends the
      layout passes every piece up through three generators. A line of
      output here is yielded once, joined.
    - **Calls.** Jinja2 calls every function of a template through
      ``Context.call``, which asks each time whether the function wants the
      context (and then copies the context when the block or loop has set a
      variable). A method of an object (``user.get_full_name()``) and a
      global function that wants no context (``_``, ``url``, ``static``,
      ``phase_bar``) are called directly; so a name that shadows a global
      (the page's ``_`` and ``url``, see ``page_locale``) must not want the
      context either. A name the view passes (``States(…)``), a
      ``{% call %}`` and a global that wants the context (``fragment``,
      ``bloc_year_nav``) keep Jinja2's way.
    """

    def visit_Output(self, node, frame):
        if frame.require_output_check:
            # Outside a block of a page that extends another: nothing is written.
            if self.has_known_extends:
                return None
            self.writeline("if parent_template is None:")
            self.indent()
        finalize = self._make_finalize()
        parts: list = []  # text known when compiling, or a node drawn at run time
        for child in node.nodes:
            const = self._constant(child, frame, finalize)
            if const is None:
                parts.append(child)
            elif parts and isinstance(parts[-1], str):
                parts[-1] += const
            else:
                parts.append(const)
        if frame.buffer is not None:
            # Drawn into a string ({% set %} block, macro, call block): the
            # pieces are added to the block's list, joined when it ends.
            one, several = f"{frame.buffer}.append(", f"{frame.buffer}.extend(("
        else:
            one, several = "yield ", "yield concat(("
        if len(parts) == 1:
            self.writeline(one)
            self._output_part(parts[0], frame, finalize)
            if frame.buffer is not None:
                self.write(")")
        else:
            self.writeline(several)
            self.indent()
            for part in parts:
                self.newline(part if isinstance(part, nodes.Node) else None)
                self._output_part(part, frame, finalize)
                self.write(",")
            self.outdent()
            self.writeline("))")
        if frame.require_output_check:
            self.outdent()
        return None

    def _output_part(self, part, frame, finalize) -> None:
        """A piece of a line of output: its text, or its value escaped (text
        escaped with markupsafe's escaping, without wrapping it as
        ``Markup``: the line is joined into the page at once; a plain
        integer, a bloc's count or a link's id, has nothing to escape)."""
        if isinstance(part, str):
            self.write(repr(part))
        elif frame.eval_ctx.volatile or not frame.eval_ctx.autoescape or finalize.src:
            self._output_child_pre(part, frame, finalize)
            self.visit(part, frame)
            self._output_child_post(part, frame, finalize)
        else:
            self.write("(environment.escape_text(_o) if (_o := ")
            self.visit(part, frame)
            self.write(").__class__ is str else str(_o) if _o.__class__ is int else escape(_o))")

    def _constant(self, child, frame, finalize) -> str | None:
        """The output of ``child`` if known when compiling (as Jinja2 tells:
        a value that fails to compile is left to fail when drawn)."""
        try:
            return self._output_child_to_const(child, frame, finalize)
        except Exception:  # noqa: BLE001 - drawn at run time, as Jinja2 does
            return None

    def _plain_global(self, name: str) -> bool:
        """``name`` is a global function that wants no context (as
        ``Context.call`` asks: the function, or its ``__call__``)."""
        function = self.environment.globals.get(name)
        return (
            callable(function)
            and _PassArg.from_obj(function) is None
            and _PassArg.from_obj(function.__call__) is None
        )

    def visit_Call(self, node, frame, forward_caller=False):
        callee = node.node
        if not forward_caller and (
            isinstance(callee, nodes.Getattr)
            or (isinstance(callee, nodes.Name) and self._plain_global(callee.name))
        ):
            self.write("(")
            self.visit(callee, frame)
            self.write(")(")
            # ``signature`` writes ", " before each argument, the first one
            # included: it writes aside, and the first comma is dropped.
            stream, self.stream = self.stream, StringIO()
            try:
                self.signature(node, frame)
                arguments = self.stream.getvalue()
            finally:
                self.stream = stream
            self.write(arguments.removeprefix(", ") + ")")
            return
        super().visit_Call(node, frame, forward_caller=forward_caller)


class PageEnvironment(Environment):
    code_generator_class = PageCodeGenerator
    # A text escaped as ``escape`` escapes it, as plain text (PageCodeGenerator).
    escape_text = staticmethod(escape_text)


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
    env = PageEnvironment(autoescape=True, **options)
    # Plain gettext: a translation is a string, escaped on output like any
    # other, and filled in with |format.
    functions, filters = app_templating()
    env.globals.update(
        _=translation.gettext,
        gettext=translation.gettext,
        url=url,
        static=static,
        fragment=fragment,
        **functions,
    )
    env.filters.update(DJANGO_FILTERS, **filters)
    return env
