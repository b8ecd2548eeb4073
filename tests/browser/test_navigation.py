"""Navigation a reader relies on (SPEC §6): the language switcher, the root
page's language choice, and the offers listing and filters without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

pytestmark = pytest.mark.browser


def _click_and_wait(page, link) -> None:
    """Click a link and wait until the browser has loaded the page it leads to."""
    try:
        with page.expect_navigation(wait_until="load", timeout=10_000):
            link.click()
    except Exception:  # noqa: BLE001 - the caller's assertion on page.url reports it
        pass


def _same_page_in(path: str, lang: str, other: str) -> str:
    assert path.startswith(f"{lang}/"), path
    return f"{other}/{path[len(lang) + 1:]}"


def test_language_switcher_click_lands_on_same_offer(new_context, site, h):
    """From /de/offers/<id>/ the English link leads to /en/offers/<id>/."""
    src = h.SOURCE_LANG
    target = "en" if "en" in site.langs else next(l for l in site.langs if l != src)
    path = site.page_path(src, "offer")
    ctx = new_context()
    page = ctx.page()
    ctx.goto(page, path)
    links, how = h.language_switcher(page, src)
    link = links.and_(page.locator(f'[hreflang="{target}"]'))
    if not link.count():
        link = links.filter(has_text=h.NATIVE_NAMES[target])
    assert link.count(), (f"/{path}: no link to {target} ({h.NATIVE_NAMES[target]}) in the "
                          f"language switcher (found {how})")
    _click_and_wait(page, link.first)
    assert site.rel(page.url) == _same_page_in(path, src, target), (
        f"clicking {h.NATIVE_NAMES[target]} on /{path} landed on {page.url}, "
        f"expected {site.url(_same_page_in(path, src, target))}")
    html_lang = page.locator("html").get_attribute("lang") or ""
    assert html_lang.split("-")[0] == target, (
        f"{page.url} has <html lang={html_lang!r}>, expected {target!r}")
    assert not ctx.external, f"requests to other hosts: {ctx.external}"


@pytest.mark.page_types("home", "offers", "offer", "contact", "page", "category", "search",
                        "status")
def test_language_switcher_links_to_same_page_in_every_language(new_context, site, h, lang, ptype):
    """On each page type, the switcher links each other language's version of that page,
    named in its own language (Deutsch, English, العربية, ...)."""
    path = site.page_path(lang, ptype)
    ctx = new_context(java_script_enabled=False)
    page = ctx.page()
    ctx.goto(page, path)
    links, how = h.language_switcher(page, lang)
    found = {}
    for i in range(links.count()):
        a = links.nth(i)
        href = a.get_attribute("href")
        if href is None:
            continue
        rel = site.rel(urljoin(page.url, href))
        hreflang = (a.get_attribute("hreflang") or "").split("-")[0]
        text = " ".join(a.inner_text().split())
        key = hreflang or (rel.split("/", 1)[0] if rel else "")
        found.setdefault(key, (rel, text, href))
    problems = []
    for other in site.langs:
        if other == lang:
            continue
        want = _same_page_in(path, lang, other)
        got = found.get(other)
        if got is None:
            problems.append(f"no link for {other} ({h.NATIVE_NAMES.get(other)})")
            continue
        rel, text, href = got
        if rel != want:
            problems.append(f"{other}: links {href!r} -> /{rel}, expected /{want}")
        native = h.NATIVE_NAMES.get(other)
        if native and native not in text:
            problems.append(f"{other}: link text {text!r} does not show the native name {native!r}")
    assert not problems, (f"language switcher on /{path} (found {how}):\n  "
                          + "\n  ".join(problems))


@pytest.mark.parametrize("locale,accept,expected", [
    ("ar", "ar", "ar"),
    ("tr-TR", "tr-TR,tr;q=0.9,de;q=0.5", "tr"),
])
def test_root_sends_reader_to_browser_language(new_context, site, locale, accept, expected):
    if expected not in site.langs:
        pytest.skip(f"the site has no {expected}")
    ctx = new_context(locale=locale, extra_http_headers={"Accept-Language": accept})
    page = ctx.page()
    ctx.goto(page, "")
    want = site.url(f"{expected}/")
    try:
        page.wait_for_url(re.compile("^" + re.escape(want) + r"(index\.html)?([?#].*)?$"),
                          timeout=10_000)
    except Exception:  # noqa: BLE001 - report where it ended instead
        pass
    assert re.match("^" + re.escape(want) + r"(index\.html)?([?#].*)?$", page.url), (
        f"with browser language {locale!r} (Accept-Language: {accept}) the root page "
        f"{site.url('')} ended on {page.url}, expected {want}")
    assert not ctx.external, f"requests to other hosts: {ctx.external}"


def test_root_without_javascript_links_all_languages(new_context, site, h):
    ctx = new_context(java_script_enabled=False, locale="ar",
                      extra_http_headers={"Accept-Language": "ar"})
    page = ctx.page()
    resp = ctx.goto(page, "")
    assert resp is not None and resp.status == 200, f"{site.url('')} answered {resp and resp.status}"
    page.wait_for_timeout(500)
    if site.rel(page.url) not in ("", "index.html"):
        pytest.fail(f"with JavaScript off the root page moved on to {page.url} by itself; "
                    f"it should offer all languages (SPEC §6)", pytrace=False)
    links = page.locator("a[href]")
    targets = {}
    for i in range(links.count()):
        a = links.nth(i)
        rel = site.rel(urljoin(page.url, a.get_attribute("href")))
        if rel is not None:
            targets.setdefault(rel, " ".join(a.inner_text().split()))
    problems = []
    for lang in site.langs:
        text = targets.get(f"{lang}/", targets.get(f"{lang}/index.html"))
        if text is None:
            problems.append(f"no link to /{lang}/")
        elif h.NATIVE_NAMES.get(lang, "") not in text:
            problems.append(f"link to /{lang}/ reads {text!r}, not the native name "
                            f"{h.NATIVE_NAMES.get(lang)!r}")
    assert not problems, ("root page with JavaScript off:\n  " + "\n  ".join(problems)
                          + f"\nlinks found: {targets}")


# --------------------------------------------------------------------------- listing & filters

def _offers_listed(page, site, lang) -> set[str]:
    """Offer ids linked from the page's main content (the whole body if no <main>)."""
    scope = page.locator("main")
    scope = scope.first if scope.count() else page.locator("body")
    ids = set()
    pattern = re.compile(rf"^{re.escape(lang)}/offers/([a-z0-9-]+)/(index\.html)?$")
    built = set(site.offers.get(lang, []))
    for href in scope.locator("a[href]").evaluate_all("els => els.map(e => e.href)"):
        rel = site.rel(href.split("#", 1)[0])
        m = pattern.match(rel or "")
        if m and m.group(1) in built:
            ids.add(m.group(1))
    return ids


