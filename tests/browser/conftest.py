"""Fixtures for the real-browser test suite (SPEC §6, "The built site").

The session builds the repository's own example site once, with its search index (the
``example_site`` fixture of tests/conftest.py, shared with the other tests), serves it on 127.0.0.1 with a
small static server (clean URLs, ``404.html`` for missing files, the SPEC's
Content-Security-Policy as a response header) and drives Debian's Chromium
through Playwright (never Playwright's own browser download).

Tools come from ``python tests/install_tools.py``. When one is missing the tests
that need it skip with the reason, or fail when ``CI=true``.

Environment knobs (for working on the tests):

* ``SITEGEN_TEST_SITE=/path/to/_site`` uses an already built site instead of
  building one (it must have been built from this repository).
* ``SITEGEN_CHROMIUM=/path/to/chromium`` picks another Chromium binary.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BROWSER_DIR = Path(__file__).resolve().parent
NODE_MODULES = BROWSER_DIR / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = ROOT / "artifacts" / "screenshots"

CI = os.environ.get("CI") == "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# SPEC §6: the policy every page must work under. The test server sends it as a
# header; data: images are allowed (they make no request, and the theme's own
# meta policy allows them too).
CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:"

NATIVE_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "ru": "Русский",
    "fr": "Français",
}

# Filter kinds of /<lang>/offers/<kind>/<key>/ (SPEC §6).
FILTER_KINDS = ("category", "audience", "language", "city")
# Names that may sit under /<lang>/offers/ without being an offer.
NOT_OFFER_DIRS = set(FILTER_KINDS) | {"page", "seite"}
# Names that may sit under /<lang>/ without being a page.
NOT_PAGE_DIRS = {"offers", "contacts", "search", "status", "events", "organisations"}

# Page types every browser test visits, in the order they are reported.
PAGE_TYPES = ["home", "offers", "offer", "contact", "page", "category", "search", "status", "404"]
# Path used to see the 404 page the way a static host serves it.
MISSING_PATH = "diese-seite-gibt-es-nicht/"


def need(reason: str) -> None:
    """Skip the test for a missing tool, or fail when running in CI."""
    if CI:
        pytest.fail(f"{reason} (CI=true: missing test tools are an error; "
                    f"run python tests/install_tools.py)", pytrace=False)
    pytest.skip(f"{reason} (run python tests/install_tools.py)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: real-browser and built-site tests (tests/browser/); "
        "run by default, deselect with -m 'not browser'")
    config.addinivalue_line(
        "markers", "langs(*codes): run a test taking `lang` only for these languages")
    config.addinivalue_line(
        "markers", "page_types(*types): run a test taking `ptype` only for these page types")
    config.addinivalue_line(
        "markers", "lang_page_pairs(*pairs): run a test taking `lang` and `ptype` for these (lang, ptype) pairs only")


def pytest_generate_tests(metafunc):
    """Parametrize `lang` over the site's languages and `ptype` over page types."""
    pairs = metafunc.definition.get_closest_marker("lang_page_pairs")
    if pairs and {"lang", "ptype"} <= set(metafunc.fixturenames):
        metafunc.parametrize("lang, ptype", list(pairs.args), ids=[f"{l}-{p}" for l, p in pairs.args])
        return
    if "lang" in metafunc.fixturenames:
        m = metafunc.definition.get_closest_marker("langs")
        langs = [l for l in LANGS if not m or l in m.args]
        metafunc.parametrize("lang", langs)
    if "ptype" in metafunc.fixturenames:
        m = metafunc.definition.get_closest_marker("page_types")
        metafunc.parametrize("ptype", list(m.args) if m else PAGE_TYPES)


# --------------------------------------------------------------------------- site.yaml


def _load_yaml(text: str):
    try:
        import yaml
    except ImportError:  # pragma: no cover - sitegen itself needs PyYAML
        return None
    try:
        return yaml.load(text, Loader=yaml.BaseLoader)  # every scalar as text
    except yaml.YAMLError:
        return None


def _site_settings() -> dict:
    path = ROOT / "content" / "site.yaml"
    try:
        data = _load_yaml(path.read_text(encoding="utf-8"))
    except OSError:
        data = None
    return data if isinstance(data, dict) else {}


SETTINGS = _site_settings()
LANGS: list[str] = list(SETTINGS.get("languages") or NATIVE_NAMES)
SOURCE_LANG: str = SETTINGS.get("source_language") or "de"
BASE_URL: str = SETTINGS.get("base_url") or "https://integration.example.org/"
if not BASE_URL.endswith("/"):
    BASE_URL += "/"


