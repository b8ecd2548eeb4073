"""The render stage: every file of the site, rendered and written into a folder.

Pages render independently, so with many pages the files are shared out among processes
(sitegen.parallel): each takes every n-th file, a mix of kinds and languages, and writes it.
"""

from __future__ import annotations

from pathlib import Path

from ..output import write_tree
from ..parallel import can_fork, cpu_count, fork_map
from ..plan import SitePlan
from ..project import Project
from .files import OutputFile, check_paths, site_files
from .renderer import Renderer

PARALLEL_FROM = 300  # pages; below this, starting a process costs more than it saves


def render_site(project: Project, plan: SitePlan, folder: Path, jobs: int | None = None) -> int:
    """Render and write every file of the site below ``folder``; returns how many.

    Every output path is checked before anything is written (see files.check_paths).
    ``jobs`` processes render (default: one per CPU core).
    """
    renderer = Renderer(project, plan)  # made before the fork, so every process inherits it
    files = site_files(renderer, project, plan)
    check_paths(files)
    jobs = jobs or cpu_count()
    if jobs < 2 or len(plan.pages) < PARALLEL_FROM or not can_fork():
        return write_files(folder, files)
    return sum(fork_map(lambda share: write_files(folder, share), [files[i::jobs] for i in range(jobs)]))


def write_files(folder: Path, files: list[OutputFile] | tuple[OutputFile, ...]) -> int:
    return write_tree(folder, ((file.path, file.make()) for file in files))
