"""The static search index: Pagefind, run over the finished pages before the site goes live.

Pagefind (from PyPI, a binary inside the wheel) builds one small index per `<html lang>` that the
browser fetches in pieces, with stemming for Arabic, Russian and Turkish; nothing runs on a server.
Only the parts of pages marked `data-pagefind-body` (offers, contacts, pages) are indexed.
Pagefind still reads and parses every other page to find that out (the listings, a quarter of the
pages): a glob naming only the marked pages gives the same bundle with about 15 % less work.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .previous import PreviousSite

BUNDLE = "pagefind"
BODY_MARK = b"data-pagefind-body"
GLOB_SPECIAL = frozenset("*?[]{}!\\,")  # a folder name with one of these is not written into a glob
MAX_GLOB_PATTERNS = 200  # beyond this, a long command line for little gain: Pagefind reads every page


class SearchIndexError(Exception):
    """Pagefind failed; the message says how. The build then publishes nothing."""


def build_index(site: Path) -> None:
    """Write the search bundle to ``site/pagefind/``."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE, "--silent"]
    glob = marked_pages_glob(site)
    if glob is not None:
        command += ["--glob", glob]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexError(f"could not run Pagefind: {exc}") from None
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind failed: {(done.stderr or done.stdout).strip()}")
    _stable_entry(site / BUNDLE / "pagefind-entry.json")


def marked_pages_glob(site: Path) -> str | None:
    """A Pagefind glob that matches exactly the pages marked ``data-pagefind-body``, or None.

    Once one page is marked, Pagefind leaves out every unmarked page, so skipping them changes no
    byte of the bundle. A marked page stands for its siblings in every language
    (``*/offers/*/index.html``) unless that pattern also matches an unmarked page (a legal page
    shown in German only); then the marked pages are named one by one. Without marked pages
    (Pagefind then indexes whole pages), or with very many patterns, every page is read as before.
    """
    pages = []
    for folder, _, names in os.walk(site):
        pages += [Path(folder, name).relative_to(site).as_posix() for name in names if name.endswith(".html")]
    marked = {page for page in pages if BODY_MARK in (site / page).read_bytes()}
    unmarked = [page for page in pages if page not in marked]
    siblings: dict[str, list[str]] = {}
    for page in sorted(marked):
        pattern = _siblings_pattern(page)
        if pattern is None:
            return None
        siblings.setdefault(pattern, []).append(page)
    if not siblings:
        return None
    patterns = []
    for pattern, members in sorted(siblings.items()):
        # In Pagefind's globs, as here, "*" stands for any part of one folder's or file's name.
        matches = re.compile(re.escape(pattern).replace(r"\*", "[^/]*")).fullmatch
        patterns += members if any(matches(page) for page in unmarked) else [pattern]
    if len(patterns) > MAX_GLOB_PATTERNS:
        return None
    return "{" + ",".join(patterns) + "}" if len(patterns) > 1 else patterns[0]


def _siblings_pattern(page: str) -> str | None:
    """``de/offers/x/index.html`` as ``*/offers/*/index.html``: the language and the entry left open."""
    parts = page.split("/")
    if any(GLOB_SPECIAL & set(part) for part in parts):
        return None
    if len(parts) >= 2:
        parts[0] = "*"
    if len(parts) >= 4:
        parts[-2] = "*"
    return "/".join(parts)


def reuse_index(previous: PreviousSite, site: Path) -> bool:
    """Hard-link the previous site's bundle into ``site`` (its pages are all unchanged); False when it has none.

    Pagefind has no incremental mode: when any page changed, the whole index is made again.
    """
    old = previous.folder / BUNDLE
    if not previous.search or not old.is_dir() or old.is_symlink():
        return False
    for folder, _, names in os.walk(old):  # Pagefind's own files, as it wrote them
        into = site / BUNDLE / Path(folder).relative_to(old)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(Path(folder) / name, into / name)
            except OSError:
                shutil.copy2(Path(folder) / name, into / name)
    return True


def _stable_entry(path: Path) -> None:
    # Pagefind lists languages in the order its threads finish; sort them so that the same
    # input gives byte-identical output.
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
