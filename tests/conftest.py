"""Shared fixtures: small project trees written inline, a frozen build date, sites built once."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

FROZEN_EPOCH = "1793491200"  # 2026-11-01: expiry and POT dates don't depend on the day the tests run
REPOSITORY = Path(__file__).resolve().parent.parent  # its own example site is a project
GOLDEN_PROJECT = REPOSITORY / "tests" / "golden" / "project"

SITE_YAML = """\
title: Integrationsagentur Test
tagline: Angebote für Zugewanderte
base_url: https://example.org/site/
source_language: de
country: DE
languages: [de, en, ar]
timezone: Europe/Berlin
publisher: {name: Testverein e.V., street: Hauptstraße 1, postal_code: "46325", city: Borken, phone: "02861 939414", email: info@example.org}
categories:
  sprache: Sprachkurse
  beratung: Beratung
audiences:
  familien: Familien
  frauen: Frauen
"""

OFFER = """\
---
title: Deutschkurs für Mütter
summary: Ein Deutschkurs mit Kinderbetreuung.
category: sprache
audiences: [frauen, familien]
languages_spoken: [de, ar]
contacts: [anna]
address: {street: Hauptstraße 1, postal_code: "46325", city: Borken}
hours:
  - {days: [mo, we], from: "09:00", to: "11:30"}
cost: free
updated: 2026-10-01
---
Wir lernen gemeinsam Deutsch.

- Einkaufen
- Arzt
"""

CONTACT = """\
name: Anna Beispiel
role: Beraterin
organisation: Testverein e.V.
phone: 02861 939414
email: anna@example.org
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` below root (dedented) and return root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    return root


MINIMAL_PROJECT = {
    "content/site.yaml": SITE_YAML,
    "content/offers/deutsch-muetter.md": OFFER,
    "content/contacts/anna.yaml": CONTACT,
    "content/pages/ueber-uns.md": "---\ntitle: Über uns\n---\nWir sind ein Verein.\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal valid project: one offer, one contact, one page, no catalogues."""
    return write_tree(tmp_path / "proj", MINIMAL_PROJECT)


@pytest.fixture(autouse=True)
def _frozen_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FROZEN_EPOCH)


@pytest.fixture(autouse=True, scope="session")
def _no_cache_in_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Module-scoped fixtures build before _own_cache_folder runs: not into ~/.cache either.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache-session")))
        yield


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Checked catalogues are cached in $XDG_CACHE_HOME/sitegen: each test starts with an empty
    # cache of its own, and none writes into the developer's ~/.cache.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


# --- sites built once per session: tests read them and never write into them -----------------
@dataclass(frozen=True)
class BuiltSite:
    root: Path  # the project
    out: Path  # its site
    warnings: tuple[str, ...]  # of the build, as printed


def build_once(root: Path, out: Path, search: bool) -> BuiltSite:
    """Build ``root`` into ``out`` on the frozen build date, whatever the test around it sets."""
    from sitegen.pipeline import build_site

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", FROZEN_EPOCH)
        result = build_site(root, out, search=search)
    return BuiltSite(root, out, tuple(str(w) for w in result.warnings))


@pytest.fixture(scope="session")
def golden_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/golden/project built without the search index (see test_golden.py)."""
    return build_once(GOLDEN_PROJECT, tmp_path_factory.mktemp("golden") / "_site", search=False).out


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The ``project`` fixture's project, built once without the search index."""
    root = write_tree(tmp_path_factory.mktemp("minimal") / "proj", MINIMAL_PROJECT)
    return build_once(root, root / "_site", search=False)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The repository's own example site, built once with its search index: the browser tests search it."""
    return build_once(REPOSITORY, tmp_path_factory.mktemp("example") / "_site", search=True)
