"""The route table knows every address; the list of output files is checked once, before writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.output import DuplicateOutput
from sitegen.pipeline import load_project
from sitegen.plan import PER_PAGE, plan_site
from sitegen.render.files import OutputFile, check_paths
from sitegen.routes import Routes

from .conftest import OFFER, write_tree


def test_routes_of_pages_listings_and_downloads(project: Path) -> None:
    content = load_project(project).content
    offer, contact, page = content.offers[0], content.contacts[0], content.pages[0]
    assert Routes.entry(offer) == "offers/deutsch-muetter/" and Routes.entry(contact) == "contacts/anna/"
    assert Routes.entry(page) == "ueber-uns/"  # pages sit directly below their language
    assert Routes.download(offer) == "offers/deutsch-muetter/deutsch-muetter.ics"
    assert Routes.download_file(contact) == "anna.vcf"
    assert Routes.listing() == "offers/" and Routes.listing(number=3) == "offers/page/3/"
    assert Routes.listing("city", "borken", 2) == "offers/city/borken/page/2/"
    assert Routes.page_file("ar", Routes.home) == "ar/index.html"


def test_absolute_and_host_forms_keep_the_base_path() -> None:
    routes = Routes("https://example.github.io/site/")
    assert routes.absolute(Routes.path("de", Routes.status)) == "https://example.github.io/site/de/status/"
    assert routes.absolute() == "https://example.github.io/site/"
    assert routes.from_host(Routes.static("sitegen.css")) == "/site/static/sitegen.css"
    assert Routes("https://example.org/").base_path == "/"
    assert Routes.up_to_root("de/offers/x/") == "../../../" and Routes.up_to_root("") == ""


def test_long_listings_are_paginated_with_their_own_routes(project: Path) -> None:
    write_tree(project, {f"content/offers/kurs-{i}.md": OFFER for i in range(PER_PAGE)})
    plan = plan_site(load_project(project).content)
    listings = [p for p in plan.pages if p.lang == "de" and p.listing and not p.listing.filter_kind]
    assert [(p.route, p.noindex) for p in listings] == [("offers/", False), ("offers/page/2/", True)]


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "de//index.html", "de/./x", "de\\x", ""])
def test_a_path_outside_the_site_is_refused_before_anything_is_written(path: str) -> None:
    with pytest.raises(DuplicateOutput, match="outside the site"):
        check_paths([OutputFile("de/index.html", "page /de/", bytes), OutputFile(path, "a broken producer", bytes)])


def test_two_producers_of_one_path_are_both_named() -> None:
    files = [
        OutputFile("static/a.css", "themes/default/static/a.css", bytes),
        OutputFile("de/index.html", "page /de/", bytes),
        OutputFile("static/a.css", "content/media/a.css", bytes),
    ]
    with pytest.raises(DuplicateOutput) as found:
        check_paths(files)
    assert str(found.value) == "static/a.css would be written twice: by themes/default/static/a.css and by content/media/a.css"
