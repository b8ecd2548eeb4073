"""An incremental build is never different from a clean one.

A seeded series of random edits (content, catalogues, templates, static files, site.yaml,
deletions, renames, additions) is applied to a copy of the golden project; after each, the site
built on top of the previous one must equal a clean build byte for byte.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from babel.messages.pofile import read_po, write_po

from sitegen.errors import BuildError
from sitegen.extract import extract_project, update_project
from sitegen.pipeline import build_site, load_project
from sitegen.plan import plan_site
from sitegen.pofile import po_path
from sitegen.render.reuse import page_keys
from sitegen.render.view import site_view

from .conftest import GOLDEN_PROJECT, MINIMAL_PROJECT, write_tree

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "themes" / "default" / "templates"
FIXED_OFFERS = ("deutschkurs",)  # linked from a page: renaming or deleting it is an error, not an edit


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def offers(root: Path) -> list[Path]:
    return sorted(p for p in (root / "content/offers").glob("*.md") if p.stem not in FIXED_OFFERS)


def catalogue(rng: random.Random, root: Path) -> Path:
    return rng.choice(sorted((root / "locales").glob("*/LC_MESSAGES/messages.po")))


def edit_body(rng: random.Random, root: Path) -> str:
    path = rng.choice(sorted((root / "content/offers").glob("*.md")))
    path.write_text(path.read_text(encoding="utf-8") + f"\nNeuer Absatz {rng.randrange(1000)}.\n", encoding="utf-8")
    return f"body of {path.name}"


def edit_title(rng: random.Random, root: Path) -> str:
    path = rng.choice(sorted((root / "content/offers").glob("*.md")))
    text = re.sub(
        r"^title: (.*)$",
        lambda m: f"title: {m[1]} {rng.randrange(100)}",
        path.read_text(encoding="utf-8"),
        count=1,
        flags=re.MULTILINE,
    )
    path.write_text(text, encoding="utf-8")
    return f"title of {path.name}"


def edit_contact(rng: random.Random, root: Path) -> str:
    path = rng.choice(sorted((root / "content/contacts").glob("*.yaml")))
    text = path.read_text(encoding="utf-8")
    text = (
        re.sub(r"^role: (.*)$", lambda m: f"role: {m[1]} und mehr", text, count=1, flags=re.MULTILINE)
        if "role:" in text
        else text + "role: Beratung\n"
    )
    path.write_text(text, encoding="utf-8")
    return f"role of {path.name}"


def edit_translation(rng: random.Random, root: Path) -> str:
    path = catalogue(rng, root)
    text = path.read_text(encoding="utf-8")
    strings = [m for m in re.finditer(r'^msgstr "(.+)"$', text, flags=re.MULTILINE)][1:]  # not the header
    found = rng.choice(strings)
    path.write_text(text[: found.end(1)] + f" {rng.randrange(100)}" + text[found.end(1) :], encoding="utf-8")
    return f"a translation in {path.parent.parent.name}"


def make_fuzzy(rng: random.Random, root: Path) -> str:
    path = catalogue(rng, root)
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r'^msgid "(?!")', text, flags=re.MULTILINE)]
    at = rng.choice(starts)
    path.write_text(text[:at] + "#, fuzzy\n" + text[at:], encoding="utf-8")
    return f"a fuzzy message in {path.parent.parent.name}"


def delete_catalogue(rng: random.Random, root: Path) -> str:
    path = catalogue(rng, root)
    path.unlink()
    return f"deleted {path.parent.parent.name}'s catalogue"


def edit_site(rng: random.Random, root: Path) -> str:
    path = root / "content/site.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"^tagline: (.*)$", lambda m: f"tagline: {m[1]} {rng.randrange(100)}", text, count=1, flags=re.MULTILINE),
        encoding="utf-8",
    )
    return "site.yaml's tagline"


def edit_template(rng: random.Random, root: Path) -> str:
    name = rng.choice(["offer.html", "contact.html", "page.html"])
    path = root / "themes/eigen/templates" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEFAULT_TEMPLATES / name, path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("{% block main %}", f"{{% block main %}}<p>Hinweis {rng.randrange(100)}</p>", 1), encoding="utf-8"
    )
    return f"template {name}"


def edit_static(rng: random.Random, root: Path) -> str:
    path = root / "themes/eigen/static/eigen.css"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"p {{ margin: {rng.randrange(10)}px }}\n", encoding="utf-8")
    return "a static file"


def delete_offer(rng: random.Random, root: Path) -> str:
    candidates = offers(root)
    if len(candidates) < 2:
        return add_offer(rng, root)
    path = rng.choice(candidates)
    path.unlink()
    return f"deleted {path.name}"


def rename_offer(rng: random.Random, root: Path) -> str:
    path = rng.choice(offers(root))
    new = path.with_name(f"umbenannt-{rng.randrange(1000)}.md")
    path.rename(new)
    return f"renamed {path.name} to {new.name}"


def add_offer(rng: random.Random, root: Path) -> str:
    source = root / "content/offers/deutschkurs.md"
    new = source.with_name(f"neu-{rng.randrange(1000)}.md")
    new.write_text(
        source.read_text(encoding="utf-8").replace("Deutschkurs für Mütter", f"Kurs {new.stem}"), encoding="utf-8"
    )
    return f"added {new.name}"


EDITS: list[Callable[[random.Random, Path], str]] = [
    edit_body, edit_title, edit_contact, edit_translation, make_fuzzy, edit_site, edit_template,
    edit_static, delete_offer, rename_offer, add_offer, edit_translation, edit_body, delete_catalogue,
]  # fmt: skip


@pytest.mark.parametrize("seed, random_steps", [(11, 0), (12, 4)])
def test_incremental_build_equals_clean_build(tmp_path: Path, seed: int, random_steps: int) -> None:
    """Every kind of edit once in a random order (seed 11), or random edits (seed 12): after each,
    the incremental tree equals a clean build of the same project, byte for byte."""
    rng = random.Random(seed)
    root = tmp_path / "project"
    shutil.copytree(GOLDEN_PROJECT, root)
    site_yaml = root / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "theme: eigen\n", encoding="utf-8")
    (root / "themes/eigen/templates").mkdir(parents=True)
    incremental = tmp_path / "incremental"
    build_site(root, incremental, search=False, jobs=1)
    edits = [rng.choice(EDITS) for _ in range(random_steps)] or rng.sample(EDITS, len(EDITS))
    for step, edit in enumerate(edits):
        what = edit(rng, root)
        os.utime(root / "content/site.yaml")  # what a build sees must not depend on file times
        try:
            build_site(root, incremental, search=False, jobs=1)
        except BuildError as exc:
            pytest.fail(f"step {step} ({what}): {exc.errors}")
        clean = tmp_path / f"clean-{step}"
        build_site(root, clean, search=False, jobs=1, clean=True)
        new, expected = tree(incremental), tree(clean)
        assert sorted(new) == sorted(expected), f"step {step} ({what}): other files"
        changed = [path for path in expected if new[path] != expected[path]]
        assert not changed, f"step {step} ({what}): differs from a clean build in {changed[:5]}"
        shutil.rmtree(clean)


def test_unchanged_pages_are_linked_not_written(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN_PROJECT, root)
    out = tmp_path / "site"
    build_site(root, out, search=False, jobs=1)
    before = {path: (out / path).stat().st_ino for path in tree(out)}
    edit_body(random.Random(1), root)
    build_site(root, out, search=False, jobs=1)
    after = {path: (out / path).stat().st_ino for path in tree(out)}
    rewritten = sorted(path for path in after if before.get(path) != after[path])
    pages = [path for path in rewritten if path.endswith(".html")]
    assert pages and all("/offers/" in path or "/status/" in path for path in pages), (
        pages
    )  # the status page counts the new block
    assert len(rewritten) < len(after) / 4


def translated_everywhere(root: Path) -> Path:
    """``root``'s catalogues made with every message translated, the way translators leave them."""
    extract_project(root)
    update_project(root)
    for lang in ("en", "ar"):
        path = po_path(root, lang)
        with path.open("rb") as file:
            catalog = read_po(file, locale=lang)
        for message in catalog:
            if message.id:
                message.string = f"{lang.upper()} {message.id}"
        with path.open("wb") as file:
            write_po(file, catalog)
    return root


def keys_and_partly(root: Path) -> tuple[dict[str, str], frozenset[tuple[str, str]]]:
    project = load_project(root)
    plan = plan_site(project.content)
    view = site_view(project, plan)
    return page_keys(project, plan, view), view.partly


def test_a_new_untranslated_paragraph_makes_only_its_offers_pages_again(tmp_path: Path) -> None:
    """The editor's everyday edit: a German paragraph no translator has seen yet. Its offer now
    shows German in every other language (and says so in its language switcher); no other page
    changes, so no other page is made again."""
    root = translated_everywhere(write_tree(tmp_path / "proj", MINIMAL_PROJECT))
    before, partly_before = keys_and_partly(root)
    offer = root / "content/offers/deutsch-muetter.md"
    offer.write_text(offer.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    after, partly_after = keys_and_partly(root)
    assert partly_after - partly_before == {("en", "offers/deutsch-muetter/"), ("ar", "offers/deutsch-muetter/")}
    assert sorted(path for path in after if after[path] != before.get(path)) == [
        f"{lang}/offers/deutsch-muetter/index.html" for lang in ("ar", "de", "en")
    ]
