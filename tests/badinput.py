"""Helpers for the bad-input suite: run the CLI as a user would and assert the exact outcome.

A rejected input must give every problem as ``path:line: message`` on stderr, exit 1, no
traceback, and leave the previously built site byte for byte as it was.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sitegen.cli import main

from .conftest import write_tree


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (symlinks included, not followed) with a hash of its bytes."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "symlink -> " + str(path.readlink())
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``sitegen ARGV`` in this process; (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def problems(err: str) -> list[str]:
    """The ``path:line: message`` lines of stderr, without the closing summary line."""
    return [line for line in err.splitlines() if line and not line.startswith("sitegen: ")]


def assert_rejected(
    capsys: pytest.CaptureFixture[str],
    root: Path,
    bad: dict[str, str],
    expected: list[str],
    command: str = "build",
    *extra: str,
) -> None:
    """Build ``root`` once (the published site), write ``bad`` into it, and run ``command``:
    exit 1, exactly the ``expected`` error lines (warnings may come too), no traceback, and the
    published site unchanged."""
    site = root / "_site"
    code, _, err = run(capsys, "build", str(root), "--no-search")
    assert code == 0, err
    before = snapshot(site)
    write_tree(root, bad)
    code, _, err = run(capsys, command, str(root), *extra)
    assert "Traceback" not in err
    assert code == 1, err
    assert [line for line in problems(err) if not line.startswith("warning: ")] == expected, err
    assert snapshot(site) == before
