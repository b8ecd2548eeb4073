"""Notices saved files in the project's source folders by polling their modification times.

Polling needs no dependency and works the same on every system and on network folders; a project's
sources are a few hundred files, which take a millisecond or two to look at.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from ..memo import stat_of

# Editors' swap, backup and lock files: saving them is not a change of the site.
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")
IGNORED_PREFIXES = (".", "#")

Snapshot = dict[str, tuple[int, int]]  # path -> (modification time, size)


class SourceWatcher:
    def __init__(self, folders: Iterable[Path], interval: float = 0.1, quiet: float = 0.05) -> None:
        self.folders = tuple(folders)
        self.interval = interval  # how often to look
        self.quiet = quiet  # how long the files must stay unchanged: one save often writes twice
        self.last = self.snapshot()

    def snapshot(self) -> Snapshot:
        found: Snapshot = {}
        for folder in self.folders:
            for directory, subfolders, names in os.walk(folder):
                subfolders[:] = [name for name in subfolders if not name.startswith(IGNORED_PREFIXES)]
                for name in names:
                    if name.startswith(IGNORED_PREFIXES) or name.endswith(IGNORED_SUFFIXES) or name == "4913":
                        continue
                    path = os.path.join(directory, name)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue
                    found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def wait_for_change(self) -> list[Path]:
        """Blocks until files changed and then stayed quiet; returns the paths added, changed or removed.

        Only the changed files are watched for quiet (a stat each, not a look at every file): at
        5 000 offers a whole snapshot takes tens of milliseconds, a save should show in less than 0.5 s.
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
