"""What each page of the site is made from, as one hash: a page whose hash is unchanged since
the last build is the same file, and is taken from the previous site instead of rendered again.

A page's hash covers everything that can change its bytes, erring on the side of too much:

- the whole site: sitegen's code and the versions of the libraries it renders with, every file
  of the theme (templates, static files, interface catalogues), the build date, ``site.yaml``,
  ``content/media/``, every published entry's fields except its Markdown body (a page shows
  other entries' titles, addresses, contacts, labels, never their bodies);
- its language: the published text (translation or German) of every message that is not part
  of a body, in that language — so a translator's edit of a title renders that language's pages
  again, an edit of a body block only the page of that body;
- the page itself: its route and template, its own entry's file, the published text of each
  of its own messages, body blocks included, and in which languages it shows some German (its
  switcher marks them; a template learns this only of the page it renders, see
  ``PageContext.partly_translated``, so an editor's new German paragraph, untranslated
  everywhere, makes that offer's pages again and not the whole site).

The status page counts fuzzy and rejected translations, which no published text shows: it is
always rendered. So are the files that are not pages (downloads, sitemap, static files): they
are cheap, and written only when their bytes changed (see sitegen.render.stage).
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

from ..fingerprint import fingerprint
from ..languages import Language
from ..media import media_files
from ..model import Body, Content
from ..plan import SitePlan
from ..project import Project
from ..symlinks import regular_files
from .view import SiteView

# What renders a page besides sitegen's own code: a new version of any of them may change it.
RENDERING_LIBRARIES = ("babel", "jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "linkify-it-py", "nh3")
NEVER_REUSED = frozenset({"status"})  # page kinds that show more than published texts
KEY_FORMAT = 3


def page_keys(project: Project, plan: SitePlan, view: SiteView, code: str | None = None) -> dict[str, str]:
    """The hash of each page that may be reused, by its output path (see the module's text).

    ``code`` is the code_fingerprint() of the code that renders, when the caller knows it: a
    running `sitegen serve` renders with the code it started with, whatever is on disk now.
    """
    content = project.content
    site_key = _hash(
        f"format {KEY_FORMAT}", code or code_fingerprint(), _files_hash(_theme_files(project)), project.today,
        _files_hash(sorted(media_files(content.site.root / "content").values())),
        _content_fields(content),
    )  # fmt: skip
    partly: dict[str, list[str]] = {}
    for lang, route in sorted(view.partly):
        partly.setdefault(route, []).append(lang)
    shared_messages = [msg for entry in [content.site, *content.entries()] for msg in _messages_outside_bodies(entry)]
    language_keys = {
        lang: _hash(
            site_key, lang, [_published(language, msg) for msg in shared_messages], _own_strings(project, language)
        )
        for lang, language in view.languages.items()
    }
    file_hashes: dict[Path, str] = {}
    keys = {}
    for page in plan.pages:
        if page.kind in NEVER_REUSED:
            continue
        own = []
        if page.entry is not None:
            path = page.entry.path
            if path not in file_hashes:
                file_hashes[path] = _files_hash([path])
            language = view.languages[page.lang]
            own = [file_hashes[path], [_published(language, msg) for msg in page.entry.messages()]]
        keys[page.output] = _hash(
            language_keys[page.lang], page.route, page.template, page.kind, page.noindex, own, partly.get(page.route)
        )  # fmt: skip
    return keys


def code_fingerprint() -> str:
    """sitegen's code (every module, the render package's too) and the libraries it renders with."""
    package = Path(__file__).resolve().parent.parent
    return fingerprint(f"python {sys.version}", RENDERING_LIBRARIES, package.rglob("*.py"), package)


def _theme_files(project: Project) -> list[Path]:
    theme = project.theme
    folders = {d.parent for d in theme.template_dirs} | {d.parent for d in theme.static_dirs}
    return sorted(path for folder in folders if folder.is_dir() for path in regular_files(folder))


def _files_hash(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def _content_fields(content: Content) -> list[str]:
    """Every field of the content, entries without their bodies (a body shows only on its own page)."""
    found = []
    for field in dataclasses.fields(content):
        value = getattr(content, field.name)
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            found += [f"{field.name}: {_without_bodies(entry)}" for entry in value]
        else:
            found.append(f"{field.name}: {value!r}")
    return found


def _without_bodies(entry: object) -> str:
    fields = dataclasses.fields(entry)  # type: ignore[arg-type]
    values = [(f.name, getattr(entry, f.name)) for f in fields]
    return repr([(name, value) for name, value in values if not isinstance(value, Body)])


def _messages_outside_bodies(entry: object) -> list[object]:
    bodies = {
        id(msg)
        for f in dataclasses.fields(entry)
        if isinstance(b := getattr(entry, f.name), Body)
        for msg in b.segments
    }  # type: ignore[arg-type]
    return [msg for msg in entry.messages() if id(msg) not in bodies]  # type: ignore[attr-defined]


def _published(language: Language, msg: object) -> str | None:
    """What decides the published text besides the German one (which the keys hold already): the
    translation used, or None for German (Language.publish makes the text of these two)."""
    text = msg.text  # type: ignore[attr-defined]
    return language.translate(text) if text else ""


def _own_strings(project: Project, language: Language) -> object:
    """A project theme's own interface strings come from the content catalogue (sitegen.pipeline)."""
    catalog = language.catalog
    if not project.theme.extracts_own_strings or catalog is None:
        return None
    # A digest of every translation, fed piece by piece: repr() of the whole catalogue (megabytes)
    # cost three times as much, on every build.
    digest = hashlib.sha256()
    for msgid, text in sorted(catalog.translated.items()):
        digest.update(b"%d:%d:" % (len(msgid), len(text)))
        digest.update(f"{msgid}{text}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest(), sorted((k, repr(v)) for k, v in catalog.plural.items())


def _hash(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


