"""Files for machines: sitemap.xml with language alternates, robots.txt."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

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
        alternates = [
            f"    <xhtml:link rel=\"alternate\" hreflang={quoteattr(lang)} href={quoteattr(site.base_url + lang + '/' + route)}/>"
            for lang in site.languages
        ]
        alternates.append(
            f"    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href={quoteattr(site.base_url + site.source_language + '/' + route)}/>"
        )
        for lang in site.languages:
            lines += ["  <url>", f"    <loc>{site.base_url}{lang}/{route}</loc>", *alternates, "  </url>"]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def robots(site: SiteConfig) -> bytes:
    status = "".join(f"Disallow: {_path(site)}{lang}/status/\n" for lang in site.languages)
    return f"User-agent: *\n{status}\nSitemap: {site.base_url}sitemap.xml\n".encode()


def _path(site: SiteConfig) -> str:
    return urlsplit(site.base_url).path or "/"
