"""What `sitegen serve` keeps of a project between saves: each file read once until it changes.

A file is read again when its modification time or size changed, or when what its reading
depends on (``site.yaml``, the ids of the contacts …) changed. Reading a file reports its own
problems; the memo keeps them with the result and reports them again on every later load, so a
load from memory reports exactly what a load from disk does. ``sitegen build`` uses no memo.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .errors import Problem, Report

T = TypeVar("T")
Stat = tuple[int, int] | None  # (modification time in ns, size); None for a missing file


def stat_of(path: Path) -> Stat:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


class FileMemo:
    """Results of reading files, by kind of file; one memo per preview session, never shared."""

    def __init__(self) -> None:
        self._depends: dict[str, object] = {}
        # kind -> path -> (stat when read, result, errors reported, warnings reported)
        self._files: dict[str, dict[Path, tuple[Stat, object, list[Problem], list[Problem]]]] = {}
        self._seen: dict[str, set[Path]] = {}

    def begin(self, kind: str, depends: object) -> None:
        """Start a load of ``kind``'s files; all of them are read again when ``depends`` changed."""
        if kind not in self._depends or self._depends[kind] != depends:
            self._files[kind] = {}
        self._depends[kind] = depends
        self._seen[kind] = set()

    def read(self, kind: str, path: Path, report: Report, read: Callable[[], T]) -> T:
        """``read()``'s result for ``path``, from memory while the file is unchanged."""
        stat = stat_of(path)
        files = self._files.setdefault(kind, {})
        self._seen.setdefault(kind, set()).add(path)
        known = files.get(path)
        if known is not None and stat is not None and known[0] == stat:
            report.errors.extend(known[2])
            report.warnings.extend(known[3])
            return known[1]  # type: ignore[return-value]
        errors, warnings = len(report.errors), len(report.warnings)
        result = read()
        files[path] = (stat, result, report.errors[errors:], report.warnings[warnings:])
        return result

    def end(self, kind: str) -> None:
        """Forget the files of ``kind`` this load did not ask for (deleted ones)."""
        seen = self._seen.get(kind, set())
        files = self._files.get(kind, {})
        for path in [path for path in files if path not in seen]:
            del files[path]
