"""Whole builds of small projects, checked page by page in every language."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from babel import Locale
from babel.messages.pofile import read_po, write_po

from sitegen.cli import main
from sitegen.pipeline import build_site

from .conftest import BuiltSite, write_tree

PAGES = ["", "offers/", "offers/deutsch-muetter/", "contacts/anna/", "ueber-uns/", "status/",
         "offers/category/sprache/", "offers/audience/frauen/", "offers/language/ar/", "offers/city/borken/"]  # fmt: skip


def extract_and_update(root: Path) -> None:
    assert main(["extract", str(root)]) == 0
    assert main(["update", str(root)]) == 0


def translate(root: Path, lang: str, translations: dict[str, str], fuzzy: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    path = root / f"locales/{lang}/LC_MESSAGES/messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id in translations:
            message.string = translations[message.id]
            if message.id in fuzzy:
                message.flags.add("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog)


def html(site: Path, lang: str, route: str) -> str:
    return (site / lang / route / "index.html").read_text(encoding="utf-8")


def test_no_catalogues_builds_a_german_site_with_warnings(minimal_site: BuiltSite) -> None:
    assert list(minimal_site.warnings) == [
        "locales: no translations yet for en, ar: their pages show German. To start translating: sitegen extract && sitegen update",
    ]
    page = html(minimal_site.out, "ar", "offers/deutsch-muetter/")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<h1><span lang="de" dir="ltr">Deutschkurs für Mütter</span></h1>' in page
    assert 'class="notice"' in page
    en = html(minimal_site.out, "en", "offers/deutsch-muetter/")
    assert '<p><span lang="de">Wir lernen gemeinsam Deutsch.</span></p>' in en
    de = html(minimal_site.out, "de", "offers/deutsch-muetter/")
    assert 'class="notice"' not in de and '<span lang="de"' not in de


def test_every_page_exists_in_every_language_with_alternates(minimal_site: BuiltSite) -> None:
    site = minimal_site.out
    for lang in ("de", "en", "ar"):
        for route in PAGES:
            page = html(site, lang, route)
            direction = "rtl" if lang == "ar" else "ltr"
            assert f'<html lang="{lang}" dir="{direction}">' in page, (lang, route)
            assert f'<link rel="canonical" href="https://example.org/site/{lang}/{route}">' in page
            for other in ("de", "en", "ar"):
                assert f'<link rel="alternate" hreflang="{other}" href="https://example.org/site/{other}/{route}">' in page
            assert f'<link rel="alternate" hreflang="x-default" href="https://example.org/site/de/{route}">' in page
    root = (site / "index.html").read_text()
    assert all(f'href="{lang}/"' in root for lang in ("de", "en", "ar"))
    sitemap = (site / "sitemap.xml").read_text()
    assert "<loc>https://example.org/site/ar/offers/deutsch-muetter/</loc>" in sitemap
    assert "status/" not in sitemap and "category/" not in sitemap
    assert (site / "404.html").is_file() and "Sitemap: https://example.org/site/sitemap.xml" in (site / "robots.txt").read_text()


def test_every_internal_link_resolves_inside_the_site(minimal_site: BuiltSite) -> None:
    site = minimal_site.out
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue  # its links start at the base path; checked below
        base = "/" + page.relative_to(site).as_posix()
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text()):
            parts = urlsplit(href)
            if parts.scheme or href.startswith("#"):
                continue
            target = urlsplit(urljoin(base, href)).path
            path = site / target.lstrip("/")
            assert (path / "index.html" if target.endswith("/") else path).is_file(), f"{page}: {href}"
    not_found = (site / "404.html").read_text()
    assert 'href="/site/de/"' in not_found and 'href="/site/static/sitegen.css"' in not_found


def test_translations_fuzzy_and_missing(project: Path) -> None:
    extract_and_update(project)
    translate(project, "en", {
        "Deutschkurs für Mütter": "German course for mothers",
        "Ein Deutschkurs mit Kinderbetreuung.": "A German course with childcare.",
        "Wir lernen gemeinsam Deutsch.": "We learn German together.",
        "Einkaufen": "Shopping",
        "Arzt": "Doctor (old)",
    }, fuzzy={"Arzt"})
    build_site(project, search=False)
    page = html(project / "_site", "en", "offers/deutsch-muetter/")
    assert "<h1>German course for mothers</h1>" in page
    assert "<p>We learn German together.</p>" in page
    assert "<li>Shopping</li>" in page
    assert '<li><span lang="de">Arzt</span></li>' in page  # fuzzy: German until reviewed
    assert "Doctor (old)" not in page


def test_relative_links_between_entries_stay_in_the_readers_language(project: Path) -> None:
    write_tree(project, {"content/pages/ueber-uns.md": "---\ntitle: Über uns\n---\nSiehe [Kurs](../offers/deutsch-muetter.md#zeiten) und [Anna](../contacts/anna.yaml).\n"})
    build_site(project, search=False)
    page = html(project / "_site", "ar", "ueber-uns/")
    assert 'href="../../ar/offers/deutsch-muetter/#zeiten"' in page
    assert 'href="../../ar/contacts/anna/"' in page


def test_phone_and_email_links(minimal_site: BuiltSite) -> None:
    page = html(minimal_site.out, "de", "contacts/anna/")
    assert 'href="tel:+492861939414"' in page and 'href="mailto:anna@example.org"' in page


def test_same_input_gives_byte_identical_output(project: Path, tmp_path: Path) -> None:
    extract_and_update(project)
    build_site(project, tmp_path / "a", search=False)
    build_site(project, tmp_path / "b", search=False)

    def digest(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}

    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_failed_build_leaves_previous_site_untouched(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(project), "--no-search"]) == 0
    before = {p: p.read_bytes() for p in (project / "_site").rglob("*") if p.is_file()}
    write_tree(project, {"content/offers/deutsch-muetter.md": "---\ntitle: [kaputt\n---\n"})
    assert main(["build", str(project), "--no-search"]) == 1
    err = capsys.readouterr().err
    assert "content/offers/deutsch-muetter.md:2: the '[' on this line is never closed" in err and "Traceback" not in err
    after = {p: p.read_bytes() for p in (project / "_site").rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def test_rebuild_replaces_removed_pages(project: Path) -> None:
    build_site(project, search=False)
    (project / "content/pages/ueber-uns.md").unlink()
    build_site(project, search=False)
    assert not (project / "_site/de/ueber-uns").exists()


def test_strict_turns_warnings_into_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(project), "--strict", "--no-search"]) == 1
    assert "locales: no translations yet for en, ar" in capsys.readouterr().err
    assert not (project / "_site").exists()


def test_extract_and_update_catalogues_pass_msgfmt_and_stay_untouched(project: Path) -> None:
    extract_and_update(project)
    pot = (project / "locales/messages.pot").read_text()
    assert '#. title\n#: content/offers/deutsch-muetter.md:2\nmsgid "Deutschkurs für Mütter"' in pot
    assert '#. body list item\n#: content/offers/deutsch-muetter.md:16\nmsgid "Einkaufen"' in pot
    assert '#. categories.sprache\n#: content/site.yaml:10\nmsgid "Sprachkurse"' in pot
    ar = project / "locales/ar/LC_MESSAGES/messages.po"
    assert "nplurals=6" in ar.read_text()
    if shutil.which("msgfmt"):
        for lang in ("en", "ar"):
            subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(project / f"locales/{lang}/LC_MESSAGES/messages.po")], check=True)
    stamps = {p: p.stat().st_mtime_ns for p in (project / "locales").rglob("*.po*")}
    extract_and_update(project)
    assert {p: p.stat().st_mtime_ns for p in (project / "locales").rglob("*.po*")} == stamps


def test_changed_source_text_makes_translation_fuzzy(project: Path) -> None:
    extract_and_update(project)
    translate(project, "en", {"Wir lernen gemeinsam Deutsch.": "We learn German together."})
    offer = project / "content/offers/deutsch-muetter.md"
    offer.write_text(offer.read_text().replace("Wir lernen gemeinsam Deutsch.", "Wir lernen zusammen Deutsch."))
    extract_and_update(project)
    with (project / "locales/en/LC_MESSAGES/messages.po").open("rb") as f:
        message = read_po(f)["Wir lernen zusammen Deutsch."]
    assert message.fuzzy and message.string == "We learn German together."
    build_site(project, search=False)
    assert '<p><span lang="de">Wir lernen zusammen Deutsch.</span></p>' in html(project / "_site", "en", "offers/deutsch-muetter/")


def test_paragraph_shared_by_two_files_is_one_message(project: Path) -> None:
    write_tree(project, {"content/pages/impressum.md": "---\ntitle: Impressum\n---\nWir lernen gemeinsam Deutsch.\n"})
    extract_and_update(project)
    pot = (project / "locales/messages.pot").read_text()
    assert pot.count('msgid "Wir lernen gemeinsam Deutsch."') == 1
    assert "#: content/offers/deutsch-muetter.md:14 content/pages/impressum.md:4" in pot


def test_untranslatable_pages_and_drafts_are_not_offered(project: Path) -> None:
    write_tree(project, {
        "content/pages/impressum.md": "---\ntitle: Impressum\ntranslate: false\n---\nVerantwortlich: Testverein.\n",
        "content/offers/entwurf.md": "---\ntitle: Geheimer Entwurf\nsummary: S\ncategory: sprache\ndraft: true\n---\n",
    })
    extract_and_update(project)
    pot = (project / "locales/messages.pot").read_text()
    assert "Verantwortlich" not in pot and "Geheimer Entwurf" not in pot
    build_site(project, search=False)
    assert not (project / "_site/de/offers/entwurf").exists()
    assert 'lang="de" dir="ltr"' in html(project / "_site", "ar", "impressum/")


def test_template_errors_of_a_project_theme_are_reported_with_file_and_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site_yaml = project / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "theme: eigenes\n")
    write_tree(project, {"themes/eigenes/templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ page.entry.nope.nope }}\n{% endblock %}\n"})
    assert main(["build", str(project), "--no-search"]) == 1
    err = capsys.readouterr().err
    assert "themes/eigenes/templates/page.html:3: 'sitegen.model.Page object' has no attribute 'nope' (while rendering /de/ueber-uns/)" in err
    write_tree(project, {"themes/eigenes/templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n"})
    assert main(["build", str(project), "--no-search"]) == 1
    assert "themes/eigenes/templates/page.html:3: Expected an expression, got 'end of statement block'" in capsys.readouterr().err
    # A page is made again only when what it shows changed, so it may not tell about other pages' German.
    other = "{% for other in view.plan.pages if other.route != page.route %}{{ c.partly_translated(other) }}{% endfor %}"
    write_tree(project, {"themes/eigenes/templates/page.html": f"{{% extends 'base.html' %}}\n{{% block main %}}\n{other}\n{{% endblock %}}\n"})
    assert main(["build", str(project), "--no-search"]) == 1
    assert "themes/eigenes/templates/page.html:3: c.partly_translated(page) tells about the page being rendered only (while rendering /de/ueber-uns/)" in capsys.readouterr().err


def test_lists_of_links_use_the_languages_own_separator(minimal_site: BuiltSite) -> None:
    de = html(minimal_site.out, "de", "offers/deutsch-muetter/")
    ar = html(minimal_site.out, "ar", "offers/deutsch-muetter/")
    for lang, page in (("de", de), ("ar", ar)):  # CLDR's separator: ", " in German, " و" in Arabic
        separator = Locale.parse(lang).list_patterns["standard"]["middle"].replace("{0}", "").replace("{1}", "")
        assert re.search(rf'frauen/">.*?</a>{re.escape(separator)}<a href="[^"]*audience/familien/', page), lang


def test_a_long_listing_links_every_page_of_it_from_each(project: Path) -> None:
    offer = (project / "content/offers/deutsch-muetter.md").read_text(encoding="utf-8")
    write_tree(project, {f"content/offers/kurs-{n:02}.md": offer.replace("Deutschkurs für Mütter", f"Kurs {n:02}") for n in range(44)})
    build_site(project, search=False)
    site = project / "_site"
    pages = [html(site, "de", route) for route in ("offers/", "offers/page/2/", "offers/page/3/")]
    for number, page in enumerate(pages, start=1):
        links = re.findall(r'<li><a href="([^"]+)"([^>]*)><span class="visually-hidden">Seite </span>(\d)</a></li>', page)
        assert [urljoin(f"/de/offers/{'' if number == 1 else f'page/{number}/'}", href) for href, _, _ in links] == [
            "/de/offers/", "/de/offers/page/2/", "/de/offers/page/3/"
        ]  # fmt: skip
        assert [n for _, attrs, n in links if 'aria-current="page"' in attrs] == [str(number)]
    neighbours = dict(re.findall(r'<link rel="(prev|next)" href="([^"]+)">', pages[1]))
    assert {rel: urljoin("/de/offers/page/2/", href) for rel, href in neighbours.items()} == {
        "prev": "/de/offers/", "next": "/de/offers/page/3/"
    }  # fmt: skip
