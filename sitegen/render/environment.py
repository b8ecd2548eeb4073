"""The Jinja environment of a build: one per build, its filters and interface strings, its errors.

Interface strings (``{% trans %}``, ``_()``) are the theme's English msgids translated by the
language's UI catalogue; a translation can change words, never the page (see interface_text).
"""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import jinja2
from jinja2.utils import internalcode
from markupsafe import Markup, escape

from ..interface_strings import UiTranslations
from ..errors import Problem, Report
from ..theme import TemplateLoader


class RenderContext(jinja2.runtime.Context):
    """Jinja's template context, with a shorter path for calling a plain function or method.

    A page makes a hundred calls or more (``c.url``, ``c.t``, ``_``): Jinja's ``Context.call``
    looks three times for a ``pass_context`` mark on each, by attribute lookups that mostly fail.
    A function or bound method has the mark only in its function's ``__dict__``, so one look
    there decides; anything else (a macro, a callable object, a marked function) takes Jinja's
    own path.
    """

    @internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's own signature)
        kind = type(__obj)
        if kind is types.MethodType and type(__obj.__func__) is types.FunctionType:
            plain = PASS_ARG not in __obj.__func__.__dict__  # where a bound method finds the mark
        elif kind is types.FunctionType:
            plain = PASS_ARG not in __obj.__dict__
        else:
            plain = kind is types.BuiltinFunctionType  # a builtin carries no mark
        if not plain:
            return super().call(__obj, *args, **kwargs)
        if kwargs:  # what Jinja adds to a call inside a loop or block, for pass_context functions only
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja does: a generator's end must not end the template's
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


PASS_ARG = "jinja_pass_arg"  # what pass_context and its kin set on a function


def make_environment(template_dirs: list[Path]) -> jinja2.Environment:
    """The project's theme first, then the default theme; undefined names are errors."""
    env = jinja2.Environment(
        loader=TemplateLoader([str(d) for d in template_dirs]),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Each build makes its own environment and compiles every template once; without this,
        # every page's template and each one it extends or imports is checked on disk again.
        auto_reload=False,
    )
    env.context_class = RenderContext
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # what install_gettext_callables sets
    env.filters["tojson_ld"] = json_ld
    return env


def json_ld(data: Any) -> Markup:
    """JSON-LD safe inside <script>: no '</script>' or '<!--' can end or change the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # These characters only occur inside JSON strings, where \uXXXX means the same character.
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def gettext_for(ui: UiTranslations) -> Any:
    """The ``_``/``gettext`` of templates rendered in the language of ``ui``; make it once per language.

    A page asks for some thirty interface strings, nearly all without variables and the same on
    every page: each of those is made once and then looked up.
    """
    made: dict[tuple[str, bool], str] = {}

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        if variables:
            return interface_text(ui.gettext(message), message, variables, context.eval_ctx.autoescape)
        key = (message, context.eval_ctx.autoescape)
        text = made.get(key)
        if text is None:
            text = made[key] = interface_text(ui.gettext(message), message, variables, key[1])
        return text

    return gettext


def ngettext_for(ui: UiTranslations) -> Any:
    @jinja2.pass_context
    def ngettext(context: jinja2.runtime.Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        source = singular if num == 1 else plural
        return interface_text(ui.ngettext(singular, plural, num), source, variables, context.eval_ctx.autoescape)

    return ngettext


def interface_text(translation: str, source: str, variables: dict[str, Any], autoescape: bool) -> str:
    """An interface string for a template: escaped text, filled in with escaped variables.

    Jinja's own i18n marks a translation as Markup, so a catalogue could add tags or attributes
    to every page; a translation can change words, never the page. When a translation doesn't
    format (a lone '%'; ``sitegen check`` reports it, the build leaves such a translation out)
    the English source is shown instead of failing the build.
    """
    text = escape(translation) if autoescape else translation
    if not variables:
        return text
    try:
        return text % variables
    except (KeyError, ValueError, TypeError, IndexError, OverflowError):
        fallback = escape(source) if autoescape else source
        return fallback % variables  # the theme's own string: an error here is the template's


def template_problem(exc: jinja2.TemplateError, report: Report, url: str) -> Problem:
    """A theme's template error as ``path:line: message``, like every other problem."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Problem(report.rel(exc.filename), exc.lineno, exc.message or str(exc))
    # Jinja rewrites tracebacks so that template frames carry the template's file and line.
    where = ("templates", 0)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".html", ".txt", ".xml")):
            where = (report.rel(tb.tb_frame.f_code.co_filename), tb.tb_lineno)
        tb = tb.tb_next
    return Problem(where[0], where[1], f"{exc} (while rendering /{url})")
