"""Stage 5: write the site into a fresh folder and swap it into place in one step.

A failed or killed build never touches the published folder: the new site is complete on disk
before the swap, and the swap is one rename (Linux renameat2 RENAME_EXCHANGE where available).

The swap deletes what was at the output path, so sitegen only replaces a folder it can tell is
its own: one holding the marker file every build writes, or an empty or missing one. A typo in
``-o`` (``-o .``, ``-o content``) must never delete a project.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

_RENAME_EXCHANGE = 2

# Written into every site; fixed bytes, so that the same input still gives the same output.
MARKER = ".sitegen-site"
MARKER_TEXT = b"This folder was written by 'sitegen build'. The next build replaces it as a whole.\n"
PROTECTED = ("content", "locales", "themes", ".git")  # a project's sources: never an output
DELETE_IN_BACKGROUND_FROM = 3_000  # files (the search bundle doubles them); a smaller site goes in a fraction of a second


class UnsafeOutput(Exception):
    """The output path is not a folder sitegen may replace; the message says why and what to do."""


class DuplicateOutput(Exception):
    """Two producers claim one output path, or one claims a path outside the site: a bug in the
    plan of the files (sitegen.render.files.check_paths), never silently overwritten."""


def write_tree(folder: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write ``files`` (site-relative posix paths, checked beforehand) below ``folder``; returns how many."""
    count = 0
    made: set[Path] = set()
    for rel, data in files:
        path = folder / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)
        count += 1
    return count


def check_output(root: Path, out: Path) -> None:
    """Raise UnsafeOutput unless ``out`` is missing, empty or a site an earlier build wrote."""
    if out.is_symlink():
        raise UnsafeOutput(f"{out} is a symbolic link; give the folder itself")
    where, project = out.resolve(), root.resolve()
    if where == project or where in project.parents:
        what = "is the project folder" if where == project else "contains the project folder"
        raise UnsafeOutput(f"{out} {what}; choose a folder of its own, e.g. {root / '_site'}")
    for name in PROTECTED:
        if where == project / name or project / name in where.parents:
            advice = f"choose a folder outside it, e.g. {root / '_site'}"
            raise UnsafeOutput(f"{out} lies in the project's {name}/; {advice}")
    if where.exists() and not where.is_dir():
        raise UnsafeOutput(f"{out} is a file, not a folder; choose a folder")
    if not where.is_dir() or is_replaceable(where):
        return
    if (where / "sitemap.xml").is_file() and (where / "404.html").is_file():  # built before the marker existed
        advice = "delete the folder once, later builds replace it"
        raise UnsafeOutput(f"{out} holds a site from an older sitegen without the {MARKER} file; {advice}")
    advice = "choose a new or empty folder"
    raise UnsafeOutput(f"{out} is not empty and was not written by sitegen (it has no {MARKER} file); {advice}")


def is_replaceable(folder: Path) -> bool:
    """Empty, or a site sitegen wrote (its marker file holds exactly the marker text)."""
    marker = folder / MARKER
    if marker.is_file() and not marker.is_symlink():
        return marker.read_bytes() == MARKER_TEXT
    return not any(folder.iterdir())


def staging_folder(out: Path) -> Path:
    """A new folder beside ``out`` (same file system, so the swap is a rename), with the marker."""
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out)
    folder = out.parent / f".{out.name}.new-{os.getpid()}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    (folder / MARKER).write_bytes(MARKER_TEXT)
    return folder


def remove_stale_staging(out: Path) -> None:
    """Delete the staging folders of killed builds: those whose process no longer runs."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:new|old)-([0-9]+)")
    for path in out.parent.iterdir():
        found = pattern.fullmatch(path.name)
        if found and path.is_dir() and not path.is_symlink() and not _process_runs(int(found[1])):
            shutil.rmtree(path, ignore_errors=True)


def _process_runs(pid: int) -> bool:
    """Whether a process ``pid`` runs (this one included); a concurrent build keeps its folders."""
    if pid == os.getpid():
        return True  # staging_folder replaces this process's own leftover itself
    if pid <= 0:
        return False  # os.kill(0, ...) would mean this process group, not a process
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists but belongs to someone else (EPERM), or can't tell: leave it alone
    except OverflowError:
        return False  # no process has such a number
    return True


def swap_into_place(new: Path, out: Path, files: int = 0) -> None:
    """Make ``new`` the site at ``out``; the old site is removed afterwards.

    A site of ``files`` files or more is removed by a process of its own while the build
    returns: unlinking 80 000 files and folders takes seconds, and the new site is in place already.
    """
    if not out.exists():
        os.rename(new, out)
        return
    deleter = _deleter(out) if files >= DELETE_IN_BACKGROUND_FROM else None
    old = out.parent / f".{out.name}.old-{deleter.pid if deleter else os.getpid()}"
    try:
        if _exchange(new, out):
            os.rename(new, old)  # ``new`` now holds the old site
        else:
            os.rename(out, old)
            os.rename(new, out)
    except BaseException:
        if deleter is not None:
            deleter.kill()  # before its word: nothing deleted
            deleter.wait()
        raise
    if deleter is None:
        shutil.rmtree(old)
    elif deleter.stdin is not None:
        deleter.stdin.close()  # the word: the old site has its name, it may go


# A process that waits for its parent's word, then deletes ``.<out>.old-<its own pid>``: named after
# the deleting process, the folder is left alone by another build while it runs (remove_stale_staging)
# and removed by the next build if it was killed. Only sitegen's own lines run, isolated (-I).
_DELETE_OLD_SITE = """
import os, shutil, sys
sys.stdin.read()
shutil.rmtree(os.path.join(sys.argv[1], "." + sys.argv[2] + ".old-" + str(os.getpid())), ignore_errors=True)
"""


def _deleter(out: Path) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-c", _DELETE_OLD_SITE, str(out.parent), out.name],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    except OSError:
        return None


def system_library() -> ctypes.CDLL | None:
    """The C library, for the system calls Python has no function for; None where there is none."""
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux); False where the system can't."""
    renameat2 = getattr(system_library(), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
