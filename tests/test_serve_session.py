"""`sitegen serve` after a save: the pages in view first, the rest of the site after them — and
once the rest is done, the served folder is byte for byte what `sitegen build --no-search` writes."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest

from sitegen.errors import BuildError
from sitegen.pipeline import build_site
from sitegen.preview.server import in_view
from sitegen.preview.session import PreviewSession, Saved

from .conftest import GOLDEN_PROJECT

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "themes" / "default" / "templates"
OFFER = "content/offers/deutschkurs.md"
EN_CATALOGUE = "locales/en/LC_MESSAGES/messages.po"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def replace(path: Path, pattern: str, new: str) -> None:
    text, count = re.subn(pattern, new, path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    assert count, pattern
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(GOLDEN_PROJECT, tmp_path / "project"))


@pytest.fixture
def session(project: Path, tmp_path: Path) -> PreviewSession:
    started = PreviewSession(project, tmp_path / "served", jobs=2)
    started.build_all()
    return started


def save(session: PreviewSession, *urls: str) -> tuple[Saved, Saved]:
    """A save with ``urls`` in view: the first pass, then the rest of the site."""
    first, project, plan = session.save(urls)
    rest = session.rest(project, plan)
    rest.run()
    assert rest.saved.complete
    return first, rest.saved


def page(session: PreviewSession, url: str) -> str:
    return (session.out / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def assert_same_as_build(session: PreviewSession, tmp_path: Path) -> None:
    built = build_site(session.root, tmp_path / "built", search=False, clean=True).out
    served, clean = tree(session.out), tree(built)
    assert served.keys() == clean.keys()
    assert [name for name in served if served[name] != clean[name]] == []


def test_the_first_build_is_the_build(session: PreviewSession, tmp_path: Path) -> None:
    assert_same_as_build(session, tmp_path)


def test_an_offer_body_edit_shows_on_the_page_in_view_first(session: PreviewSession, project: Path, tmp_path: Path) -> None:
    offer = project / OFFER
    offer.write_text(offer.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    first, _, plan = session.save(["/de/offers/deutschkurs/"])
    assert first.changed == ["de/offers/deutschkurs/index.html"] and first.urls == {"/de/offers/deutschkurs/"}
    assert "Ein neuer Absatz." in page(session, "/de/offers/deutschkurs/")
    assert "Ein neuer Absatz." not in page(session, "/en/offers/deutschkurs/")  # not yet: the rest follows
    rest = session.rest(session.project.load(), plan)
    rest.run()
    assert "Ein neuer Absatz." in page(session, "/en/offers/deutschkurs/")
    assert "de/offers/deutschkurs/index.html" not in rest.saved.changed  # written once, by the first pass
    assert_same_as_build(session, tmp_path)


def test_a_title_edit_shows_on_the_listing_in_view(session: PreviewSession, project: Path, tmp_path: Path) -> None:
    replace(project / OFFER, r"^title: .*$", "title: Deutschkurs für Mütter und Väter")
    first, rest = save(session, "/de/offers/")
    assert first.changed == ["de/offers/index.html"]
    assert "Deutschkurs für Mütter und Väter" in page(session, "/de/offers/")
    assert {"/de/offers/deutschkurs/", "/de/offers/category/sprache/"} <= rest.urls
    assert_same_as_build(session, tmp_path)


def test_a_catalogue_edit_shows_in_its_language(session: PreviewSession, project: Path, tmp_path: Path) -> None:
    replace(project / EN_CATALOGUE, r'^msgstr "German course for mothers"$', 'msgstr "German class for mothers"')
    first, rest = save(session, "/en/offers/deutschkurs/", "/de/offers/deutschkurs/")
    assert first.changed == ["en/offers/deutschkurs/index.html"]  # the German page came out the same
    assert "German class for mothers" in page(session, "/en/offers/deutschkurs/")
    assert "/en/offers/" in rest.urls and not any(url.startswith("/de/") for url in rest.urls)
    assert_same_as_build(session, tmp_path)


def test_a_catalogue_save_keeps_the_plan_and_the_next_entry_save_plans_anew(
    session: PreviewSession, project: Path, tmp_path: Path
) -> None:
    _, _, planned = session.save(["/en/offers/"])
    replace(project / EN_CATALOGUE, r'^msgstr "German course for mothers"$', 'msgstr "German class for mothers"')
    _, _, plan = session.save(["/en/offers/"])
    assert plan is planned  # the entries are the same: nothing to plan again
    replace(project / OFFER, r"^title: .*$", "title: Sprachkurs für Mütter")  # from first to last in the listing
    save(session, "/de/offers/")
    listing = page(session, "/de/offers/")
    assert listing.index("Migrationsberatung") < listing.index("Sprachkurs für Mütter")
    assert_same_as_build(session, tmp_path)


def test_a_template_edit_shows_on_the_page_in_view(session: PreviewSession, project: Path, tmp_path: Path) -> None:
    site = project / "content/site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "theme: eigenes\n", encoding="utf-8")
    (project / "themes/eigenes/templates").mkdir(parents=True)
    template = project / "themes/eigenes/templates/offer.html"
    shutil.copy(DEFAULT_TEMPLATES / "offer.html", template)
    save(session, "/de/offers/deutschkurs/")
    replace(template, "<h1>", "<p>Neue Vorlage</p><h1>")
    first, _ = save(session, "/de/offers/deutschkurs/")
    assert first.changed == ["de/offers/deutschkurs/index.html"]
    assert "Neue Vorlage" in page(session, "/de/offers/deutschkurs/")
    assert_same_as_build(session, tmp_path)


def test_a_deleted_and_an_added_offer(session: PreviewSession, project: Path, tmp_path: Path) -> None:
    (project / "content/offers/elterncafe.md").unlink()
    first, rest = save(session, "/de/offers/elterncafe/")
    assert first.changed == ["de/offers/elterncafe/index.html"]  # deleted: the tab reloads into the 404 page
    assert not (session.out / "de/offers/elterncafe").exists()
    assert "/en/offers/elterncafe/" in rest.urls
    assert_same_as_build(session, tmp_path)
    shutil.copy(project / OFFER, project / "content/offers/neu.md")
    first, _ = save(session, "/de/offers/neu/")
    assert "Deutschkurs für Mütter" in page(session, "/de/offers/neu/")
    assert_same_as_build(session, tmp_path)


def test_a_broken_save_reports_what_build_reports_and_keeps_the_last_good_site(
    session: PreviewSession, project: Path, tmp_path: Path
) -> None:
    before = tree(session.out)
    replace(project / OFFER, r"^contacts: .*$", "contacts: [niemand]")
    with pytest.raises(BuildError) as served:
        session.save(["/de/offers/deutschkurs/"])
    with pytest.raises(BuildError) as built:
        build_site(project, tmp_path / "built", search=False)
    assert [str(p) for p in served.value.errors] == [str(p) for p in built.value.errors]
    assert "content/offers/deutschkurs.md:8: unknown contact 'niemand'" in str(served.value)
    assert tree(session.out) == before
    replace(project / OFFER, r"^contacts: .*$", "contacts: [leyla]")
    save(session, "/de/offers/deutschkurs/")
    assert_same_as_build(session, tmp_path)


def test_a_save_during_the_rest_cancels_it_and_the_next_rest_finishes_the_site(
    session: PreviewSession, project: Path, tmp_path: Path
) -> None:
    replace(project / OFFER, r"^title: .*$", "title: Erster Titel")
    _, loaded, plan = session.save(["/de/offers/"])
    rest = session.rest(loaded, plan)
    running = threading.Thread(target=rest.run)
    running.start()
    replace(project / OFFER, r"^title: .*$", "title: Zweiter Titel")
    rest.cancel()  # what the next save does first
    running.join(30)
    first, _ = save(session, "/de/offers/deutschkurs/")
    assert "Zweiter Titel" in page(session, "/de/offers/deutschkurs/")
    assert_same_as_build(session, tmp_path)


def test_a_tab_names_its_page_by_site_url_never_by_a_path_elsewhere() -> None:
    assert in_view("/de/offers/x/") == "/de/offers/x/" and in_view("/") == "/"
    for bad in ("", "de/x/", "/../etc/passwd", "/de/../../x", "/de\\x", "//evil/x", "/de/\x00", "/" + "a" * 600):
        assert in_view(bad) is None, bad
