"""The repository's own example site: complete, fully translated, built without warnings."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .conftest import BuiltSite

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("de", "en", "ar", "tr", "ru", "fr")


@pytest.fixture(scope="module")
def site(example_site: BuiltSite) -> Path:
    return example_site.out


def test_the_example_site_builds_without_warnings(example_site: BuiltSite) -> None:
    assert example_site.warnings == ()


def main_part(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_every_offer_and_contact_page_is_translated(site: Path) -> None:
    offers = sorted(p.stem for p in (ROOT / "content/offers").glob("*.md"))
    contacts = sorted(p.stem for p in (ROOT / "content/contacts").glob("*.yaml"))
    assert len(offers) >= 12 and len(contacts) >= 6
    published = [o for o in offers if (site / "de/offers" / o).is_dir()]
    assert len(published) >= 12
    for lang in LANGS:
        for route in [f"offers/{o}/" for o in published] + [f"contacts/{c}/" for c in contacts]:
            html = (site / lang / route / "index.html").read_text(encoding="utf-8")
            main = main_part(html)
            assert 'lang="de"' not in main, f"{lang}/{route} shows German"
            assert 'class="notice"' not in main, f"{lang}/{route} says it is partly translated"
            title = re.search(r"<h1>(.*?)</h1>", main, re.S)
            assert title and title.group(1).strip(), f"{lang}/{route} has no title"


def test_catalogues_are_complete_and_pass_msgfmt() -> None:
    for lang in LANGS[1:]:
        path = ROOT / f"locales/{lang}/LC_MESSAGES/messages.po"
        with path.open("rb") as f:
            catalog = read_po(f)
        untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert untranslated == [], f"{lang}: {untranslated[:3]}"
        if shutil.which("msgfmt"):
            subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


def test_legal_pages_stay_german_and_say_so(site: Path) -> None:
    html = (site / "ar/impressum/index.html").read_text(encoding="utf-8")
    assert '<div lang="de" dir="ltr">' in main_part(html)
