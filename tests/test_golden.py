"""Golden pages: the whole output of a small project in six languages, byte for byte.

tests/golden/project/ has offers, contacts and pages, and catalogues for en and ar with
translated, fuzzy and missing texts (tr, ru and fr have none), so every kind of German fallback
shows. Its site, built with a fixed SOURCE_DATE_EPOCH and without the search index, is kept in
tests/golden/site/. A change to any output file fails this test with a diff of the first files
that differ; when the change is intended, regenerate the golden files and review their diff:

    SITEGEN_REGENERATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "site"
SHOWN_FILES = 3  # diffs of this many differing files; the rest are only named
SHOWN_LINES = 60  # lines of each diff


def files_below(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def unified_diff(name: str, expected: bytes, actual: bytes) -> str:
    old = expected.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = actual.decode("utf-8", errors="replace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(old, new, f"golden/{name}", f"built/{name}", n=2))
    if len(lines) > SHOWN_LINES:
        lines = lines[:SHOWN_LINES] + [f"... ({len(lines) - SHOWN_LINES} more diff lines)\n"]
    return "".join(lines) or f"{name}: same text, different bytes\n"


def describe_differences(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = [name for name in sorted(set(expected) & set(actual)) if expected[name] != actual[name]]
    report = []
    if missing:
        report.append(f"{len(missing)} golden files were not built: {', '.join(missing[:20])}")
    if extra:
        report.append(f"{len(extra)} built files are not golden: {', '.join(extra[:20])}")
    if changed:
        report.append(f"{len(changed)} files differ: {', '.join(changed[:20])}")
        report += [unified_diff(name, expected[name], actual[name]) for name in changed[:SHOWN_FILES]]
    report.append("If the change is intended: SITEGEN_REGENERATE_GOLDEN=1 python -m pytest tests/test_golden.py")
    return "\n".join(report)


def test_golden_site_is_unchanged(golden_build: Path) -> None:
    if os.environ.get("SITEGEN_REGENERATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(golden_build, GOLDEN)
        pytest.skip(f"regenerated {GOLDEN.relative_to(HERE.parent)}; review its diff before committing")
    assert GOLDEN.is_dir(), "no golden files yet: SITEGEN_REGENERATE_GOLDEN=1 python -m pytest tests/test_golden.py"
    expected, actual = files_below(GOLDEN), files_below(golden_build)
    if expected != actual:
        pytest.fail(describe_differences(expected, actual), pytrace=False)
