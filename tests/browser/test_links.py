"""Every internal link of every built page resolves to a file of the site.

Crawled straight from disk: each HTML file is parsed, each URL it references is
resolved against the URL the file is served at (its ``<base href>`` honoured),
and internal URLs (relative, root-relative, or absolute under ``base_url``) must
name a file of the built site (a directory URL means its ``index.html``).
``#fragment`` targets must exist in the target page. Links to other sites are
fine for ``<a>``, but nothing the browser loads by itself (scripts, styles,
images, fonts, frames, media) may come from another host (SPEC §6, GDPR).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

# Attributes that hold one URL, by tag.
URL_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",),
    "img": ("src",), "source": ("src",), "iframe": ("src",), "frame": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
    "embed": ("src",), "object": ("data",), "form": ("action",),
    "input": ("src",), "use": ("href", "xlink:href"), "image": ("href", "xlink:href"),
}
SRCSET_TAGS = {"img", "source"}
# <link rel=...> values whose target the browser does not load by itself
NAVIGATION_RELS = {"alternate", "canonical", "author", "help", "license", "next", "prev",
                   "previous", "search", "bookmark", "external", "nofollow", "noopener",
                   "noreferrer", "tag", "me", "privacy-policy", "terms-of-service"}
IGNORED_SCHEMES = {"mailto", "tel", "sms", "geo", "callto"}
SITE_ORIGIN = "https://site.invalid"  # stands for the site's own origin


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[int, str, str, str, str]] = []  # line, tag, attr, value, rel
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs)

    def _tag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        line = self.getpos()[0]
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "base" and "href" in a and self.base is None:
            self.base = a["href"]
            return
        rel = a.get("rel", "").lower()
        for attr in URL_ATTRS.get(tag, ()):
            if attr in a:
                self.refs.append((line, tag, attr, a[attr].strip(), rel))
        if tag in SRCSET_TAGS and "srcset" in a:
            for candidate in a["srcset"].split(","):
                url = candidate.strip().split(" ")[0]
                if url:
                    self.refs.append((line, tag, "srcset", url, rel))
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            m = re.search(r"url\s*=\s*['\"]?([^'\"]+)", a.get("content", ""), re.I)
            if m:
                self.refs.append((line, "meta", "refresh", m.group(1).strip(), ""))


def parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8", errors="replace"))
    c.close()
    return c


def loads_by_itself(tag: str, attr: str, rel: str) -> bool:
    """Is this a reference the browser fetches without the reader clicking?"""
    if tag in ("a", "area", "form"):
        return False
    if tag == "link":
        rels = set(rel.split())
        return not rels or not rels <= NAVIGATION_RELS
    return True


class SiteIndex:
    def __init__(self, site_dir: Path, base_url: str):
        self.dir = site_dir
        b = urlsplit(base_url)
        self.base_origin = f"{b.scheme}://{b.netloc}".lower()
        self.base_path = b.path if b.path.endswith("/") else b.path + "/"
        self._ids: dict[Path, set[str]] = {}

    def served_url(self, file: Path) -> str:
        rel = file.relative_to(self.dir).as_posix()
        if rel == "index.html":
            rel = ""
        elif rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        return SITE_ORIGIN + self.base_path + rel

    def ids(self, file: Path) -> set[str]:
        if file not in self._ids:
            self._ids[file] = parse(file).ids
        return self._ids[file]

    def check(self, url: str) -> tuple[str, Path | None, str | None]:
        """Classify a resolved URL: ('internal', file or None, problem), or ('external'|'skip', None, None)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in IGNORED_SCHEMES:
            return "skip", None, None
        if scheme == "data":
            return "skip", None, None  # no request; CSP decides (test_every_page_declares_the_csp)
        if scheme in ("javascript", "blob", "file"):
            return "internal", None, f"{scheme}: URL (not allowed under the site's CSP / not portable)"
        origin = f"{scheme}://{parts.netloc}".lower()
        if origin == SITE_ORIGIN:
            path = parts.path
        elif origin == self.base_origin and parts.path.startswith(self.base_path):
            path = parts.path  # absolute URL into the site itself (canonical, alternates)
        elif scheme in ("http", "https"):
            if origin == self.base_origin:
                return "internal", None, f"outside the site's base path {self.base_path}"
            return "external", None, None
        else:
            return "internal", None, f"unexpected URL scheme {scheme!r}"
        if not path.startswith(self.base_path):
            return "internal", None, (f"points outside the site's base path {self.base_path} "
                                      f"(breaks when base_url has a path)")
        rel = unquote(path[len(self.base_path):])
        target = self.dir / rel
        if rel == "" or rel.endswith("/"):
            target = target / "index.html"
        try:
            target.resolve().relative_to(self.dir)
        except ValueError:
            return "internal", None, "points outside the built site"
        if target.is_dir() and (target / "index.html").is_file():
            target = target / "index.html"
        if not target.is_file():
            return "internal", None, "no such file in the built site"
        return "internal", target, None


