"""The Pagefind glob names exactly the pages marked for indexing, so skipping the rest changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.search import marked_pages_glob

MARKED = '<html lang="de"><body><article data-pagefind-body>Text</article></body></html>'
UNMARKED = '<html lang="de"><body><ul><li>Liste</li></ul></body></html>'


def site_of(tmp_path: Path, pages: dict[str, str]) -> Path:
    for rel, text in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def matched(glob: str, pages: list[str]) -> set[str]:
    """Which pages a Pagefind glob matches: ``{a,b}`` alternatives, ``*`` within one name."""
    alternatives = glob[1:-1].split(",") if glob.startswith("{") else [glob]
    found = set()
    for pattern in alternatives:
        regex = re.compile(re.escape(pattern).replace(r"\*", "[^/]*"))
        found |= {page for page in pages if regex.fullmatch(page)}
    return found


def test_the_glob_matches_the_marked_pages_and_no_other(tmp_path: Path) -> None:
    pages = {
        "de/offers/kurs/index.html": MARKED, "en/offers/kurs/index.html": MARKED,
        "de/offers/beratung/index.html": MARKED, "de/offers/index.html": UNMARKED,
        "de/offers/category/sprache/index.html": UNMARKED, "de/impressum/index.html": UNMARKED,
        "de/ueber-uns/index.html": MARKED, "en/ueber-uns/index.html": MARKED, "index.html": UNMARKED,
    }  # fmt: skip
    glob = marked_pages_glob(site_of(tmp_path, pages))
    assert glob is not None
    assert matched(glob, list(pages)) == {page for page, text in pages.items() if text == MARKED}


def test_without_marked_pages_every_page_is_read(tmp_path: Path) -> None:
    site = site_of(tmp_path, {"de/index.html": UNMARKED, "de/offers/index.html": UNMARKED})
    assert marked_pages_glob(site) is None
