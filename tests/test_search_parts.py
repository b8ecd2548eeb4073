"""The search bundle is made one language at a time and put together: the same bytes as Pagefind's
one run over every language, and a language whose pages did not change keeps its part."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sitegen.pipeline import build_site
from sitegen.search import marked_pages_glob

from .conftest import GOLDEN_PROJECT

BUNDLE = "pagefind"


def bundle(site: Path) -> dict[str, bytes | object]:
    """Every file of the site's search bundle; the entry file as its JSON value (key order aside)."""
    files: dict[str, bytes | object] = {}
    for path in sorted((site / BUNDLE).rglob("*")):
        if path.is_file():
            rel = path.relative_to(site / BUNDLE).as_posix()
            files[rel] = json.loads(path.read_bytes()) if rel == "pagefind-entry.json" else path.read_bytes()
    return files


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in (site / BUNDLE).rglob("*") if p.is_file()}


def test_the_bundle_made_per_language_is_the_bundle_of_one_run(tmp_path: Path) -> None:
    site = build_site(GOLDEN_PROJECT, tmp_path / "site").out
    one_run = tmp_path / "one-run"
    shutil.copytree(site, one_run, ignore=shutil.ignore_patterns(BUNDLE))
    command = [sys.executable, "-m", "pagefind", "--site", str(one_run), "--output-subdir", BUNDLE, "--silent"]
    subprocess.run([*command, "--glob", marked_pages_glob(one_run) or "**/*.html"], check=True)
    ours, pagefinds = bundle(site), bundle(one_run)
    assert len(ours["pagefind-entry.json"]["languages"]) == 6  # type: ignore[index]
    assert sorted(ours) == sorted(pagefinds)
    assert [name for name in ours if ours[name] != pagefinds[name]] == []


def test_an_edit_indexes_only_the_languages_whose_pages_changed(tmp_path: Path) -> None:
    """A translation edit: its language alone; then a deleted offer: every language, no trace left."""
    root = tmp_path / "project"
    shutil.copytree(GOLDEN_PROJECT, root)
    out = tmp_path / "site"
    build_site(root, out)
    before = inodes(out)
    po = root / "locales/en/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    first = [m for m in re.finditer(r'^msgstr "(.+)"$', text, flags=re.MULTILINE)][1]  # not the header
    po.write_text(text[: first.end(1)] + " (changed)" + text[first.end(1) :], encoding="utf-8")
    build_site(root, out)
    after = inodes(out)
    relinked = {path for path in after if before.get(path) == after[path]}
    remade = set(after) - relinked
    of_other_languages = re.compile(r"/(de|ar|tr|ru|fr)_|\.(de|ar|tr|ru|fr)[._]")
    assert any(re.search(r"/en_", path) for path in remade)
    assert not [path for path in remade if of_other_languages.search(path)]  # Pagefind's scripts may be new
    assert len([path for path in relinked if of_other_languages.search(path)]) > len(after) / 2
    assert bundle(out) == bundle(build_site(root, tmp_path / "clean", clean=True).out)

    sorted((root / "content/offers").glob("*.md"))[0].unlink()
    build_site(root, out)
    assert bundle(out) == bundle(build_site(root, tmp_path / "clean-2", clean=True).out)
    entry = json.loads((out / BUNDLE / "pagefind-entry.json").read_bytes())
    assert {lang: value["page_count"] for lang, value in entry["languages"].items()} == {
        lang: sum(1 for page in (out / lang).rglob("index.html") if b"data-pagefind-body" in page.read_bytes())
        for lang in entry["languages"]
    }


def test_a_build_with_nothing_changed_keeps_the_whole_bundle(tmp_path: Path) -> None:
    out = build_site(GOLDEN_PROJECT, tmp_path / "site").out
    before = inodes(out)
    build_site(GOLDEN_PROJECT, out)
    assert inodes(out) == before
