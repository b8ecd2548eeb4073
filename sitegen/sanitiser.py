"""The allowlist sanitiser every piece of HTML from Markdown or a translation passes through.

Images are sanitised on their own, by a cleaner that knows only ``<img>``: the page's cleaner
removes every ``<img>``, so raw HTML (an editor's or a translator's) can never add one. Only
images written in Markdown reach the page, put in after the block around them is clean
(see sitegen.body), and only with an address on the site itself: the site loads nothing
from other hosts.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul", "dl", "dt", "dd", "mark", "small", "bdi",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "ol": {"start"},
    "span": {"lang", "dir"},
    "*": {"lang", "dir"},
}
ALLOWED_CLASSES = {
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
}
IMAGE_ATTRIBUTES = {"src", "alt", "title", "width", "height", "loading"}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Built once: handing the allowlists to nh3.clean on every call cost 15 µs, ten times the cleaning
# of a table cell, and every block is cleaned on its own.
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=LINK_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def loads_from_other_host(address: str) -> bool:
    """Whether a browser loading ``address`` would ask another host (or run a scheme) for it.

    Browsers drop spaces and control characters and read ``\\`` as ``/``, so ``/\\host/x.png``
    and `` //host`` are other hosts too.
    """
    plain = re.sub(r"[\x00-\x20]", "", address).replace("\\", "/")
    return plain.startswith("//") or bool(_SCHEME.match(plain))


def _same_site_image(element: str, attribute: str, value: str) -> str | None:
    if attribute == "src" and loads_from_other_host(value):
        return None
    return value


_IMAGE_CLEANER = nh3.Cleaner(
    tags={"img"},
    attributes={"img": IMAGE_ATTRIBUTES, "*": {"lang", "dir"}},
    attribute_filter=_same_site_image,
    url_schemes=set(),
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """The allowlist every piece of HTML from Markdown or a translation passes through."""
    return _CLEANER.clean(html)


def sanitize_image(html: str) -> str:
    """One Markdown image's ``<img>``: the allowed attributes, and a ``src`` on this site or none."""
    return _IMAGE_CLEANER.clean(html)
