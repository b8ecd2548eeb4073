"""The static search index: Pagefind, run over the finished pages before the site goes live.

Pagefind (from PyPI, a binary inside the wheel) builds one small index per `<html lang>` that the
browser fetches in pieces, with stemming for Arabic, Russian and Turkish; nothing runs on a server.
Only the parts of pages marked `data-pagefind-body` (offers, contacts, pages) are indexed.
Pagefind still reads and parses every other page to find that out (the listings, a quarter of the
pages): a glob naming only the marked pages gives the same bundle with about 15 % less work.

Each language's part of the bundle is its own set of files (``fragment/de_…``, ``index/de_…``,
``pagefind.de_….pf_meta``, ``wasm.de.pagefind``) plus one line of ``pagefind-entry.json``, and
Pagefind makes it from that language's pages alone. So Pagefind runs once per language, two at a
time, and the parts are put together: the same bytes as one run over every language, at a sixth of
its memory, and a language whose pages did not change keeps its part from the previous site (a
translator's edit re-indexes one language, not six).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .parallel import cpu_count
from .previous import PreviousSite

BUNDLE = "pagefind"
ENTRY = "pagefind-entry.json"
BODY_MARK = b"data-pagefind-body"
GLOB_SPECIAL = frozenset("*?[]{}!\\,")  # a folder name with one of these is not written into a glob
MAX_GLOB_PATTERNS = 200  # beyond this, a long command line for little gain: Pagefind reads every page
HTML_LANG = re.compile(rb"<html\b[^>]*?\slang=\"([A-Za-z0-9-]{1,35})\"")
PART_FOLDERS = ("fragment", "index", "filter")  # where a language's files start with its code and "_"


class SearchIndexError(Exception):
    """Pagefind failed; the message says how. The build then publishes nothing."""


@dataclass(frozen=True, slots=True)
class SitePages:
    """The site's HTML pages, and the marked ones by their ``<html lang>`` (None: some have none)."""

    pages: list[str]
    marked: dict[str, list[str]] | None


def build_index(
    site: Path, previous: PreviousSite | None = None, written: frozenset[str] = frozenset(),
    files: Collection[str] | None = None, seen: Mapping[str, str | None] | None = None,
) -> None:  # fmt: skip
    """Write the search bundle to ``site/pagefind/``.

    ``previous`` is the last build's site and ``written`` the pages whose bytes are new since
    it: a language none of whose marked pages is new, with as many pages as before, takes its
    part of the bundle from the previous site; when no page changed, the whole bundle does.
    ``files`` and ``seen`` are what the caller knows of the site already (see site_pages).
    """
    if previous is not None and _no_page_changed(site, previous, written, files) and _previous_entry(previous) is not None:
        _link_tree(previous.folder / BUNDLE, site / BUNDLE)  # without reading a single page
        return
    found = site_pages(site, files, seen)
    if found.marked is None or not found.marked:  # Pagefind decides the languages: one run
        _run_pagefind(site, site / BUNDLE, marked_pages_glob(site))
        _stable_entry(site / BUNDLE / ENTRY)
        return
    kept = _previous_parts(previous, found.marked, written)
    todo = sorted(lang for lang in found.marked if lang not in kept)
    with tempfile.TemporaryDirectory(prefix=".pagefind-parts-", dir=site) as temporary:  # gone before the swap
        parts = {lang: Path(temporary, lang) for lang in todo}
        bundle = site / BUNDLE

        def index(lang: str) -> dict[str, dict]:
            """Pagefind over one language's pages; its part is put into the bundle while others still run."""
            own = set(found.marked[lang])
            _run_pagefind(site, parts[lang], _glob_of(found.marked[lang], [page for page in found.pages if page not in own]))
            described = _entry(parts[lang] / ENTRY)["languages"]  # one language, as Pagefind names it
            for key, value in described.items():
                _copy_language(parts[lang], bundle, key, value)
            return described

        # Pagefind uses threads of its own, yet each run has a serial start: one run more than cores.
        with ThreadPoolExecutor(cpu_count() + 1) as pool:
            languages = {key: value for described in pool.map(index, todo) for key, value in described.items()}
        sources = [parts[lang] for lang in todo] or [previous.folder / BUNDLE]  # type: ignore[union-attr]
        _copy_common(sources[0], bundle)
        for lang, (folder, described) in kept.items():
            languages[lang] = described
            _copy_language(folder, bundle, lang, described)
        entry = _entry(sources[0] / ENTRY)
        entry["languages"] = languages
        _write_entry(bundle / ENTRY, entry)