def front_matter(path: Path) -> dict:
    """The YAML front matter of a content Markdown file (all scalars as text)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    m = re.match(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$", text, re.S | re.M)
    data = _load_yaml(m.group(1)) if m else None
    return data if isinstance(data, dict) else {}


# --------------------------------------------------------------------------- the built site


@dataclass
class Site:
    dir: Path
    base_path: str  # URL path the site lives under, "/" or "/sub/"
    langs: list[str]
    origin: str = ""  # http://127.0.0.1:PORT once served
    pages: dict = field(default_factory=dict)  # (lang, type) -> path below base_path
    offers: dict = field(default_factory=dict)  # lang -> sorted offer ids built
    contacts: dict = field(default_factory=dict)
    page_ids: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)  # lang -> category keys built
    offer_category: dict = field(default_factory=dict)  # offer id -> category key (content)
    chosen: dict = field(default_factory=dict)  # type -> chosen id/key

    def url(self, path: str = "") -> str:
        """Absolute http URL of a site path given relative to the site root."""
        return self.origin + self.base_path + path.lstrip("/")

    def rel(self, url: str) -> str | None:
        """The site-relative path of an http URL on the test server, else None."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        if not parts.path.startswith(self.base_path):
            return None
        return unquote(parts.path[len(self.base_path):])

    def page_path(self, lang: str, ptype: str) -> str:
        path = self.pages.get((lang, ptype))
        if path is None:
            # one failure for it in test_every_page_type_is_built, not one per test
            pytest.skip(f"the built site has no {ptype!r} page in {lang!r}: "
                        f"reported by test_every_page_type_is_built")
        return path

    def missing_pages(self) -> list[str]:
        where = {"home": "{l}/", "offers": "{l}/offers/", "offer": "{l}/offers/<id>/",
                 "contact": "{l}/contacts/<id>/", "page": "{l}/<page-id>/",
                 "category": "{l}/offers/category/<key>/", "search": "{l}/search/",
                 "status": "{l}/status/", "404": "404.html"}
        return [f"no {t} page /{where[t].format(l=l)}" for l in self.langs for t in PAGE_TYPES
                if self.pages.get((l, t)) is None]

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(self.chosen.items()))


def _subdirs_with_index(path: Path) -> list[str]:
    if not path.is_dir():
        return []
    return sorted(d.name for d in path.iterdir() if (d / "index.html").is_file())


def _largest(ids, lang_dir_of) -> str | None:
    """The id whose page is largest in the source language (the richest example)."""
    best = None
    for i in ids:
        try:
            size = (lang_dir_of(i) / "index.html").stat().st_size
        except OSError:
            continue
        if best is None or size > best[0]:
            best = (size, i)
    return best[1] if best else None


def discover(site: Site) -> None:
    """Find one page of each type in each language, from the built folder."""
    content = ROOT / "content"
    src_offers = {p.stem: p for p in (content / "offers").glob("*.md")}
    src_contacts = {p.stem for p in (content / "contacts").glob("*.yaml")}
    src_pages = {p.stem for p in (content / "pages").glob("*.md")}
    site.offer_category = {i: str(front_matter(p).get("category", "")) for i, p in src_offers.items()}

    for lang in site.langs:
        ld = site.dir / lang
        offers = [d for d in _subdirs_with_index(ld / "offers")
                  if d not in NOT_OFFER_DIRS and not d.isdigit()]
        if src_offers and set(offers) & set(src_offers):
            offers = [d for d in offers if d in src_offers]
        site.offers[lang] = offers
        contacts = _subdirs_with_index(ld / "contacts")
        if src_contacts and set(contacts) & src_contacts:
            contacts = [d for d in contacts if d in src_contacts]
        site.contacts[lang] = contacts
        pages = [d for d in _subdirs_with_index(ld) if d not in NOT_PAGE_DIRS]
        if src_pages and set(pages) & src_pages:
            pages = [d for d in pages if d in src_pages]
        site.page_ids[lang] = pages
        site.categories[lang] = _subdirs_with_index(ld / "offers" / "category")

    src = SOURCE_LANG if SOURCE_LANG in site.langs else site.langs[0]
    src_dir = site.dir / src
    offer = _largest(site.offers[src], lambda i: src_dir / "offers" / i)
    contact = _largest(site.contacts[src], lambda i: src_dir / "contacts" / i)
    page = _largest(site.page_ids[src], lambda i: src_dir / i)
    # the category with the most offers gives the filter page the most to show
    cats = site.categories[src]
    category = max(cats, key=lambda k: (sum(1 for o in site.offers[src]
                                            if site.offer_category.get(o) == k), k),
                   default=None)
    site.chosen = {"offer": offer, "contact": contact, "page": page, "category": category}

    for lang in site.langs:
        ld = site.dir / lang

        def have(rel: str, lang=lang, ld=ld) -> str | None:
            return f"{lang}/{rel}/" if (ld / rel / "index.html").is_file() else None

        site.pages[(lang, "home")] = f"{lang}/" if (ld / "index.html").is_file() else None
        site.pages[(lang, "offers")] = have("offers")
        site.pages[(lang, "offer")] = offer and have(f"offers/{offer}")
        site.pages[(lang, "contact")] = contact and have(f"contacts/{contact}")
        site.pages[(lang, "page")] = page and have(page)
        site.pages[(lang, "category")] = category and have(f"offers/category/{category}")
        site.pages[(lang, "search")] = have("search")
        site.pages[(lang, "status")] = have("status")
        # served by the test server's 404 fallback, as a static host would
        if (site.dir / "404.html").is_file() or (ld / "404.html").is_file():
            site.pages[(lang, "404")] = f"{lang}/{MISSING_PATH}"
        else:
            site.pages[(lang, "404")] = None