def _check_site(site_dir: Path, base_url: str) -> tuple[list[str], int]:
    index = SiteIndex(site_dir, base_url)
    problems: list[str] = []
    checked = 0
    html_files = sorted(site_dir.rglob("*.html"))
    for file in html_files:
        rel_file = file.relative_to(site_dir).as_posix()
        doc = parse(file)
        page_urls = [index.served_url(file)]
        if rel_file == "404.html" or rel_file.endswith("/404.html"):
            # a static host serves the 404 page at any missing URL
            page_urls.append(SITE_ORIGIN + index.base_path + "de/gibt/es/nicht/")
        for page_url in page_urls:
            base = urljoin(page_url, doc.base) if doc.base else page_url
            served_as = "" if page_url == page_urls[0] else f" (served at {urlsplit(page_url).path})"
            for line, tag, attr, value, rel in doc.refs:
                if value == "" and tag == "form":
                    continue  # empty action submits to the page itself
                where = f"{rel_file}:{line}: <{tag} {attr}={value!r}>{served_as}"
                if value == "":
                    problems.append(f"{where}: empty URL")
                    continue
                url = urljoin(base, value)
                if value.startswith("#") and not doc.base:
                    # same-document fragment: the file itself, wherever it is served
                    kind, target, problem = "internal", file, None
                else:
                    kind, target, problem = index.check(url)
                checked += 1
                if kind == "skip":
                    continue
                if kind == "external":
                    if loads_by_itself(tag, attr, rel):
                        problems.append(f"{where}: loads a resource from another host "
                                        f"(SPEC §6: no request leaves the site)")
                    continue
                if problem:
                    problems.append(f"{where}: {problem}")
                    continue
                frag = unquote(urlsplit(url).fragment)
                if (frag and target is not None and target.suffix == ".html"
                        and frag.lower() != "top" and not frag.startswith(":~:")
                        and frag not in index.ids(target)):
                    problems.append(f"{where}: no element with id {frag!r} in "
                                    f"{target.relative_to(site_dir).as_posix()}")
    return problems, checked


def _sitemap_problems(site_dir: Path, base_url: str) -> tuple[list[str], int]:
    index = SiteIndex(site_dir, base_url)
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return ["sitemap.xml is missing (SPEC §6)"], 0
    try:
        tree = ET.parse(sitemap)
    except ET.ParseError as e:
        return [f"sitemap.xml is not well-formed XML: {e}"], 0
    problems, n = [], 0
    for el in tree.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        url = None
        if tag == "loc":
            url = (el.text or "").strip()
        elif tag == "link" and el.get("href"):
            url = el.get("href").strip()
        if url is None:
            continue
        n += 1
        kind, target, problem = index.check(url)
        if kind != "internal" or problem:
            problems.append(f"sitemap.xml: <{tag}> {url}: "
                            f"{problem or 'not a URL of this site (base_url ' + base_url + ')'}")
    if n == 0:
        problems.append("sitemap.xml lists no URLs")
    return problems, n


def test_every_internal_link_resolves(built_site, h):
    problems, checked = _check_site(built_site.dir, h.BASE_URL)
    print(f"checked {checked} URL references in the built site")
    assert checked, "found no links at all in the built site"
    assert not problems, (
        f"{len(problems)} broken or off-site reference(s):\n" + "\n".join(problems[:300])
        + (f"\n... and {len(problems) - 300} more" if len(problems) > 300 else ""))


def test_sitemap_and_robots(built_site, h):
    problems, n = _sitemap_problems(built_site.dir, h.BASE_URL)
    if not (built_site.dir / "robots.txt").is_file():
        problems.append("robots.txt is missing (SPEC §6)")
    print(f"checked {n} sitemap URLs")
    assert not problems, "\n".join(problems[:300])


SUB_BASE_URL = "https://example.github.io/wegweiser/"


