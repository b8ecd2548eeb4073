"""The preview's project in memory and its two passes per save: the pages in view, then the rest.

After a save the session loads the project from memory (sitegen.live: only changed files are
read), plans the site, renders the pages open in a browser and writes them into the served
folder, so their tabs can reload at once. The rest of the site follows in the background
(``Rest``), made by forked processes, only the files whose inputs changed (sitegen.render.reuse)
and written only where their bytes changed; a save meanwhile cancels it, and the next pass
makes what it left. A complete pass leaves the folder as ``sitegen build --no-search`` would.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..live import LiveProject
from ..memo import stat_of
from ..model import Content
from ..output import MARKER, MARKER_TEXT
from ..parallel import Forked, WorkerStopped
from ..plan import SitePlan, plan_site
from ..project import Project
from ..render.environment import make_environment
from ..render.files import check_paths, site_files
from ..render.live import Pass, files_in, remove_from, view_of_pages, write_if_changed
from ..render.renderer import NOT_FOUND_TEMPLATE, ROOT_TEMPLATE, Renderer
from ..render.reuse import code_fingerprint, page_keys
from ..render.view import SiteView, site_view
from ..symlinks import regular_files
from .changes import site_url


@dataclass
class Saved:
    """What a pass wrote: site paths of the files written or deleted, and how long it took."""

    changed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0  # pages of the site the pass was for
    complete: bool = True

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(site_url(path) for path in self.changed)


class PreviewSession:
    """One per `sitegen serve`; ``save`` and ``Rest`` never run at once for one folder (a lock)."""

    def __init__(self, root: Path, out: Path, jobs: int | None = None) -> None:
        self.root, self.out, self.jobs = root, out, jobs
        self.project = LiveProject(root)
        self.keys: dict[str, str] = {}  # site path -> hash of the inputs of the page now in ``out``
        self.blocks: dict = {}  # Markdown blocks by their text: valid from save to save
        self.env: tuple[object, object] | None = None  # (template files' stats, compiled environment)
        self.planned: tuple[Content, SitePlan] | None = None
        self.writing = threading.Lock()
        self.code = code_fingerprint()  # the code this process runs, even when the files change

    def save(self, in_view: Iterable[str]) -> tuple[Saved, Project, SitePlan]:
        """Load the project, render the pages at the site URLs ``in_view``; raises BuildError."""
        started = time.perf_counter()
        # The project in memory is big and this pass makes many small objects: the cyclic
        # garbage collector would look through all of it several times (a third of the pass).
        collecting = gc.isenabled()
        gc.disable()
        try:
            project = self.project.load()
            plan = self.plan(project.content)
            paths = sorted({page_path(url) for url in in_view})
            routes = {route_of(path) for path in paths}  # a cheap first sieve of 40 000 pages
            planned = {page.output: page for page in plan.pages if page.route in routes and page.output in paths}
            shown = [planned[path] for path in paths if path in planned]
            view = view_of_pages(project, plan, shown)
            others = [path for path in paths if path not in planned]  # the root or 404 page, a deleted page
            # Only the templates of these pages are compiled now (after a template edit, all of
            # them take a second); the background pass compiles and checks the rest.
            templates = {page.template for page in shown} | ({ROOT_TEMPLATE, NOT_FOUND_TEMPLATE} if others else set())
            renderer = Renderer(project, plan, view, self.environment(project), self.blocks, templates)
            made = {page.output: renderer.page(page) for page in shown}  # before the lock: errors stop here
            files = {file.path: file for file in site_files(renderer, project, plan)} if others else {}
            made.update({path: files[path].make() for path in others if path in files})
        finally:
            if collecting:
                gc.enable()
        with self.writing:
            for path in paths:
                self.keys.pop(path, None)  # no longer the file the recorded hash was made for
            written = [path for path, data in made.items() if write_if_changed(self.out, path, data)]
            # A page in view that the site no longer has (a deleted offer): its tab shows the 404
            # page. Only pages: a tab can't make the preview delete any other file.
            gone = [path for path in paths if path not in made and path.endswith("/index.html")]
            written += remove_from(self.out, gone)
        return Saved(written, time.perf_counter() - started, len(shown)), project, plan

    def plan(self, content: Content) -> SitePlan:
        """The site plan; the last one while the entries are the very ones it was made of (a
        ``.po`` or template save: planning 39 000 pages takes a tenth of a second)."""
        if self.planned is None or not same_entries(self.planned[0], content):
            self.planned = (content, plan_site(content))
        return self.planned[1]

    def rest(self, project: Project, plan: SitePlan) -> Rest:
        return Rest(self, project, plan)

    def build_all(self) -> tuple[Saved, Project, SitePlan]:
        """The first build: every file, into an empty folder."""
        self.out.mkdir(parents=True, exist_ok=True)
        write_if_changed(self.out, MARKER, MARKER_TEXT)
        _, project, plan = self.save(())
        rest = self.rest(project, plan)
        rest.run()
        return rest.saved, project, plan

    def environment(self, project: Project) -> object:
        """The compiled templates of the last save while no template changed (they take a while)."""
        dirs = project.theme.template_dirs
        stats = tuple((path, stat_of(path)) for folder in dirs if folder.is_dir() for path in regular_files(folder))
        if self.env is None or self.env[0] != (tuple(dirs), stats):
            self.env = ((tuple(dirs), stats), make_environment(dirs))
        return self.env[1]


class Rest:
    """The background part of a save: the whole site's view and page hashes, then every file
    whose inputs changed, made and written where its bytes changed; stale files deleted."""

    def __init__(self, session: PreviewSession, project: Project, plan: SitePlan) -> None:
        self.session, self.project, self.plan = session, project, plan
        self.stopped = threading.Event()
        self.current: Pass | None = None
        self.counting: Forked | None = None
        self.saved = Saved(complete=False)

    def cancel(self) -> None:
        self.stopped.set()
        if self.counting is not None:
            for child, _ in self.counting.workers.values():
                child.kill()  # it only counts: nothing is left half done
        if self.current is not None:
            self.current.cancel()

    def run(self) -> None:
        started = time.perf_counter()
        session, project, plan = self.session, self.project, self.plan
        # The whole site's view and every page's hash take seconds at 5 000 offers: a child
        # process counts them, so that this thread doesn't slow down a save that comes meanwhile
        # (Python runs one thread at a time) and a cancel stops the counting at once.
        self.counting = Forked(partial(count_site, project, plan, session.code), [[None]])
        if self.stopped.is_set():
            self.cancel()
        try:
            [(partly, coverage, keys)] = self.counting.results()
        except WorkerStopped:
            if self.stopped.is_set():
                return
            raise
        view = SiteView(project.content, project.languages, plan, coverage, partly)
        renderer = Renderer(project, plan, view, session.environment(project), session.blocks)
        files = site_files(renderer, project, plan)
        check_paths(files)
        with session.writing:
            if self.stopped.is_set():
                return
            # A page whose inputs are those of the file in the folder is that file; all else is made.
            todo = [f for f in files if not keys.get(f.path) or session.keys.get(f.path) != keys[f.path]]
            self.current = Pass(session.out, todo, session.jobs)
            if self.stopped.is_set():
                return
            complete = self.current.run()
            for path in self.current.done:
                if keys.get(path):
                    session.keys[path] = keys[path]
            changed = list(self.current.written)
            if complete:
                changed += remove_from(session.out, files_in(session.out) - {file.path for file in files})
                session.keys = {file.path: keys[file.path] for file in files if keys.get(file.path)}
        self.saved = Saved(changed, time.perf_counter() - started, len(plan.pages), complete)


def count_site(project: Project, plan: SitePlan, code: str, _: object) -> tuple[frozenset, object, dict[str, str]]:
    """Which pages show German, the status page's numbers and every page's hash (in a child process)."""
    view = site_view(project, plan)
    return view.partly, view.coverage, page_keys(project, plan, view, code)


def same_entries(before: Content, now: Content) -> bool:
    """Whether ``now`` holds the entries of ``before``: the same objects, which the preview's
    memo (sitegen.memo) keeps while their files are unchanged; events are made anew on each load."""
    kept = ((before.offers, now.offers), (before.contacts, now.contacts), (before.pages, now.pages),
            (before.organisations, now.organisations))  # fmt: skip
    return (
        before.site == now.site and before.has_events == now.has_events and before.events == now.events
        and all(len(a) == len(b) and all(x is y for x, y in zip(a, b)) for a, b in kept)
    )  # fmt: skip


def page_path(url: str) -> str:
    """The file of the page at site URL ``url`` (checked by the server): ``/de/x/`` -> ``de/x/index.html``."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def route_of(path: str) -> str:
    """The route (sitegen.routes) a page file may have: ``de/offers/x/index.html`` -> ``offers/x/``."""
    return path.partition("/")[2].removesuffix("index.html")
