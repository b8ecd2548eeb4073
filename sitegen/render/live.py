"""The render stage for `sitegen serve`: the pages in view first, then the rest of the site, in place.

A build renders every changed file into a fresh folder and swaps it in; at 5 000 offers that is
40 000 files linked or written for one saved word. The preview instead writes into the folder it
serves: first the pages open in a browser (a view of the site made for them alone, so the
whole site's view is not waited for), then, in the background, every other file that changed.
Each file is written under a temporary name and renamed, so a request never reads half a file,
and only when its bytes changed. Files the site no longer has are deleted. Once a pass is
complete the folder holds exactly what ``sitegen build --no-search`` writes.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..output import MARKER
from ..parallel import Forked, can_fork, cpu_count
from ..plan import PlannedPage, SitePlan
from ..project import Project
from ..status import coverage
from .files import OutputFile
from .view import SiteView, german_shown

TEMPORARY = ".sitegen-new-"  # prefix of a file being written; never part of a site
FILES_PER_JOB = 200  # fewer files than this to make: one process makes them, no fork


def view_of_pages(project: Project, plan: SitePlan, pages: Iterable[PlannedPage]) -> SiteView:
    """A SiteView that is exact for ``pages`` only: which of them show German (a page asks only
    about its own route) and the status page's numbers, counted only if a template asks."""
    partly = german_shown(project, plan, pages)
    return SiteView(project.content, project.languages, plan, LazyCoverage(project), partly)  # type: ignore[arg-type]


class LazyCoverage:
    """The status page's numbers (sitegen.status.coverage), counted when first asked for."""

    def __init__(self, project: Project) -> None:
        self._project = project
        self._found: object | None = None

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._found is None:
            self._found = coverage(self._project)
        return getattr(self._found, name)


def write_if_changed(folder: Path, path: str, data: bytes) -> bool:
    """Write ``data`` to ``folder/path`` unless the file holds it already; True when written."""
    target = folder / path
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{TEMPORARY}{os.getpid()}-{target.name}")
    temporary.write_bytes(data)
    os.replace(temporary, target)  # one step: a request reads the old file or the new one
    return True


def remove_from(folder: Path, paths: Iterable[str]) -> list[str]:
    """Delete ``paths`` below ``folder`` and the folders they leave empty; the ones deleted."""
    gone = []
    for path in paths:
        try:
            (folder / path).unlink()
        except OSError:
            continue
        gone.append(path)
        parent = (folder / path).parent
        while parent != folder:
            try:
                parent.rmdir()  # only when empty
            except OSError:
                break
            parent = parent.parent
    return gone


def files_in(folder: Path) -> set[str]:
    """Every file below ``folder`` but the marker, by its site path."""
    found = set()
    for directory, _, names in os.walk(folder):
        for name in names:
            found.add(Path(directory, name).relative_to(folder).as_posix())
    found.discard(MARKER)
    return found


@dataclass
class Pass:
    """The background part of a save: ``files`` made and written where changed, by forked processes."""

    folder: Path
    files: Sequence[OutputFile]
    jobs: int | None = None

    def __post_init__(self) -> None:
        self.stop = threading.Event()
        self.done: list[str] = []  # files made (written or found unchanged) when the pass ends
        self.written: list[str] = []

    def run(self) -> bool:
        """Make every file; False when ``cancel()`` stopped it early (``done`` says how far it got)."""
        jobs = min(self.jobs or cpu_count(), max(1, len(self.files) // FILES_PER_JOB))
        shares = [self.files[i::jobs] for i in range(jobs)]
        if jobs < 2 or not can_fork():
            results = [self._make(share, self.stop.is_set) for share in shares]
        else:
            # A child can't see this process's threading.Event: it asks a pipe that the parent
            # closes to cancel (an end of file is a stop that needs no polling of its own).
            reader, writer = os.pipe()
            forked = Forked(lambda share: self._make(share, _closed(reader, writer)), shares)
            os.close(reader)
            try:
                watcher = threading.Thread(target=lambda: (self.stop.wait(), os.close(writer)), daemon=True)
                watcher.start()
                results = forked.results()
            finally:
                if not self.stop.is_set():
                    self.stop.set()
                watcher.join()
        for done, written in results:
            self.done += done
            self.written += written
        return len(self.done) == len(self.files)

    def cancel(self) -> None:
        self.stop.set()

    def _make(self, share: Sequence[OutputFile], stopped: Callable[[], bool]) -> tuple[list[str], list[str]]:
        done, written = [], []
        for file in share:
            if stopped():
                break
            if write_if_changed(self.folder, file.path, file.make()):
                written.append(file.path)
            done.append(file.path)
        return done, written


def _closed(reader: int, writer: int) -> Callable[[], bool]:
    """In a child: whether the parent closed its end of the pipe (cancelled the pass)."""
    os.close(writer)  # the child's copy: with it open, the pipe would never end

    def closed() -> bool:
        readable, _, _ = select.select([reader], [], [], 0)
        return bool(readable)

    return closed
