"""How the preview names a changed file to the open pages: by its site URL, a page by its clean URL."""

from __future__ import annotations


def site_url(name: str) -> str:
    """``de/x/index.html`` -> ``/de/x/``; any other file by its path below the site (``/static/a.css``)."""
    if name == "index.html" or name.endswith("/index.html"):
        return "/" + name[: -len("index.html")]
    return "/" + name