@pytest.fixture(scope="session")
def built_site(request) -> Site:
    """The repository's example site, built once per session (or SITEGEN_TEST_SITE)."""
    prebuilt = os.environ.get("SITEGEN_TEST_SITE")
    if prebuilt:
        out = Path(prebuilt).resolve()
        if not (out / "sitemap.xml").is_file() and not (out / "404.html").is_file():
            pytest.fail(f"SITEGEN_TEST_SITE={prebuilt} does not look like a built site",
                        pytrace=False)
    else:
        out = request.getfixturevalue("example_site").out
    base_path = urlsplit(BASE_URL).path or "/"
    site = Site(dir=out.resolve(), base_path=base_path, langs=LANGS)
    discover(site)
    return site


# --------------------------------------------------------------------------- HTTP server


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static host: clean URLs, 404.html fallback, the SPEC's CSP header."""

    base_path = "/"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".ics": "text/calendar",
        ".vcf": "text/vcard",
        ".webmanifest": "application/manifest+json",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def translate_path(self, path):
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.base_path):
            return os.path.join(self.directory, "\0not-found")
        return super().translate_path("/" + path[len(self.base_path):])

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        if code == 404 and self.command in ("GET", "HEAD"):
            page = self._not_found_page()
            if page is not None:
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command == "GET":
                    self.wfile.write(body)
                return
        super().send_error(code, message, explain)

    def _not_found_page(self) -> Path | None:
        root = Path(self.directory)
        rest = self.path[len(self.base_path):] if self.path.startswith(self.base_path) else ""
        lang = rest.split("/", 1)[0]
        for cand in ((root / lang / "404.html") if lang else None, root / "404.html"):
            if cand is not None and cand.is_file():
                return cand
        return None

    def log_message(self, format, *args):  # keep pytest output readable
        pass


@pytest.fixture(scope="session")
def site(built_site: Site):
    """The built site, served on 127.0.0.1 on a free port."""
    handler = type("Handler", (_Handler,), {"base_path": built_site.base_path})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(built_site.dir)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    built_site.origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield built_site
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- tools


def find_chromium() -> str | None:
    env = os.environ.get("SITEGEN_CHROMIUM")
    if env and os.access(env, os.X_OK):
        return env
    for cand in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        path = shutil.which(cand)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def vnu_jar() -> list[str]:
    """The command prefix that runs the Nu HTML Checker."""
    java = shutil.which("java")
    if not java:
        need("no Java runtime on PATH (Debian package default-jre-headless)")
    if not VNU_JAR.is_file():
        need(f"{VNU_JAR.relative_to(ROOT)} is missing (npm package vnu-jar)")
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def axe_path() -> Path:
    if not AXE_JS.is_file():
        need(f"{AXE_JS.relative_to(ROOT)} is missing (npm package axe-core)")
    return AXE_JS


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("the Python package playwright is not installed (pip install -e '.[test]')")
    exe = find_chromium()
    if not exe:
        need("Chromium is not installed (Debian package chromium, /usr/bin/chromium)")
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
    except Exception as e:  # noqa: BLE001 - report why the browser did not start
        pw.stop()
        need(f"Chromium at {exe} did not start: {e}")
    try:
        yield b
    finally:
        b.close()
        pw.stop()


# --------------------------------------------------------------------------- contexts


