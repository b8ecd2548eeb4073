"""Which site-relative URLs a rebuild changed: a fingerprint of every file of the built site."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

Fingerprint = dict[str, bytes]  # site-relative file path -> digest of its bytes


def fingerprint(folder: Path) -> Fingerprint:
    found: Fingerprint = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = Path(directory, name)
            try:
                digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
            except OSError:  # gone while we looked: reported as changed by the next build
                continue
            found[path.relative_to(folder).as_posix()] = digest
    return found


def changed_urls(before: Fingerprint, after: Fingerprint) -> frozenset[str]:
    """URLs of the files added, removed or changed; a page is named by its clean URL (`/de/x/`)."""
    names = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    return frozenset(site_url(name) for name in names)


def site_url(name: str) -> str:
    if name == "index.html" or name.endswith("/index.html"):
        return "/" + name[: -len("index.html")]
    return "/" + name
