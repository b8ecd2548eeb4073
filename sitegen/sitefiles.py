"""Files for machines: sitemap.xml with language alternates, robots.txt.

Each writes addresses by its format's rules: XML-escaped in the sitemap, and in robots.txt with
no character that could end its line (every address is percent-encoded where it needs to be).
"""

from __future__ import annotations

import re
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from .model import SiteConfig
from .plan import SitePlan


def sitemap(site: SiteConfig, plan: SitePlan) -> bytes:
    """Every indexable page once per language, each listing all its language versions."""
    indexed: dict[str, None] = {}
    for page in plan.pages:
        if not page.noindex:
            indexed.setdefault(page.route, None)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for route in indexed:
        href = {lang: _one_line(plan.routes.absolute(plan.routes.path(lang, route))) for lang in site.languages}
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


def robots(site: SiteConfig, plan: SitePlan) -> bytes:
    """Every language's status page is for translators, not for search engines."""
    routes = plan.routes
    hidden = [routes.from_host(routes.path(lang, routes.status)) for lang in site.languages]
    status = "".join(f"Disallow: {_one_line(path)}\n" for path in hidden)
    return f"User-agent: *\n{status}\nSitemap: {_one_line(routes.absolute(routes.sitemap))}\n".encode()


def _one_line(url: str) -> str:
    """An address with controls and spaces percent-encoded: nothing in it can end a line, and
    XML (which can't hold most control characters even escaped) gets a valid one."""
    return re.sub(r"[\x00-\x20\x7f-\x9f\u2028\u2029]", lambda m: quote(m.group()), url)