@dataclass
class Ctx:
    """A browser context with what its pages did recorded."""

    context: object
    site: Site
    external: list = field(default_factory=list)  # URLs of requests off 127.0.0.1
    failed: list = field(default_factory=list)  # (status, url) of local requests that failed
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)

    def page(self):
        return self.context.new_page()

    def goto(self, page, path: str, **kw):
        return page.goto(self.site.url(path), **kw)

    def reset(self):
        self.external.clear()
        self.failed.clear()
        self.console_errors.clear()
        self.page_errors.clear()


_LOCAL_HOSTS = {"127.0.0.1"}
_NON_NETWORK_SCHEMES = {"data", "blob", "about", "chrome-error", "chrome"}


@pytest.fixture
def new_context(browser, site):
    """Factory: new_context(**playwright_context_options) -> Ctx.

    Every request of every page in the context is recorded; requests to any
    host but 127.0.0.1 are collected in ``ctx.external``.
    """
    made: list[Ctx] = []

    def make(**options) -> Ctx:
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        ctx = Ctx(context=context, site=site)

        def on_request(req):
            parts = urlsplit(req.url)
            if parts.scheme in _NON_NETWORK_SCHEMES:
                return
            if parts.hostname not in _LOCAL_HOSTS:
                ctx.external.append(f"{req.resource_type}: {req.url}")

        def on_response(resp):
            if resp.status >= 400:
                ctx.failed.append((resp.status, resp.request.resource_type, resp.url))

        def on_console(msg):
            if msg.type == "error":
                ctx.console_errors.append(msg.text)

        def on_weberror(err):
            ctx.page_errors.append(str(err.error))

        context.on("request", on_request)
        context.on("response", on_response)
        context.on("console", on_console)
        context.on("weberror", on_weberror)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        try:
            ctx.context.close()
        except Exception:  # noqa: BLE001 - browser may be gone already
            pass


# --------------------------------------------------------------------------- helpers for tests


def format_axe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v.get('id')}: {v.get('help')} ({v.get('helpUrl')})")
        for node in v.get("nodes", [])[:10]:
            target = " ".join(str(t) for t in node.get("target", []))
            html = re.sub(r"\s+", " ", node.get("html", ""))[:200]
            lines.append(f"    at {target}: {html}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
            if summary:
                lines.append(f"        {summary}")
        if len(v.get("nodes", [])) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more elements")
    return "\n".join(lines)


def language_switcher(page, lang: str):
    """The language switcher of a page: a locator of its links, plus how it was found.

    Preferred: a navigation landmark whose accessible name is the translated
    "Language" (e.g. "Sprache"), holding links with ``hreflang``. Falls back to
    any ``nav`` that holds ``a[hreflang]`` links, then to ``a[hreflang]`` anywhere
    in the body.
    """
    names = {
        "de": r"sprach", "en": r"language", "ar": r"لغ", "tr": r"dil",
        "ru": r"язык", "fr": r"langue",
    }
    name_re = re.compile(names.get(lang, r"language") + "|language|sprach", re.I)
    nav = page.get_by_role("navigation", name=name_re)
    for i in range(nav.count()):
        links = nav.nth(i).locator("a[hreflang]")
        if links.count():
            return links, f"navigation landmark {nav.nth(i).get_attribute('aria-label')!r}"
    for i in range(nav.count()):
        links = nav.nth(i).locator("a[href]")
        if links.count():
            return links, "navigation landmark named like 'Language' (links without hreflang)"
    navs = page.locator("nav:has(a[hreflang])")
    if navs.count():
        return navs.first.locator("a[hreflang]"), "a <nav> with a[hreflang] links (no matching aria-label)"
    return page.locator("body a[hreflang]"), "a[hreflang] links anywhere in <body>"


def resolve_href(page_url: str, href: str) -> str:
    return urljoin(page_url, href)


def json_dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


@pytest.fixture(scope="session")
def h():
    """Helpers and constants for the test modules (conftest is not importable)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        ROOT=ROOT, CI=CI, CSP=CSP, NATIVE_NAMES=NATIVE_NAMES, PAGE_TYPES=PAGE_TYPES,
        FILTER_KINDS=FILTER_KINDS, SCREENSHOT_DIR=SCREENSHOT_DIR, BASE_URL=BASE_URL,
        SOURCE_LANG=SOURCE_LANG, MISSING_PATH=MISSING_PATH,
        format_axe=format_axe, language_switcher=language_switcher,
        resolve_href=resolve_href, json_dump=json_dump, need=need,
        NODE_MODULES=NODE_MODULES, find_chromium=find_chromium, Handler=_Handler,
    )
