"""Markdown bodies rendered per language: German where a block has no usable translation.

The body is parsed once, in German (sitegen.segments); each block is rendered from its
translation, or from its German message, and sanitised on its own before the page is. Reference
links (``[text][label]``) resolve with the body's definitions in every language. A translation
can change words, never the page: its reference links resolve only with the labels its German
block uses, and it shows only the images its German block shows.

This module also gathers the Markdown names the rest of sitegen imports from one place.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .markdown_parser import is_plain_text, labels_as_links, linkify_scheme, make_markdown
from .model import Body, Msg
from .sanitiser import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, LINK_SCHEMES, sanitize, sanitize_image
from .segments import block_kind, joined_lines, parse_body

__all__ = [
    "ALLOWED_ATTRIBUTES", "ALLOWED_CLASSES", "ALLOWED_TAGS", "LINK_SCHEMES", "RAW_LEAVES", "BlockCache", "block_kind",
    "joined_lines", "labels_as_links", "linkify_scheme", "make_markdown", "parse_body", "render_body", "sanitize",
]  # fmt: skip

Translate = Callable[[str], "str | None"]
LinkResolver = Callable[[str], str]

# Blocks whose text is not translated; their HTML (code, raw HTML) is sanitised as it is.
RAW_LEAVES = frozenset({"html_block", "fence", "code_block"})


BlockCache = dict[tuple[str, "str | None", str], str]
"""The HTML of blocks by (German text, translation or None, fallback attributes), for one build.

A block without links or images, in a body without reference definitions, is the same HTML on
every page and in every language that shows the same text: it is made once and reused (the
German text of the languages that fall back to it included). A block with a link is not: its
address depends on the page.
"""


def render_body(
    md: MarkdownIt, body: Body, translate: Translate, resolve_link: LinkResolver, fallback_attrs: str,
    blocks: BlockCache | None = None,
) -> str:  # fmt: skip
    """Render a body in one language; blocks without a translation stay German, marked as such.

    ``translate`` returns the translation of a msgid or None; ``resolve_link`` gives the address
    a link or image has on this page; ``fallback_attrs`` is the attribute text for German
    fallback spans (``lang="de"``, plus ``dir="ltr"`` on right-to-left pages). ``blocks``, kept by
    the caller from page to page, holds the HTML of blocks made before (see BlockCache).

    Each block is sanitised on its own before the page is: an unclosed ``<style>`` or
    ``<textarea>`` in one paragraph, or in one translation, can't swallow the blocks after it.
    """
    images = ImageSlots(md, body.image_sizes, resolve_link)
    blocks = {} if blocks is None else blocks
    shareable = not body.references  # a reference label's address is the body's own
    made: list[str] = []  # each inline block's HTML, in order
    for tok in body.tokens:
        if tok.type == "inline":
            msg = tok.meta.get("msg")
            text = translate(msg.text) if msg else None
            key = (msg.text, text, fallback_attrs) if shareable and msg and not tok.meta.get("single_image") else None
            html = blocks.get(key) if key else None
            if html is None:
                html, shared = _inline_html(md, tok, msg, text, body, images, fallback_attrs)
                if key and shared:
                    blocks[key] = html
            made.append(html)
    pieces = _skeleton(md, body)
    out = [pieces[0]]
    for html, piece in zip(made, pieces[1:], strict=True):
        out += (html, piece)
    return images.put_back(sanitize("".join(out)))


def _skeleton(md: MarkdownIt, body: Body) -> list[str]:
    """The body's HTML around its inline blocks, rendered once per process rather than once per
    language: piece 0, then each block's place, then the next piece.

    markdown-it renders a block's tags from the block structure alone (the tokens around it),
    never from the text inside, so the structure holding a marker for each block renders to the
    very HTML the whole body would, split at the markers.
    """
    if not body.tokens:
        return [""]
    kept = body.tokens[0].meta
    if "skeleton" not in kept:
        marker = f"\ue000{secrets.token_hex(8)}\ue001"  # nobody writing text can know it
        out = [
            Token("inline", "", 0, children=[_html(marker)]) if tok.type == "inline"
            else _sanitized_leaf(md, tok) if tok.type in RAW_LEAVES else tok
            for tok in body.tokens
        ]  # fmt: skip
        kept["skeleton"] = md.renderer.render(out, md.options, {}).split(marker)
    return kept["skeleton"]


def _inline_html(
    md: MarkdownIt, tok: Token, msg: Msg | None, text: str | None, body: Body, images: ImageSlots, fallback_attrs: str
) -> tuple[str, bool]:
    """The sanitised HTML of one inline block, and whether it holds no link or image (so may be shared)."""
    if msg is not None and not body.references and not tok.meta.get("single_image"):
        shown = msg.text if text is None else text
        if is_plain_text(shown):  # most blocks: the HTML is the text itself
            return (f"<span {fallback_attrs}>{shown}</span>" if text is None and fallback_attrs else shown), True
    if msg is None:
        children = list(tok.children or [])
    elif tok.meta.get("single_image"):
        children = [_described(tok.children[0], msg.text if text is None else text)]
    elif text is None or text == msg.text:
        children = _source_children(md, tok, msg.text, body.references)
    elif (translated := _translated_children(md, tok, text, body.references)) is not None:
        children = translated
    else:  # the translation lost a reference link: German, as for a translation with problems
        text, children = None, _source_children(md, tok, msg.text, body.references)
    shared = not any(child.type in ("link_open", "image") for child in children)
    held = images.hold(_resolve_links(children, images.resolve_link))
    html = sanitize(md.renderer.renderInline(held, md.options, {}))
    if msg is not None and text is None and fallback_attrs:
        html = f"<span {fallback_attrs}>{html}</span>"
    return html, shared


class ImageSlots:
    """Markdown images set aside while the HTML around them is sanitised, and put back after.

    The page's sanitiser removes every ``<img>``, so raw HTML can't add one; the images written
    in Markdown wait as markers that only this render knows, each sanitised on its own.
    """

    def __init__(self, md: MarkdownIt, sizes: Mapping[str, tuple[int, int]], resolve_link: LinkResolver) -> None:
        self.md, self.sizes, self.resolve_link = md, sizes, resolve_link
        self.marker = f"\ue000{secrets.token_hex(8)}:"  # nobody writing text can know it
        self.images: list[str] = []

    def hold(self, children: list[Token]) -> list[Token]:
        if not any(child.type == "image" for child in children):
            return children
        held = []
        for child in children:
            if child.type == "image":
                self.images.append(self.image_html(child))
                child = _html(f"{self.marker}{len(self.images) - 1}\ue001")
            held.append(child)
        return held

    def image_html(self, image: Token) -> str:
        src = str(image.attrs.get("src", ""))
        attrs: dict[str, Any] = {**image.attrs, "src": self.resolve_link(src)}
        attrs["alt"] = self.md.renderer.renderInlineAsText(image.children, self.md.options, {})
        if src in self.sizes:
            width, height = self.sizes[src]
            attrs.update(width=str(width), height=str(height), loading="lazy")  # nothing jumps
        tag = Token("image", "img", 0, attrs=attrs)
        return sanitize_image(self.md.renderer.renderToken([tag], 0, self.md.options, {}))

    def put_back(self, page: str) -> str:
        if not self.images:
            return page
        return re.sub(re.escape(self.marker) + r"(\d+)\ue001", lambda m: self.images[int(m.group(1))], page)


def _described(image: Token, description: str) -> Token:
    """A block's only image, with ``description`` (its translated alt text) as its text."""
    return image.copy(children=[_text(description)])


