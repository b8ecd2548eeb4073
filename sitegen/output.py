"""Stage 5: write the site into a fresh folder and swap it into place in one step.

A failed or killed build never touches the published folder: the new site is complete on disk
before the swap, and the swap is one rename (Linux renameat2 RENAME_EXCHANGE where available).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

_RENAME_EXCHANGE = 2


class DuplicateOutput(Exception):
    """Two outputs claim one path: a bug in the plan, never silently overwritten."""


def write_tree(folder: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write ``files`` (site-relative posix paths) below ``folder``; returns how many."""
    seen: set[str] = set()
    made: set[Path] = set()
    for rel, data in files:
        if rel in seen or rel.startswith("/") or ".." in rel.split("/"):
            raise DuplicateOutput(f"{rel} would be written twice or lies outside the site")
        seen.add(rel)
        path = folder / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)
    return len(seen)


def staging_folder(out: Path) -> Path:
    """A new empty folder beside ``out`` (same file system, so the swap is a rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = out.parent / f".{out.name}.new-{os.getpid()}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    return folder


def swap_into_place(new: Path, out: Path) -> None:
    """Make ``new`` the site at ``out``; the old site is removed afterwards."""
    if out.is_symlink() or not out.exists():
        if out.is_symlink():
            out.unlink()
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new)  # ``new`` now holds the old site
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux); False where the system can't."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
