"""Renders templates for one build: one Jinja environment, one Markdown parser, one view of the site."""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from ..body import BlockCache, make_markdown
from ..errors import BuildError
from ..plan import PlannedPage, SitePlan
from ..project import Project
from .context import PageContext
from .environment import gettext_for, make_environment, ngettext_for, template_problem
from .view import SiteView, site_view

ROOT_TEMPLATE, NOT_FOUND_TEMPLATE = "root.html", "404.html"


class Renderer:
    """Made once per build, before pages are shared out among processes, which inherit it."""

    def __init__(
        self, project: Project, plan: SitePlan, view: SiteView | None = None,
        env: jinja2.Environment | None = None, blocks: BlockCache | None = None, templates: set[str] | None = None,
    ) -> None:  # fmt: skip
        """``view``, ``env`` and ``blocks`` let `sitegen serve` bring what it kept from the last save:
        a view of only the pages in sight, the compiled templates, blocks rendered before; and
        ``templates``, the only ones it needs compiled now (default: every one the plan uses)."""
        self.report = project.report
        self.view = view or site_view(project, plan)
        self.md = make_markdown()
        # Body blocks rendered once per text and language, then reused on every page; each forked
        # process fills its own copy. Its keys are the texts themselves, so it outlives a build.
        self.blocks: BlockCache = {} if blocks is None else blocks
        self.made: dict[tuple[object, ...], tuple[tuple[object, ...], Markup]] = {}  # cards (PageContext.once)
        self.interface: dict[str, tuple[Any, Any]] = {}  # each language's gettext and ngettext for templates
        self.env = env or make_environment(project.theme.template_dirs)
        if templates is None:
            templates = {page.template for page in plan.pages} | {ROOT_TEMPLATE, NOT_FOUND_TEMPLATE}
        for name in sorted(templates):
            try:
                self.env.get_template(name)  # compiled once, before any fork; syntax errors show up here
            except jinja2.TemplateError as exc:
                raise BuildError([template_problem(exc, self.report, "")]) from None

    def context(self, lang: str, path: str, up: str | None = None, page: PlannedPage | None = None) -> PageContext:
        """The helpers of a page at ``path`` below the site's root (see PageContext)."""
        return PageContext(self.view, self.md, self.blocks, lang, path, up, self.made, page)

    def page(self, page: PlannedPage) -> bytes:
        """The HTML of one planned page; pages render independently of each other."""
        return self.render(page.template, self.context(page.lang, page.url, page=page), page.url, page=page)

    def render(self, template: str, c: PageContext, url: str, **extra: Any) -> bytes:
        """``template`` with the page's helpers ``c`` and the site's ``view``; ``url`` names it in errors."""
        if c.lang not in self.interface:
            self.interface[c.lang] = (gettext_for(c.language.ui), ngettext_for(c.language.ui))
        gettext, ngettext = self.interface[c.lang]
        try:
            html = self.env.get_template(template).render(
                c=c, view=self.view, site=self.view.site, content=self.view.content, lang=c.lang, fmt=c.language.fmt,
                gettext=gettext, ngettext=ngettext, _=gettext, **extra,
            )  # fmt: skip
        except jinja2.TemplateError as exc:
            raise BuildError([template_problem(exc, self.report, url)]) from None
        return html.encode()