def _offers_on_all_pages(page, site, lang, first_path) -> set[str]:
    """Offers on a listing and on its following pages (rel=next), with JS off."""
    seen_paths, ids = set(), set()
    while True:
        seen_paths.add(site.rel(page.url))
        ids |= _offers_listed(page, site, lang)
        nxt = page.locator("a[rel~=next][href], link[rel~=next][href]")
        if not nxt.count():
            return ids
        url = urljoin(page.url, nxt.first.get_attribute("href"))
        if site.rel(url) in seen_paths or len(seen_paths) > 50:
            return ids
        page.goto(url)


def _filter_links(page, site, lang, kind="category") -> dict[str, str]:
    pattern = re.compile(rf"^{re.escape(lang)}/offers/{kind}/([^/]+)/(index\.html)?$")
    out = {}
    for href in page.locator("a[href]").evaluate_all("els => els.map(e => e.href)"):
        rel = site.rel(href.split("#", 1)[0])
        m = pattern.match(rel or "")
        if m:
            out.setdefault(m.group(1), href)
    return out


@pytest.mark.langs("de", "ar", "ru")  # the same links in every language: one per script and direction
def test_listing_and_category_filters_work_without_javascript(new_context, site, lang):
    ctx = new_context(java_script_enabled=False)
    page = ctx.page()
    listing = site.page_path(lang, "offers")
    ctx.goto(page, listing)

    listed = _offers_listed(page, site, lang)
    assert listed, (f"/{listing} with JavaScript off shows no links to offers "
                    f"(built offers: {site.offers.get(lang)})")

    filters = _filter_links(page, site, lang, "category")
    assert filters, f"/{listing} with JavaScript off has no links to /{lang}/offers/category/<key>/"

    # The filters start folded: open them and click the filter of the category with the most
    # offers, like a reader would.
    folded = page.locator("details.filters:not([open]) > summary")
    if folded.count():
        folded.first.click()

    def count(key):
        return sum(1 for o in site.offers[lang] if site.offer_category.get(o) == key)
    key = max(filters, key=lambda k: (count(k), k))
    link = None
    for a in page.locator("a[href]").all():
        href = a.evaluate("e => e.href")
        if href.split("#", 1)[0] == filters[key].split("#", 1)[0] and a.is_visible():
            link = a
            break
    assert link is not None, f"the filter link for {key!r} on /{listing} is not visible"
    _click_and_wait(page, link)
    assert site.rel(page.url) in (f"{lang}/offers/category/{key}/",
                                  f"{lang}/offers/category/{key}/index.html"), (
        f"the filter link {key!r} on /{listing} led to {page.url}")

    # Every category filter page lists exactly the built offers of that category.
    problems = []
    for k, href in sorted(filters.items()):
        if site.rel(page.url) != site.rel(href):
            page.goto(href)
        shown = _offers_on_all_pages(page, site, lang, site.rel(href))
        expected = {o for o in site.offers[lang] if site.offer_category.get(o) == k}
        wrong = shown - expected
        missing = expected - shown
        if wrong:
            problems.append(f"/{lang}/offers/category/{k}/ lists offers of other categories: "
                            f"{sorted(wrong)}")
        if missing:
            problems.append(f"/{lang}/offers/category/{k}/ does not list {sorted(missing)}")
    assert not problems, "category filter pages with JavaScript off:\n  " + "\n  ".join(problems)
    assert not ctx.external, f"requests to other hosts: {ctx.external}"


@pytest.mark.langs("de", "ar", "tr", "ru", "fr")  # English is the theme's source language
def test_language_switcher_label_is_translated(new_context, site, h, lang):
    """The switcher's landmark is named in the page's language ("Sprache", "Langue", ...),
    not in the theme's English source ("Language") - a sign the theme's interface
    strings come translated (SPEC §4)."""
    ctx = new_context(java_script_enabled=False)
    page = ctx.page()
    labels = {}
    for code in ("en", lang):
        ctx.goto(page, site.page_path(code, "home"))
        nav = page.locator("nav:has(a[hreflang])")
        assert nav.count(), f"/{code}/ has no <nav> holding a[hreflang] links"
        labels[code] = (nav.first.get_attribute("aria-label")
                        or nav.first.get_attribute("aria-labelledby") and page.locator(
                            "#" + nav.first.get_attribute("aria-labelledby").split()[0]).inner_text()
                        or "")
    assert labels[lang].strip(), f"the language switcher <nav> on /{lang}/ has no accessible name"
    assert labels[lang].strip() != labels["en"].strip(), (
        f"the language switcher on /{lang}/ is labelled {labels[lang]!r}, the same as on /en/: "
        f"the theme's interface strings are not translated into {lang}")
