"""The build, stage by stage: content → catalogues → plan → render → write.

Only the faces of sitegen (the command line, ``serve``, the Babel extractor) call this module;
each stage below it is a module of its own and imports only the stages before it.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .body import make_markdown
from .interface_strings import load_ui
from .clock import build_date
from .content import load_content
from .errors import BuildError, Problem, Report
from .languages import Language
from .model import SiteConfig
from .localize import Localizer
from .output import check_output, discard, staging_folder, swap_into_place
from .plan import SitePlan, plan_site
from .project import Project
from .previous import PreviousSite, load_previous, record_path, record_site
from .render import Progress, render_site
from .search import SearchIndexError, build_index, search_language
from .theme import load_theme
from .translations import CatalogueReading, load_catalogs


@dataclass(frozen=True, slots=True)
class BuildResult:
    out: Path
    files: int
    pages: int
    warnings: tuple[Problem, ...]


def load_project(root: Path, today: dt.date | None = None, mode: str = "build", cache: bool = True) -> Project:
    """Read content, theme and catalogues; raises BuildError with every problem found.

    ``mode="check"`` makes every catalogue problem an error; ``"build"`` warns and publishes
    German for each message with a problem (see sitegen.checks). ``cache=False`` re-reads every
    catalogue instead of reusing the checked result of an unchanged one.
    """
    report = Report(root)
    md = make_markdown()
    readings: list[CatalogueReading] = []

    def start_reading(site: SiteConfig) -> None:  # as soon as site.yaml names the languages
        readings.append(CatalogueReading(root, site.target_languages, mode, cache))

    try:
        content = load_content(root, report, md, today, on_site=start_reading)
        theme = load_theme(root, content.site.theme, content.site.path, report)
        reading = readings[0] if readings else None
        catalogs = load_catalogs(root, content.site.target_languages, report, mode, cache, content, reading)
    except BaseException:
        for reading in readings:
            reading.cancel()
        raise
    report.raise_if_errors()
    languages = {}
    for lang in content.site.languages:
        ui = load_ui([theme.ui_catalogue(lang)], lang, report)
        catalog = catalogs.get(lang)
        if theme.extracts_own_strings and catalog:
            ui = ui.with_strings(catalog.translated, catalog.plural)
        languages[lang] = Language(lang, catalog, Localizer(lang, ui), content.site.source_language)
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
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site of the project at ``root`` into ``out`` (default ``root/_site``).

    The site is written into a fresh folder beside ``out`` and swapped into place when it is
    complete: a failed or killed build leaves the previous site untouched.
    ``search=False`` leaves out the search index (``--no-search``; ``serve`` does, for speed).
    ``jobs`` processes render pages (default: one per CPU core); ``clean`` ignores caches.

    Incremental: the build reuses what the last build of the same ``out`` recorded (see
    sitegen.previous, sitegen.render.reuse). A page made from the same inputs is hard-linked
    from the previous site, every other file is made and written only when its bytes changed;
    the search index is made again only when a page changed. The result is always the site a
    clean build makes. ``progress(done, total)`` hears how far the files are.
    """
    out = out or root / "_site"
    check_output(root, out)  # a usage error: found before the project is read
    with collector_paused():
        project = load_project(root, today, cache=not clean)
        if strict and project.report.warnings:
            raise BuildError(project.report.warnings, [])
        plan = plan_site(project.content)
    try:
        return _write_site(root, out, project, plan, search, jobs, clean, progress)
    finally:
        gc.unfreeze()  # a preview builds again and again: the next build's project is frozen, not this one


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while the project is read and planned, then all of it frozen.

    Reading makes millions of objects that live until the end of the build and hold no garbage
    cycles, yet every collection walked all of them again: at 5 000 offers, half of the load time.
    Frozen (gc.freeze), they are left out of the collections while pages render, which do make
    cyclic garbage, and the forked workers don't copy the memory pages a collection would touch.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()  # only what a build goes on with: after an error, nothing stays frozen
    finally:
        if enabled:
            gc.enable()


def _write_site(
    root: Path, out: Path, project: Project, plan: SitePlan, search: bool, jobs: int | None, clean: bool,
    progress: Progress | None,
) -> BuildResult:  # fmt: skip
    record = record_path(root, out)
    previous = PreviousSite(out) if clean else load_previous(record, out)
    staging = staging_folder(out)
    try:
        rendered = render_site(project, plan, staging, jobs, previous, progress, search_language if search else None)
        if search:  # indexes the finished pages, so it runs before the swap
            build_index(staging, previous, rendered.written, rendered.keys, rendered.inspected)
        swap_into_place(staging, out, rendered.count)
    except SearchIndexError as exc:
        discard(staging)
        raise BuildError([Problem(project.report.rel(out), 0, str(exc))]) from None
    except BaseException:
        discard(staging)
        raise
    record_site(record, out, rendered.keys, search)
    return BuildResult(out, rendered.count, len(plan.pages), tuple(project.report.warnings))
