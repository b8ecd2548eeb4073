"""The static search index: Pagefind, run over the finished pages before the site goes live.

Pagefind (from PyPI, a binary inside the wheel) builds one small index per `<html lang>` that the
browser fetches in pieces, with stemming for Arabic, Russian and Turkish; nothing runs on a server.
Only the parts of pages marked `data-pagefind-body` (offers, contacts, pages) are indexed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .previous import PreviousSite

BUNDLE = "pagefind"


class SearchIndexError(Exception):
    """Pagefind failed; the message says how. The build then publishes nothing."""


def build_index(site: Path) -> None:
    """Write the search bundle to ``site/pagefind/``."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE, "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexError(f"could not run Pagefind: {exc}") from None
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind failed: {(done.stderr or done.stdout).strip()}")
    _stable_entry(site / BUNDLE / "pagefind-entry.json")


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