def _source_children(md: MarkdownIt, tok: Token, msgid: str, references: Mapping[str, Any]) -> list[Token]:
    """The German text of a block, parsed once per process rather than once per language:
    German pages, untranslated blocks and translations equal to the source all show it."""
    if "source_children" not in tok.meta:
        tok.meta["source_children"] = md.parseInline(msgid, {"references": references})[0].children or []
    return list(tok.meta["source_children"])


def _translated_children(md: MarkdownIt, tok: Token, text: str, references: Mapping[str, Any]) -> list[Token] | None:
    """A translation of a block, parsed with the reference labels its German block uses; an
    image its German block doesn't show stays its description. None when the translation
    doesn't use every reference link of its German block: its link would be lost."""
    source = _source_children(md, tok, str(tok.meta["msg"].text), references)
    labels = Counter(c.meta["label"] for c in source if "label" in c.meta)
    own = {label: references[label] for label in labels}
    images = {c.attrs.get("src") for c in source if c.type == "image"}
    children = md.parseInline(text, {"references": own})[0].children or []
    if Counter(c.meta["label"] for c in children if "label" in c.meta) != labels:
        return None
    return [
        c if c.type != "image" or c.attrs.get("src") in images
        else _text(md.renderer.renderInlineAsText(c.children, md.options, {}))
        for c in children
    ]  # fmt: skip


def _sanitized_leaf(md: MarkdownIt, tok: Token) -> Token:
    """A code or raw HTML block as sanitised HTML; the same in every language, so made once."""
    if "sanitized" not in tok.meta:
        tok.meta["sanitized"] = _html(sanitize(md.renderer.render([tok], md.options, {})), "html_block")
    return tok.meta["sanitized"]


def _resolve_links(children: list[Token], resolve_link: LinkResolver) -> list[Token]:
    """``children`` with each link's address as ``resolve_link`` gives it; the tokens themselves
    are shared between languages, so changed ones are copies."""
    resolved = []
    for child in children:
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            new = resolve_link(href)
            if new != href:
                child = child.copy(attrs={**child.attrs, "href": new})
        resolved.append(child)
    return resolved


def _html(markup: str, kind: str = "html_inline") -> Token:
    tok = Token(kind, "", 0)
    tok.content = markup
    return tok


def _text(content: str) -> Token:
    tok = Token("text", "", 0)
    tok.content = content
    return tok
