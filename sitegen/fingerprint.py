"""A hash of what decides a cached result besides its input: sitegen's code and the versions of the
libraries it calls. A cache made by other code or other libraries then simply counts as no cache."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def fingerprint(text: str, libraries: Iterable[str], modules: Iterable[Path], package: Path) -> str:
    """sha256 of ``text``, each library's installed version and each module's path (below ``package``) and bytes."""
    digest = hashlib.sha256(text.encode())
    for name in libraries:
        try:
            digest.update(f"; {name} {version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"; {name} not installed".encode())
    for module in sorted(modules):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()
