"""The render stage: every file of the site, rendered and written into a folder.

Pages render independently, so with many pages the files are shared out among processes
(sitegen.parallel): each takes a run of them in language order (see language_runs), and writes it.

Nothing is done twice: a page made from the same inputs as in the last build (sitegen.render.reuse)
is hard-linked from the previous site instead of rendered, and a file whose bytes came out the
same is hard-linked too, so only files whose bytes changed are written.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..parallel import can_fork, cpu_count, fork_map
from ..plan import SitePlan
from ..previous import PreviousSite
from ..project import Project
from .files import OutputFile, check_paths, site_files
from .renderer import Renderer
from .reuse import page_keys

PARALLEL_FROM = 300  # files to make; below this, starting a process costs more than it saves
Progress = Callable[[int, int], None]  # (files done, files in all)
Inspect = Callable[[bytes], Any]  # a look at a page's HTML, taken in the process that made it


@dataclass(frozen=True, slots=True)
class Rendered:
    """What the render stage wrote: every file with the hash of its inputs ('' where none)."""

    keys: dict[str, str]
    written: frozenset[str]  # the files whose bytes are new: not hard-linked from the previous site
    inspected: dict[str, Any] = field(default_factory=dict)  # inspect(bytes) of each HTML page made

    @property
    def count(self) -> int:
        return len(self.keys)


def render_site(
    project: Project, plan: SitePlan, folder: Path, jobs: int | None = None,
    previous: PreviousSite | None = None, progress: Progress | None = None, inspect: Inspect | None = None,
) -> Rendered:  # fmt: skip
    """Render and write every file of the site below ``folder``; unchanged ones come from ``previous``.

    Every output path is checked before anything is written (see files.check_paths).
    ``jobs`` processes render (default: one per CPU core). ``inspect`` looks at each HTML page
    made, while its bytes are at hand (the search stage's search_language): no page is read back.
    """
    renderer = Renderer(project, plan)  # made before the fork, so every process inherits it
    files = site_files(renderer, project, plan)
    check_paths(files)
    previous = previous or PreviousSite(folder)
    keys = page_keys(project, plan, renderer.view)
    reused, to_make = [], []
    for file in files:
        old = previous.reusable(file.path, keys.get(file.path))
        if old is None:
            to_make.append(file)
        else:
            reused.append((file.path, old))
    link_files(folder, reused, set())
    jobs = jobs or cpu_count()
    inspected: dict[str, Any] = {}
    if jobs < 2 or len(to_make) < PARALLEL_FROM or not can_fork():
        written = make_files(folder, to_make, previous, progress, inspect, inspected)
    else:
        shares = language_runs(to_make, jobs, project.content.site.languages)
        # Only this process's share reports progress: the shares are alike, so it stands for all.
        share_progress = (lambda done, _: progress(done * jobs, len(to_make))) if progress else None

        def make_share(share: Sequence[OutputFile]) -> tuple[set[str], dict[str, Any]]:
            seen: dict[str, Any] = {}
            made = make_files(folder, share, previous, share_progress if share is shares[0] else None, inspect, seen)
            return made, seen

        written = set()
        for made, seen in fork_map(make_share, shares):
            written |= made
            inspected.update(seen)
    return Rendered({file.path: keys.get(file.path, "") for file in files}, frozenset(written), inspected)


def language_runs(files: list[OutputFile], jobs: int, languages: Sequence[str]) -> list[list[OutputFile]]:
    """``files`` in ``jobs`` shares of nearly equal length: the files of the language folders as
    runs in language order, so that a card or body block is made by the one process that renders
    its language rather than by each; every other file (static files, the root page) dealt in turn."""
    def folder(file: OutputFile) -> str:
        return file.path.split("/", 1)[0]

    in_languages = sorted((file for file in files if folder(file) in languages), key=folder)
    size = -(-len(in_languages) // jobs)
    shares = [in_languages[start * size : (start + 1) * size] for start in range(jobs)]
    for number, file in enumerate(file for file in files if folder(file) not in languages):
        shares[number % jobs].append(file)
    return shares


def make_files(
    folder: Path, files: Sequence[OutputFile], previous: PreviousSite, progress: Progress | None = None,
    inspect: Inspect | None = None, inspected: dict[str, Any] | None = None,
) -> set[str]:  # fmt: skip
    """Make each file; one whose bytes are the previous site's is linked from it. Returns the written
    ones; ``inspected`` receives ``inspect(bytes)`` of each HTML page."""
    written, made = set(), set()
    for number, file in enumerate(files, start=1):
        data = file.make()
        if inspect is not None and inspected is not None and file.path.endswith(".html"):
            inspected[file.path] = inspect(data)
        same = previous.same_bytes(file.path, data)
        if same is None:
            write_file(folder / file.path, data, made)
            written.add(file.path)
        else:
            link_files(folder, [(file.path, same)], made)
        if progress and number % 200 == 0:
            progress(number, len(files))
    return written


def link_files(folder: Path, pairs: Sequence[tuple[str, Path]], made: set[Path]) -> None:
    """Hard-link each previous file into ``folder``; a copy where the file system has no hard links."""
    for rel, old in pairs:
        path = folder / rel
        _parent(path, made)
        try:
            os.link(old, path)
        except OSError:
            shutil.copy2(old, path)


def write_file(path: Path, data: bytes, made: set[Path]) -> None:
    _parent(path, made)
    path.write_bytes(data)


def _parent(path: Path, made: set[Path]) -> None:
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)
