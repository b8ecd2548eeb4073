"""What GitHub shows for a Markdown document: markdown-it's rendering of the whole document at
once, after the same allowlist sanitiser, images kept as long as they come from the site itself.

The oracle for sitegen's block-by-block rendering. Soft line breaks render as spaces (a browser
shows a line end in a paragraph as a space, and messages join lines with spaces); headings start
at h2 and table alignment is a class, as on every sitegen page.
"""

from __future__ import annotations

import nh3

from sitegen.body import make_markdown
from sitegen.sanitiser import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    IMAGE_ATTRIBUTES,
    LINK_SCHEMES,
    loads_from_other_host,
)
from sitegen.segments import parse_body


def _same_site_images(element: str, attribute: str, value: str) -> str | None:
    return None if element == "img" and attribute == "src" and loads_from_other_host(value) else value


CLEANER_WITH_IMAGES = nh3.Cleaner(
    tags=ALLOWED_TAGS | {"img"},
    attributes={**ALLOWED_ATTRIBUTES, "img": IMAGE_ATTRIBUTES},
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=LINK_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
    attribute_filter=_same_site_images,
)


def github_render(source: str, softbreak: str = " ") -> str:
    md = make_markdown()
    md.add_render_rule("softbreak", lambda *args: softbreak)
    env: dict[str, object] = {}
    tokens = list(parse_body(md, source, 1).tokens)  # headings and table alignment as sitegen has them
    md.parse(source, env)  # the reference definitions
    return CLEANER_WITH_IMAGES.clean(md.renderer.render(tokens, md.options, env))
