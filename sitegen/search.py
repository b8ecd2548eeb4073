"""The static search index: Pagefind, run over the finished pages before the site goes live.

Pagefind (from PyPI, a binary inside the wheel) builds one small index per `<html lang>` that the
browser fetches in pieces, with stemming for Arabic, Russian and Turkish; nothing runs on a server.
Only the parts of pages marked `data-pagefind-body` (offers, contacts, pages) are indexed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def _stable_entry(path: Path) -> None:
    # Pagefind lists languages in the order its threads finish; sort them so that the same
    # input gives byte-identical output.
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
