"""The Babel extraction method: pybabel gives the same messages as 'sitegen extract'; catalogues
compile with pybabel and pass msgfmt --check."""

from __future__ import annotations

import importlib.metadata
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from sitegen.pofile import po_bytes
from sitegen.cli import main
from sitegen.extractor import extract_sitegen

from .conftest import write_tree

REPO = Path(__file__).resolve().parent.parent
BABEL_CFG = REPO / "babel.cfg"


def sitegen_pot(root: Path) -> Catalog:
    assert main(["extract", str(root)]) == 0
    return read_po((root / "locales/messages.pot").open("rb"))


def pybabel_in_process(root: Path) -> Catalog:
    """What ``pybabel extract -F babel.cfg`` does, with the shipped mapping, without needing the
    package installed (the method is named by its module path instead of its entry point)."""
    method_map, options_map = parse_mapping_cfg(io.StringIO(BABEL_CFG.read_text()))
    method_map = [(pattern, "sitegen.extractor:extract_sitegen" if m == "sitegen" else m) for pattern, m in method_map]
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(str(root), method_map, options_map):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def summary(catalog: Catalog) -> dict[str, tuple[list[tuple[str, int]], list[str]]]:
    return {m.id: (sorted(m.locations), sorted(m.auto_comments)) for m in catalog if m.id}


@pytest.fixture
def site(project: Path) -> Path:
    return write_tree(project, {
        "content/offers/entwurf.md": "---\ntitle: Entwurf\nsummary: Noch nicht fertig.\ncategory: sprache\ndraft: true\n---\nText.\n",
        "content/offers/alt.md": "---\ntitle: Alt\nsummary: Vorbei.\ncategory: sprache\nvalid_until: 2020-01-01\n---\nAlt.\n",
        "content/pages/impressum.md": "---\ntitle: Impressum\ntranslate: false\n---\nNur Deutsch.\n",
        "content/pages/kontakt.md": "---\ntitle: Kontakt\n---\nSchreiben Sie uns: [E-Mail](mailto:info@example.org).\n\n- Beratung\n  - Familien\n",
    })  # fmt: skip


def test_extractor_gives_the_same_messages_and_references_as_sitegen_extract(site: Path) -> None:
    ours, theirs = summary(sitegen_pot(site)), summary(pybabel_in_process(site))
    assert theirs == ours
    assert ours["Wir lernen gemeinsam Deutsch."] == ([("content/offers/deutsch-muetter.md", 14)], ["body paragraph"])
    assert ours["Beratung"] == (
        [("content/pages/kontakt.md", 6), ("content/site.yaml", 11)], ["body list item", "categories.beratung"]
    )
    assert "Entwurf" not in ours and "Alt" not in ours and "Nur Deutsch." not in ours  # draft, expired, German only


def test_extractor_on_the_example_site(tmp_path: Path) -> None:
    root = tmp_path / "example"
    shutil.copytree(REPO / "content", root / "content")
    assert summary(pybabel_in_process(root)) == summary(sitegen_pot(root))


def test_extractor_is_a_plain_babel_method(site: Path) -> None:
    with (site / "content/offers/deutsch-muetter.md").open("rb") as f:
        found = list(extract_sitegen(f, [], [], {}))
    assert found[:2] == [(2, None, "Deutschkurs für Mütter", ["title"]), (3, None, "Ein Deutschkurs mit Kinderbetreuung.", ["summary"])]
    assert (14, None, "Wir lernen gemeinsam Deutsch.", ["body paragraph"]) in found


def test_extractor_stops_on_content_errors(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(site, {"content/offers/kaputt.md": "---\ntitle: Kaputt\ncategory: gibtsnicht\n---\n"})
    with pytest.raises(SystemExit) as info:
        pybabel_in_process(site)
    assert str(info.value) == f"sitegen: 2 error(s) in {site}/content; nothing extracted"
    assert capsys.readouterr().err.splitlines() == [
        "warning: content/offers/alt.md:1: expired on 2020-01-01; left out of the site",
        "content/offers/kaputt.md:2: 'summary' is required",
        "content/offers/kaputt.md:3: unknown category 'gibtsnicht'; site.yaml defines: beratung, sprache",
    ]


def _has_sitegen_method() -> bool:
    return any(e.name == "sitegen" for e in importlib.metadata.entry_points(group="babel.extractors"))


@pytest.mark.skipif(not _has_sitegen_method(), reason="sitegen is not installed (pip install -e .): no 'sitegen' Babel method")
def test_pybabel_extract_with_the_shipped_mapping(site: Path) -> None:
    shutil.copy(BABEL_CFG, site / "babel.cfg")
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-o", "x.pot", "."],
                          cwd=site, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    theirs = read_po((site / "x.pot").open("rb"))
    assert summary(theirs) == summary(sitegen_pot(site))


def test_catalogues_compile_with_pybabel_and_pass_msgfmt_check(site: Path, tmp_path: Path) -> None:
    assert main(["extract", str(site)]) == 0 and main(["update", str(site)]) == 0
    for lang, text in (("en", "We learn German together."), ("ar", "نتعلم الألمانية معاً.")):
        path = site / f"locales/{lang}/LC_MESSAGES/messages.po"
        catalog = read_po(path.open("rb"), locale=lang)
        catalog["Wir lernen gemeinsam Deutsch."].string = text
        catalog["Beraterin"].string = "x"
        catalog["Beraterin"].flags.add("fuzzy")
        path.write_bytes(po_bytes(catalog))
    write_tree(site, {"content/contacts/anna.yaml": "name: Anna Beispiel\nrole: Beraterin für Familien\n"})
    assert main(["extract", str(site)]) == 0 and main(["update", str(site)]) == 0  # obsolete and fuzzy entries
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(site / "locales"), "-D", "messages", "--use-fuzzy"],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (site / "locales/ar/LC_MESSAGES/messages.mo").stat().st_size > 0
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (GNU gettext) is not installed")
    for lang in ("en", "ar"):
        po = site / f"locales/{lang}/LC_MESSAGES/messages.po"
        done = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / f"{lang}.mo"), str(po)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    pot = site / "locales/messages.pot"
    done = subprocess.run(["msgfmt", "--check-format", "--check-domain", "-o", "/dev/null", str(pot)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
