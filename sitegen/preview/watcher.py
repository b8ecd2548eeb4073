"""Notices saved files in the project's source folders.

On Linux the kernel tells (inotify, through ctypes: no dependency): a save is seen the moment the
editor closes the file, renames its new copy into place or deletes one, and a half-written file,
truncated and not yet closed, is never seen. Elsewhere, on a network folder whose changes the
kernel does not report, or with ``--poll``, the folders are polled: every 0.1 s the modification
times of all their files are compared (tens of milliseconds at 5 000 offers), and a change counts
once the changed files stay unchanged for 0.05 s, since one save often writes twice.
"""

from __future__ import annotations

import ctypes
import os
import select
import struct
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..memo import stat_of
from ..output import system_library

# Editors' swap, backup and lock files: saving them is not a change of the site.
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")
IGNORED_PREFIXES = (".", "#")

Snapshot = dict[str, tuple[int, int]]  # path -> (modification time, size)


def make_watcher(folders: Iterable[Path], poll: bool = False) -> SourceWatcher | KernelWatcher:
    folders = tuple(folders)
    if not poll and sys.platform.startswith("linux"):
        try:
            return KernelWatcher(folders)
        except OSError:  # no inotify here, or the system's limit of watched folders is reached
            pass
    return SourceWatcher(folders)


def ignored(name: str) -> bool:
    return name.startswith(IGNORED_PREFIXES) or name.endswith(IGNORED_SUFFIXES) or name == "4913"  # Vim's test file


def source_files(folder: str | Path) -> Iterator[tuple[str, list[str]]]:
    """Each folder below ``folder`` (hidden ones left out) with the names of its files that count."""
    for directory, subfolders, names in os.walk(folder):
        subfolders[:] = [name for name in subfolders if not name.startswith(IGNORED_PREFIXES)]
        yield directory, [name for name in names if not ignored(name)]


class SourceWatcher:
    """Polling: works on every system and on network folders."""

    def __init__(self, folders: Iterable[Path], interval: float = 0.1, quiet: float = 0.05) -> None:
        self.folders = tuple(folders)
        self.interval = interval  # how often to look
        self.quiet = quiet  # how long the files must stay unchanged: one save often writes twice
        self.last = self.snapshot()

    def snapshot(self) -> Snapshot:
        found: Snapshot = {}
        for folder in self.folders:
            for directory, names in source_files(folder):
                for name in names:
                    path = os.path.join(directory, name)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue
                    found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def wait_for_change(self) -> list[Path]:
        """Blocks until files changed and then stayed quiet; returns the paths added, changed or removed.

        Only the changed files are watched for quiet (a stat each, not a look at every file).
        """
        while True:
            time.sleep(self.interval)
            now = self.snapshot()
            if now == self.last:
                continue
            changed = [p for p in now.keys() | self.last.keys() if now.get(p) != self.last.get(p)]
            settled_since = time.monotonic()
            while time.monotonic() - settled_since < self.quiet:
                time.sleep(self.quiet / 3)
                for path in changed:
                    later = stat_of(Path(path))
                    if later != now.get(path):
                        settled_since = time.monotonic()
                        if later is None:
                            now.pop(path, None)
                        else:
                            now[path] = later
            self.last = now
            return sorted(Path(p) for p in changed)

    def close(self) -> None:
        pass


# From <sys/inotify.h>: the same numbers on every Linux architecture.
IN_ATTRIB, IN_CLOSE_WRITE = 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_Q_OVERFLOW, IN_IGNORED, IN_ONLYDIR, IN_ISDIR = 0x4000, 0x8000, 0x1000000, 0x40000000
IN_NONBLOCK, IN_CLOEXEC = os.O_NONBLOCK, os.O_CLOEXEC
# Not IN_MODIFY: a file being written is seen once, when it is closed. IN_ATTRIB: `touch`.
MASK = IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_ONLYDIR
EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows
IDLE = 0.1  # seconds between looks at signals while no file changes


class KernelWatcher:
    """inotify: one watch per folder, added as folders are made."""

    def __init__(self, folders: Iterable[Path], quiet: float = 0.02) -> None:
        self.quiet = quiet  # the events of one save (rename, write, delete the backup) come within it
        self.libc = system_library()
        if self.libc is None or not hasattr(self.libc, "inotify_init1"):
            raise OSError("no inotify here")
        self.fd = self.libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.folders: dict[int, str] = {}  # watch descriptor -> folder
        try:
            for folder in folders:
                self.add(str(folder))
        except OSError:
            self.close()
            raise

    def add(self, folder: str) -> list[str]:
        """Watches ``folder`` and the folders in it; returns the files found there (made before the watch)."""
        files = []
        for directory, names in source_files(folder):
            wd = self.libc.inotify_add_watch(self.fd, os.fsencode(directory), MASK)
            if wd < 0:
                error = ctypes.get_errno()
                if error in (2, 20):  # ENOENT, ENOTDIR: gone again meanwhile
                    continue
                raise OSError(error, f"inotify_add_watch {directory}: {os.strerror(error)}")
            self.folders[wd] = directory
            files += [os.path.join(directory, name) for name in names]
        return files

    def wait_for_change(self) -> list[Path]:
        """Blocks until a file was saved, renamed or deleted and no other event came for ``quiet``; returns their paths."""
        changed: set[str] = set()
        while True:
            # Never without a timeout: Ctrl+C may reach another thread of the process, and then
            # only this thread's return to Python, at the latest after IDLE, raises it here.
            ready, _, _ = select.select([self.fd], [], [], self.quiet if changed else IDLE)
            if not ready and changed:
                return sorted(Path(path) for path in changed)
            if ready:
                changed |= self.events()

    def events(self) -> set[str]:
        changed: set[str] = set()
        try:
            data = os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return changed
        offset = 0
        while offset < len(data):
            wd, mask, _, length = EVENT.unpack_from(data, offset)
            offset += EVENT.size
            name = os.fsdecode(data[offset : offset + length].rstrip(b"\0"))
            offset += length
            folder = self.folders.get(wd)
            if mask & IN_Q_OVERFLOW:  # events were lost: the reader looks at every file anyway
                changed.update(self.folders.values())
            if mask & IN_IGNORED:  # the folder was deleted
                self.folders.pop(wd, None)
            if folder is None or not name or ignored(name):
                continue
            path = os.path.join(folder, name)
            if mask & IN_ISDIR:
                if mask & (IN_CREATE | IN_MOVED_TO):
                    changed.update(self.add(path))
                changed.add(path)
            elif not mask & IN_CREATE:  # a new file is seen when it is closed
                changed.add(path)
        return changed

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
