"""Symbolic links in a project are refused, never followed.

A project arrives through git, where a link is one line of text anyone can commit. Followed, a
link in content/ named like an offer, or one in a theme's static/ pointing at /proc/self/environ,
would publish whatever it points at: the build machine's files, a CI job's secrets. So before
anything is read, every link in content/, locales/ and themes/ (the folders themselves included)
is reported with its path, all at once.

Names starting with '.' are ignored at any depth, links among them too (Emacs's lock files
``.#offer.md`` are links), and every reader of project files skips them the same way.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .errors import Problem, Report

PROJECT_FOLDERS = ("content", "locales", "themes")


def refuse_symlinks(root: Path, report: Report) -> None:
    """Stop the run with one error per symbolic link in the project's folders."""
    for link in find_symlinks(root):
        what = "folder" if link.is_dir() else "file"  # the target's kind, only to word the advice
        report.errors.append(Problem(link.relative_to(root).as_posix(), 0, symlink_message(what)))
    report.raise_if_errors()


def symlink_message(what: str) -> str:
    return f"is a symbolic link; sitegen never follows links: replace it with the {what} itself"


def find_symlinks(root: Path) -> list[Path]:
    found: list[Path] = []
    for name in PROJECT_FOLDERS:
        folder = root / name
        if folder.is_symlink():
            found.append(folder)
        elif folder.is_dir():
            found.extend(_walk(folder, want_links=True))
    return found


def regular_files(folder: Path) -> Iterator[Path]:
    """Every file below ``folder`` in name order; links and names starting with '.' left out."""
    return _walk(folder, want_links=False)


def _walk(folder: Path, want_links: bool) -> Iterator[Path]:
    """Links (``want_links``) or regular files below ``folder``, never descending through a link."""
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda entry: entry.name)
    for entry in ordered:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            if want_links:
                yield Path(entry.path)
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), want_links)
        elif not want_links and entry.is_file(follow_symlinks=False):
            yield Path(entry.path)