def site_pages(site: Path, files: Collection[str] | None = None, seen: Mapping[str, str | None] | None = None) -> SitePages:
    """The site's HTML pages and the marked ones by language.

    ``files`` lists every file below ``site`` (default: the folder is walked); ``seen`` holds
    search_language of pages whose bytes the caller had in hand (every other page is read).
    """
    pages = sorted(path for path in (_html_files(site) if files is None else files) if path.endswith(".html"))
    marked: dict[str, list[str]] = {}
    for page in pages:
        lang = seen[page] if seen is not None and page in seen else search_language((site / page).read_bytes())
        if lang is not None:
            marked.setdefault(lang, []).append(page)
    return SitePages(pages, None if "" in marked else marked)


def search_language(page: bytes) -> str | None:
    """The language Pagefind indexes an HTML page in: its ``<html lang>`` in lower case, '' when
    it has none; None when the page is not marked ``data-pagefind-body`` (then it is left out)."""
    if BODY_MARK not in page:
        return None
    lang = HTML_LANG.search(page)
    return lang.group(1).decode().lower() if lang else ""


def _html_files(site: Path) -> list[str]:
    return [
        Path(folder, name).relative_to(site).as_posix()
        for folder, _, names in os.walk(site) for name in names if name.endswith(".html")
    ]  # fmt: skip


def marked_pages_glob(site: Path) -> str | None:
    """A Pagefind glob that matches exactly the pages marked ``data-pagefind-body``, or None.

    Once one page is marked, Pagefind leaves out every unmarked page, so skipping them changes no
    byte of the bundle. A marked page stands for its siblings in every language
    (``*/offers/*/index.html``) unless that pattern also matches an unmarked page (a legal page
    shown in German only); then the marked pages are named one by one. Without marked pages
    (Pagefind then indexes whole pages), or with very many patterns, every page is read as before.
    """
    found = site_pages(site)
    marked = {page for pages in (found.marked or {}).values() for page in pages}
    if found.marked is None:
        marked = {page for page in found.pages if BODY_MARK in (site / page).read_bytes()}
    return _glob_of(sorted(marked), [page for page in found.pages if page not in marked], any_language=True)


def _glob_of(marked: list[str], others: list[str], any_language: bool = False) -> str | None:
    """A glob matching the ``marked`` pages and none of the ``others``; None when there is none worth it."""
    siblings: dict[str, list[str]] = {}
    for page in sorted(marked):
        pattern = _siblings_pattern(page, any_language)
        if pattern is None:
            return None
        siblings.setdefault(pattern, []).append(page)
    if not siblings:
        return None
    patterns = []
    for pattern, members in sorted(siblings.items()):
        # In Pagefind's globs, as here, "*" stands for any part of one folder's or file's name.
        matches = re.compile(re.escape(pattern).replace(r"\*", "[^/]*")).fullmatch
        patterns += members if any(matches(page) for page in others) else [pattern]
    if len(patterns) > MAX_GLOB_PATTERNS:
        return None
    return "{" + ",".join(patterns) + "}" if len(patterns) > 1 else patterns[0]


