"""Files for machines: sitemap.xml with language alternates, robots.txt.

Each writes addresses by its format's rules: XML-escaped in the sitemap, and in robots.txt with
no character that could end its line (every address is percent-encoded where it needs to be).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape, quoteattr

from .model import SiteConfig
from .plan import SitePlan


def sitemap(site: SiteConfig, plan: SitePlan) -> bytes:
    """Every indexable page once per language, each listing all its language versions."""
    routes: dict[str, None] = {}
    for page in plan.pages:
        if not page.noindex:
            routes.setdefault(page.route, None)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for route in routes:
        href = {lang: _one_line(f"{site.base_url}{lang}/{route}") for lang in site.languages}
        alternates = [
            f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(href[lang])}/>'
            for lang in site.languages
        ]
        alternates.append(
            f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(href[site.source_language])}/>'
        )
        for lang in site.languages:
            lines += ["  <url>", f"    <loc>{escape(href[lang])}</loc>", *alternates, "  </url>"]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots(site: SiteConfig) -> bytes:
    status = "".join(f"Disallow: {_one_line(_path(site))}{lang}/status/\n" for lang in site.languages)
    return f"User-agent: *\n{status}\nSitemap: {_one_line(site.base_url)}sitemap.xml\n".encode()


def _path(site: SiteConfig) -> str:
    return urlsplit(site.base_url).path or "/"


def _one_line(url: str) -> str:
    """An address with controls and spaces percent-encoded: nothing in it can end a line, and
    XML (which can't hold most control characters even escaped) gets a valid one."""
    return re.sub(r"[\x00-\x20\x7f-\x9f\u2028\u2029]", lambda m: quote(m.group()), url)
