"""`sitegen init`: a new site that builds clean, has its legal pages and keeps generated files out of git."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest

from sitegen.cli import main
from sitegen.starter import LEGAL_PAGES

from .badinput import run

LANGUAGES = ("de", "en", "ar", "tr", "ru", "fr")
NO_TRANSLATIONS_YET = (
    "warning: locales: no translations yet for en, ar, tr, ru, fr: their pages show German. "
    "To start translating: sitegen extract && sitegen update"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh `sitegen init` project, built once for the tests that only read it."""
    root = tmp_path_factory.mktemp("init") / "neu"
    assert main(["init", str(root)]) == 0
    assert main(["build", str(root), "--no-search"]) == 0
    return root


def test_init_says_what_to_fill_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "neu"))
    assert code == 0
    assert err == (
        f"created {tmp_path / 'neu'}: edit content/, fill in everything marked [... eintragen] in "
        "content/pages/impressum.md, content/pages/datenschutz.md, content/pages/barrierefreiheit.md, "
        f"then run 'sitegen serve {tmp_path / 'neu'}'\n"
    )


def test_a_new_site_builds_and_checks_with_exactly_one_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "neu"
    run(capsys, "init", str(root))
    code, _, err = run(capsys, "build", str(root), "--no-search")
    lines = err.splitlines()
    assert code == 0, err
    assert len(lines) == 2 and lines[0] == NO_TRANSLATIONS_YET
    assert re.fullmatch(r"built \d+ pages \(\d+ files\) into .*_site in [\d.]+ s", lines[1]), lines[1]
    code, _, err = run(capsys, "check", str(root))
    assert (code, err) == (0, f"{NO_TRANSLATIONS_YET}\nok: 6 entries in 6 languages\n")


def test_the_hint_works_and_then_the_build_is_silent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "neu"
    run(capsys, "init", str(root))
    assert run(capsys, "extract", str(root))[0] == 0
    assert run(capsys, "update", str(root))[0] == 0
    code, _, err = run(capsys, "build", str(root), "--no-search")
    assert code == 0 and err.startswith("built "), err
    header = (root / "locales/ar/LC_MESSAGES/messages.po").read_text(encoding="utf-8").split('msgid ""')[0]
    assert header == (
        "# Arabic translations for Integrationsagentur Musterstadt.\n"
        "# Translate in the msgstr lines, with Poedit, Weblate or a text editor. The\n"
        "# msgid lines are the German texts, kept up to date by 'sitegen update':\n"
        "# don't change them.\n"
    )


def test_legal_pages_exist_in_every_language(site: Path) -> None:
    for lang in LANGUAGES:
        for page in LEGAL_PAGES:
            assert (site / "_site" / lang / page / "index.html").is_file(), (lang, page)
    impressum = (site / "_site/en/impressum/index.html").read_text(encoding="utf-8")
    assert "Angaben gemäß § 5 DDG" in impressum and "[Name des Vereins eintragen]" in impressum


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_links_the_legal_pages_in_its_footer(site: Path, lang: str) -> None:
    for page in ("", "offers/deutschkurs/", "impressum/"):
        html = (site / "_site" / lang / page / "index.html").read_text(encoding="utf-8")
        footer = html[html.index("<footer") : html.index("</footer>")]
        here = f"/{lang}/{page}"
        linked = {urljoin(here, href) for href in re.findall(r'href="([^"]+)"', footer)}
        assert {f"/{lang}/{legal}/" for legal in LEGAL_PAGES} <= linked, (page, linked)


def test_legal_texts_stay_german_and_mark_what_to_fill_in(site: Path) -> None:
    for page in ("impressum", "datenschutz"):
        text = (site / "content/pages" / f"{page}.md").read_text(encoding="utf-8")
        assert "\ntranslate: false " in text and "[Name des Vereins eintragen]" in text
    accessibility = (site / "content/pages/barrierefreiheit.md").read_text(encoding="utf-8")
    assert "translate:" not in accessibility and "[Datum eintragen]" in accessibility


def test_gitignore_keeps_generated_files_out_of_git(site: Path) -> None:
    lines = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    for pattern in ("_site/", "*.mo", "__pycache__/", ".sitegen-cache/"):
        assert pattern in lines
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    mo = site / "locales/en/LC_MESSAGES/messages.mo"  # what Poedit and 'pybabel compile' write
    mo.parent.mkdir(parents=True, exist_ok=True)
    mo.write_bytes(b"")
    try:
        subprocess.run(["git", "init", "-q", str(site)], check=True)
        done = subprocess.run(["git", "-C", str(site), "status", "--porcelain", "--untracked-files=all"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    finally:
        mo.unlink()
        shutil.rmtree(site / ".git", ignore_errors=True)
    untracked = sorted(line[3:] for line in done.stdout.splitlines())
    assert untracked == [".gitignore", *sorted(f"content/{p.relative_to(site / 'content').as_posix()}"
                                               for p in (site / "content").rglob("*.*"))]  # fmt: skip
