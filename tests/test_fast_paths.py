"""The fast paths give the same site as the plain ones: parallel rendering, cached catalogues."""

from __future__ import annotations

import hashlib
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from sitegen.cli import main
from sitegen.pipeline import build_site, load_project
from sitegen.plan import plan_site
from sitegen.render import PARALLEL_FROM
from sitegen.render.files import OutputFile
from sitegen.render.stage import language_runs
from sitegen.catalogue_cache import catalogue_cache_folder

from .conftest import OFFER, write_tree


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_parallel_build_equals_serial_build(project: Path, tmp_path: Path) -> None:
    write_tree(project, {f"content/offers/kurs-{i}.md": OFFER.replace("Deutschkurs für Mütter", f"Kurs {i}") for i in range(80)})
    assert len(plan_site(load_project(project).content).pages) >= PARALLEL_FROM
    build_site(project, tmp_path / "one", jobs=1, search=False)
    build_site(project, tmp_path / "two", jobs=2, search=False)
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_each_process_renders_a_run_of_languages_and_the_other_files_are_dealt_in_turn() -> None:
    files = [OutputFile(f"{lang}/offers/{n}/index.html", "page", bytes) for n in range(4) for lang in ("en", "de", "ar")]
    files += [OutputFile(f"static/{name}", "static", bytes) for name in ("a.css", "b.js", "c.svg")]
    shares = language_runs(files, 2, ["de", "en", "ar"])
    assert [[file.path.split("/")[0] for file in share] for share in shares] == [
        ["ar"] * 4 + ["de"] * 2 + ["static", "static"],
        ["de"] * 2 + ["en"] * 4 + ["static"],
    ]
    assert sorted(file.path for share in shares for file in share) == sorted(file.path for file in files)


def _set_translation(root: Path, lang: str, msgid: str, text: str) -> None:
    path = root / f"locales/{lang}/LC_MESSAGES/messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    catalog[msgid].string = text
    with path.open("wb") as f:
        write_po(f, catalog)


def test_changed_catalogue_is_read_again_and_clean_ignores_the_cache(project: Path) -> None:
    assert main(["extract", str(project)]) == 0 and main(["update", str(project)]) == 0
    _set_translation(project, "en", "Deutschkurs für Mütter", "German for mothers")
    build_site(project, search=False)
    cached = catalogue_cache_folder(project)
    assert cached is not None and list(cached.glob("en-*.json"))
    _set_translation(project, "en", "Deutschkurs für Mütter", "German course for mothers")
    build_site(project, search=False)
    page = (project / "_site/en/offers/deutsch-muetter/index.html").read_text()
    assert "<h1>German course for mothers</h1>" in page
    assert len(list(cached.glob("en-*.json"))) == 1  # the old result is gone
    assert main(["build", str(project), "--clean", "--no-search"]) == 0


def test_problems_of_a_cached_catalogue_are_reported_on_every_build(project: Path) -> None:
    assert main(["extract", str(project)]) == 0 and main(["update", str(project)]) == 0
    _set_translation(project, "ar", "Deutschkurs für Mütter", "دورة \u202eألمانية")
    first = [str(w) for w in build_site(project, search=False).warnings if "bidi" in str(w)]
    second = [str(w) for w in build_site(project, search=False).warnings if "bidi" in str(w)]
    assert len(first) == 1 and first == second
    page = (project / "_site/ar/offers/deutsch-muetter/index.html").read_text()
    assert '<h1><span lang="de" dir="ltr">Deutschkurs für Mütter</span></h1>' in page