def _siblings_pattern(page: str, any_language: bool = True) -> str | None:
    """``de/offers/x/index.html`` as ``*/offers/*/index.html``: the entry (and the language) left open."""
    parts = page.split("/")
    if any(GLOB_SPECIAL & set(part) for part in parts):
        return None
    if len(parts) >= 2 and any_language:
        parts[0] = "*"
    if len(parts) >= 4:
        parts[-2] = "*"
    return "/".join(parts)


def _run_pagefind(site: Path, output: Path, glob: str | None) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output), "--silent"]
    if glob is not None:
        command += ["--glob", glob]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexError(f"could not run Pagefind: {exc}") from None
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind failed: {(done.stderr or done.stdout).strip()}")


def _previous_entry(previous: PreviousSite | None) -> dict | None:
    """The previous site's Pagefind entry file, when its bundle was made from its pages by this Pagefind."""
    if previous is None or not previous.search:
        return None
    old = previous.folder / BUNDLE
    try:
        entry = _entry(old / ENTRY)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None if old.is_symlink() or entry.get("version") != _pagefind_version() else entry


def _previous_parts(
    previous: PreviousSite | None, marked: dict[str, list[str]], written: frozenset[str]
) -> dict[str, tuple[Path, dict]]:  # fmt: skip
    """The languages whose part of the previous bundle still holds: (its folder, its entry line)."""
    entry = _previous_entry(previous)
    if previous is None or entry is None:
        return {}
    old = previous.folder / BUNDLE
    kept = {}
    for lang, pages in marked.items():
        described = entry["languages"].get(lang)
        if (
            isinstance(described, dict) and described.get("page_count") == len(pages)
            and not any(page in written or previous.unchanged(page) is None for page in pages)
        ):  # fmt: skip
            kept[lang] = (old, described)
    return kept


def _no_page_changed(site: Path, previous: PreviousSite, written: frozenset[str], files: Collection[str] | None) -> bool:
    if any(path.endswith(".html") for path in written):
        return False
    pages = {path for path in (_html_files(site) if files is None else files) if path.endswith(".html")}
    return pages == {path for path in previous.files if path.endswith(".html")}


def _link_tree(source: Path, target: Path) -> None:
    for folder, _, names in os.walk(source):  # Pagefind's own files, as it wrote them
        for name in names:
            path = Path(folder, name)
            if not path.is_symlink():
                _link(path, target / path.relative_to(source))


def _pagefind_version() -> str | None:
    try:
        return version("pagefind")
    except PackageNotFoundError:
        return None


def _language_files(folder: Path, lang: str, described: dict) -> list[str]:
    """The files of one language's part of the bundle in ``folder``, relative to it."""
    names = [f"pagefind.{described['hash']}.pf_meta", f"wasm.{described['wasm']}.pagefind"]
    for part in PART_FOLDERS:
        if (folder / part).is_dir():
            names += [f"{part}/{name}" for name in sorted(os.listdir(folder / part)) if name.startswith(f"{lang}_")]
    return [name for name in names if (folder / name).is_file() and not (folder / name).is_symlink()]


def _copy_language(source: Path, bundle: Path, lang: str, described: dict) -> None:
    for name in _language_files(source, lang, described):
        _link(source / name, bundle / name)


def _copy_common(source: Path, bundle: Path) -> None:
    """Pagefind's script, styles and shared files, the same in every run of one version."""
    for name in sorted(os.listdir(source)):
        path = source / name
        if path.is_file() and not path.is_symlink() and name != ENTRY and not name.endswith(".pf_meta"):
            if not name.startswith("wasm.") or name == "wasm.unknown.pagefind":
                _link(path, bundle / name)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _entry(path: Path) -> dict:
    value = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(value, dict) or not isinstance(value.get("languages"), dict):
        raise ValueError(f"{path}: not Pagefind's entry file")
    return value


def _stable_entry(path: Path) -> None:
    if path.is_file():
        _write_entry(path, _entry(path))


def _write_entry(path: Path, value: dict) -> None:
    # Pagefind lists languages in the order its threads finish; sorted, the same input gives
    # byte-identical output.
    path.write_text(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
