"""The build, stage by stage: content → catalogues → plan → render → write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markdown_it import MarkdownIt

from .body import make_markdown
from .catalog import load_ui
from .clock import build_date
from .content import load_content
from .errors import BuildError, Problem, Report
from .formats import LinkedData, by_label, downloads
from .localize import Localizer
from .model import Content, Offer
from .output import check_output, discard, staging_folder, swap_into_place, write_tree
from .parallel import can_fork, cpu_count, fork_map
from .plan import PlannedPage, SitePlan, plan_site, slug
from .render import Language, PageContext, make_environment, render_page, render_template
from .search import SearchIndexError, build_index
from .sitefiles import robots, sitemap
from .status import coverage
from .symlinks import regular_files
from .theme import Theme, load_theme
from .translations import load_catalogs


@dataclass(frozen=True, slots=True)
class BuildResult:
    out: Path
    files: int
    pages: int
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class Project:
    """A project read and checked: everything the site is made of, before anything is rendered."""

    content: Content
    theme: Theme
    languages: dict[str, Language]
    report: Report
    today: dt.date | None = None  # the build date in the site's time zone: decides expiry


def load_project(root: Path, today: dt.date | None = None, mode: str = "build", cache: bool = True) -> Project:
    """Read content, theme and catalogues; raises BuildError with every problem found.

    ``mode="check"`` makes every catalogue problem an error; ``"build"`` warns and publishes
    German for each message with a problem (see sitegen.checks). ``cache=False`` re-reads every
    catalogue instead of reusing the checked result of an unchanged one.
    """
    report = Report(root)
    md = make_markdown()
    content = load_content(root, report, md, today)
    theme = load_theme(root, content.site.theme, content.site.path, report)
    catalogs = load_catalogs(root, content.site.target_languages, report, mode, cache)
    report.raise_if_errors()
    languages = {}
    for lang in content.site.languages:
        ui = load_ui([theme.ui_catalogue(lang)], lang, report)
        catalog = catalogs.get(lang)
        if theme.extracts_own_strings and catalog:
            ui = ui.with_strings(catalog.translated, catalog.plural)
        languages[lang] = Language(lang, catalog, Localizer(lang, ui))
    report.raise_if_errors()
    return Project(content, theme, languages, report, today or build_date(content.site.timezone))


def build_site(
    root: Path,
    out: Path | None = None,
    *,
    strict: bool = False,
    today: dt.date | None = None,
    search: bool = True,
    jobs: int | None = None,
    clean: bool = False,
) -> BuildResult:
    """Build the site of the project at ``root`` into ``out`` (default ``root/_site``).

    ``search=False`` leaves out the search index (``--no-search``; ``serve`` does, for speed).
    ``jobs`` processes render pages (default: one per CPU core); ``clean`` ignores caches.
    """
    out = out or root / "_site"
    check_output(root, out)  # a usage error: found before the project is read
    project = load_project(root, today, cache=not clean)
    if strict and project.report.warnings:
        raise BuildError(project.report.warnings, [])
    plan = plan_site(project.content)
    staging = staging_folder(out)
    try:
        count = write_site(staging, project, plan, jobs)
        if search:
            build_index(staging)  # indexes the finished pages, so it runs before the swap
        swap_into_place(staging, out)
    except SearchIndexError as exc:
        discard(staging)
        raise BuildError([Problem(project.report.rel(out), 0, str(exc))]) from None
    except jinja2.TemplateError as exc:  # pages report their own; this is the root or 404 page
        discard(staging)
        raise BuildError([template_problem(exc, project.report, "")]) from None
    except BaseException:
        discard(staging)
        raise
    return BuildResult(out, count, len(plan.pages), tuple(project.report.warnings))


def write_site(staging: Path, project: Project, plan: SitePlan, jobs: int | None = None) -> int:
    """Render and write every file; pages are shared out among ``jobs`` processes.

    Pages render independently, so each worker takes every n-th page (a mix of kinds and
    languages) and writes its own files.
    """
    jobs = jobs or cpu_count()
    if jobs < 2 or len(plan.pages) < PARALLEL_FROM or not can_fork():
        return write_tree(staging, render_site(project, plan))
    renderer = _renderer(project, plan)  # made once, before the fork, so workers inherit it

    def write_pages(pages: Sequence[PlannedPage]) -> int:
        return write_tree(staging, render_pages(project, plan, tuple(pages), renderer))

    counts = fork_map(write_pages, [plan.pages[i::jobs] for i in range(jobs)])
    return sum(counts) + write_tree(staging, other_files(project, plan))


PARALLEL_FROM = 300  # pages; below this, starting a process costs more than it saves


def render_site(project: Project, plan: SitePlan) -> Iterator[tuple[str, bytes]]:
    """Every output file of the site as (path, bytes), in a stable order."""
    return chain(render_pages(project, plan, plan.pages), other_files(project, plan))


def render_pages(
    project: Project, plan: SitePlan, pages: tuple[PlannedPage, ...], renderer: Renderer | None = None
) -> Iterator[tuple[str, bytes]]:
    """The HTML files of ``pages``."""
    env, md, shared = renderer or _renderer(project, plan)
    for page in pages:
        ctx = PageContext(md, project.content, plan, project.languages, page.lang, page.url)
        try:
            html = render_page(env, ctx, page, shared)
        except jinja2.TemplateError as exc:
            raise BuildError([template_problem(exc, project.report, page.url)]) from None
        yield page.output, html.encode()


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


Renderer = tuple[jinja2.Environment, MarkdownIt, dict[str, Any]]


def _renderer(project: Project, plan: SitePlan) -> Renderer:
    """The Jinja environment, Markdown parser and data every page template shares."""
    content = project.content
    env = make_environment(project.theme.template_dirs)
    for name in sorted({page.template for page in plan.pages}):
        try:
            env.get_template(name)  # compiled once, before any fork; syntax errors show up here
        except jinja2.TemplateError as exc:
            raise BuildError([template_problem(exc, project.report, "")]) from None
    md = make_markdown()
    offers_by_contact: dict[str, list[Offer]] = {}
    for offer in content.offers:
        for cid in offer.contacts:
            offers_by_contact.setdefault(cid, []).append(offer)
    shared = {
        "languages": project.languages,
        "plan_filters": plan.filters,
        "contacts_by_id": content.contacts_by_id,
        "offers_by_contact": offers_by_contact,
        "status": coverage(project),
        "ld": LinkedData(content),
        "slug": slug,
        "by_label": by_label,
    }
    return env, md, shared


def other_files(project: Project, plan: SitePlan) -> Iterator[tuple[str, bytes]]:
    """Everything but the planned pages: downloads, root and 404 pages, sitemap, static files."""
    content, site = project.content, project.content.site
    env, md = make_environment(project.theme.template_dirs), make_markdown()
    yield from downloads(content, project.languages)  # DTSTAMP: the build time in UTC
    base_path = urlsplit(site.base_url).path or "/"
    root_ctx = PageContext(md, content, plan, project.languages, site.source_language, "")
    yield "index.html", render_template(env, "root.html", root_ctx, languages=project.languages).encode()
    # The 404 page is served at any address, so its links start at the site's base path.
    not_found = PageContext(md, content, plan, project.languages, site.source_language, "")
    not_found.prefix = base_path
    yield "404.html", render_template(env, "404.html", not_found, languages=project.languages).encode()
    yield "sitemap.xml", sitemap(site, plan)
    yield "robots.txt", robots(site)
    yield from _static_files(project.theme)


def _static_files(theme: Theme) -> Iterator[tuple[str, bytes]]:
    found: dict[str, Path] = {}
    for folder in theme.static_dirs:
        for path in regular_files(folder):  # links were refused before the build; never followed
            found[f"static/{path.relative_to(folder).as_posix()}"] = path
    for rel in sorted(found):
        yield rel, found[rel].read_bytes()
