"""The record of the last build of a site: which file it wrote from what, so the next build
takes unchanged files from it (hard links: same bytes, no copying) instead of making them again.

The record is JSON in the user's cache folder (``$XDG_CACHE_HOME/sitegen/builds/``), one per
project and output folder, never inside the project (see docs/security.md). For each file of the
site it keeps the hash of what the file was made from (sitegen.render.reuse; empty for files that
are always made) and the file's inode, size and modification time: a file someone changed or
replaced in the published folder no longer matches, and is made again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue_cache import user_cache_folder

RECORD_FORMAT = 1


@dataclass(frozen=True)
class PreviousSite:
    """The published site at ``folder`` as the last build recorded it (empty: nothing to reuse)."""

    folder: Path
    files: dict[str, tuple[str, int, int, int]] = field(default_factory=dict)  # path -> (key, inode, size, mtime_ns)
    search: bool = False  # its search bundle was made from its pages

    def unchanged(self, path: str) -> Path | None:
        """The previous file at ``path`` when it is still the file the last build wrote."""
        recorded = self.files.get(path)
        if recorded is None:
            return None
        old = self.folder / path
        try:
            stat = old.stat(follow_symlinks=False)
        except OSError:
            return None
        return old if (stat.st_ino, stat.st_size, stat.st_mtime_ns) == tuple(recorded[1:]) else None

    def reusable(self, path: str, key: str | None) -> Path | None:
        """The previous file at ``path`` when it was made from the same inputs (hash ``key``)."""
        if not key or self.files.get(path, ("",))[0] != key:
            return None
        return self.unchanged(path)

    def same_bytes(self, path: str, data: bytes) -> Path | None:
        """The previous file at ``path`` when it holds exactly ``data``."""
        old = self.unchanged(path)
        if old is None or self.files[path][2] != len(data):
            return None
        try:
            return old if old.read_bytes() == data else None
        except OSError:
            return None


def record_path(root: Path, out: Path) -> Path | None:
    base = user_cache_folder()
    if base is None:
        return None
    name = hashlib.sha256(f"{root.resolve()}\0{out.resolve()}".encode()).hexdigest()[:32]
    return base / "builds" / f"{name}.json"


def load_previous(record: Path | None, out: Path) -> PreviousSite:
    """The last build's record of ``out``; an empty one when there is none or it is not what record_site wrote."""
    if record is None or not out.is_dir():
        return PreviousSite(out)
    try:
        value = json.loads(record.read_bytes())
        if value.get("format") != RECORD_FORMAT or value.get("out") != str(out.resolve()):
            return PreviousSite(out)
        files = {}
        for path, (key, inode, size, mtime) in value["files"].items():
            if not isinstance(key, str) or not all(type(n) is int for n in (inode, size, mtime)):
                return PreviousSite(out)
            files[path] = (key, inode, size, mtime)
        return PreviousSite(out, files, value["search"] is True)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return PreviousSite(out)


def record_site(record: Path | None, out: Path, keys: dict[str, str], search: bool) -> None:
    """Record the site now at ``out``: every file's hash (``keys``, '' where none) and what it is on disk."""
    if record is None:
        return
    files = {}
    for path, key in keys.items():
        try:
            stat = (out / path).stat(follow_symlinks=False)
        except OSError:
            continue
        files[path] = [key, stat.st_ino, stat.st_size, stat.st_mtime_ns]
    value = {"format": RECORD_FORMAT, "out": str(out.resolve()), "files": files, "search": search}
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        tmp = record.with_name(f".{record.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value), encoding="utf-8")
        tmp.replace(record)
    except OSError:
        pass  # no writable cache folder: the next build makes everything again