@pytest.fixture(scope="module")
def site_with_base_path(built_site, tmp_path_factory, h):
    """The example site built again with a base_url that has a path (SPEC §6)."""
    import os
    import shutil
    import subprocess
    import sys

    if os.environ.get("SITEGEN_TEST_SITE"):
        pytest.skip("SITEGEN_TEST_SITE is set: not building")
    project = tmp_path_factory.mktemp("subpath") / "project"
    project.mkdir()
    for name in ("content", "locales", "themes"):
        if (h.ROOT / name).is_dir():
            shutil.copytree(h.ROOT / name, project / name)
    site_yaml = project / "content" / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    new, n = re.subn(r"(?m)^base_url:.*$", f"base_url: {SUB_BASE_URL}", text)
    assert n == 1, "content/site.yaml has no base_url line"
    site_yaml.write_text(new, encoding="utf-8")
    out = project / "_out"
    # The links of pages and files are checked here, not the search index: built without it.
    cmd = [sys.executable, "-m", "sitegen", "build", str(project), "-o", str(out), "--no-search"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, (f"{' '.join(cmd)} with base_url {SUB_BASE_URL} exited "
                               f"{r.returncode}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return out


def test_links_work_when_base_url_has_a_path(site_with_base_path):
    problems, checked = _check_site(site_with_base_path, SUB_BASE_URL)
    sm_problems, _ = _sitemap_problems(site_with_base_path, SUB_BASE_URL)
    problems += sm_problems
    assert checked
    assert not problems, (
        f"with base_url {SUB_BASE_URL}: {len(problems)} broken reference(s):\n"
        + "\n".join(problems[:300])
        + (f"\n... and {len(problems) - 300} more" if len(problems) > 300 else ""))


class _CspScan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.csp: list[str] = []
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        line = self.getpos()[0]
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp.append(a.get("content", ""))
        if tag == "script" and "src" not in a:
            kind = a.get("type", "").lower()
            if kind not in ("application/ld+json", "application/json", "importmap"):
                self.problems.append(f"{line}: inline <script> (blocked by script-src 'self')")
        if tag == "style":
            self.problems.append(f"{line}: <style> element (inline styles are blocked by the CSP)")
        if "style" in a:
            self.problems.append(f"{line}: style attribute on <{tag}> (blocked by the CSP)")
        for k in a:
            if k.startswith("on"):
                self.problems.append(f"{line}: inline event handler {k}= on <{tag}>")
                break

    handle_startendtag = handle_starttag


def _directives(policy: str) -> dict[str, set[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out.setdefault(words[0].lower(), set(w.lower() for w in words[1:]))
    return out


def test_every_page_declares_the_csp_and_needs_nothing_inline(built_site):
    """SPEC §6: Content-Security-Policy default-src 'self'; script-src 'self'
    'wasm-unsafe-eval'; no inline scripts or styles. Checked on every HTML file
    (static hosts such as GitHub Pages cannot send headers, so the page carries it)."""
    problems = []
    files = sorted(built_site.dir.rglob("*.html"))
    for file in files:
        rel = file.relative_to(built_site.dir).as_posix()
        scan = _CspScan()
        scan.feed(file.read_text(encoding="utf-8", errors="replace"))
        problems += [f"{rel}:{p}" for p in scan.problems]
        if not scan.csp:
            problems.append(f"{rel}: no <meta http-equiv=\"Content-Security-Policy\">")
            continue
        d = _directives(scan.csp[0])
        if d.get("default-src") != {"'self'"}:
            problems.append(f"{rel}: default-src is {sorted(d.get('default-src', []))}, "
                            f"expected 'self'")
        script = d.get("script-src", d.get("default-src", set()))
        extra = script - {"'self'", "'wasm-unsafe-eval'"}
        if extra:
            problems.append(f"{rel}: script-src allows more than 'self' 'wasm-unsafe-eval': "
                            f"{sorted(extra)}")
        for name, values in d.items():
            if {"'unsafe-inline'", "'unsafe-eval'", "*"} & values or any(
                    v.startswith(("http:", "https:")) or v in ("http:", "https:") for v in values):
                problems.append(f"{rel}: {name} {' '.join(sorted(values))} opens the policy")
    assert files
    assert not problems, (f"{len(problems)} CSP problem(s):\n" + "\n".join(problems[:200])
                          + (f"\n... and {len(problems) - 200} more" if len(problems) > 200 else ""))
