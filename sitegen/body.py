"""Markdown bodies: parsed once in German, split into translatable blocks, rendered per language.

markdown-it-py is used rather than Python-Markdown: it follows CommonMark/GFM the way GitHub
shows it (nested lists indented by 2 spaces, pipe tables, autolinks), is 2.5x faster here, and its
block tokens carry source lines, which is exactly what segmentation and error lines need.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import Body, Msg

Translate = Callable[[str], "str | None"]
LinkResolver = Callable[[str], str]

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul", "dl", "dt", "dd", "mark", "small", "bdi",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "ol": {"start"},
    "span": {"lang", "dir"},
    "*": {"lang", "dir"},
}
_CLASSES = {"th": {"align-left", "align-center", "align-right"}, "td": {"align-left", "align-center", "align-right"}}
_SCHEMES = {"http", "https", "mailto", "tel"}
_MAYBE_LINK = re.compile(r"://|@|[A-Za-z0-9]\.[A-Za-z]{2}")
_ALIGN = re.compile(r"text-align:(left|center|right)")


def make_markdown() -> MarkdownIt:
    """A CommonMark parser with GitHub's tables, strikethrough and autolinks."""
    md = MarkdownIt("gfm-like", {"html": True})
    slow_pretest = md.linkify.pretest
    # linkify-it's own pretest is a large regex run on every text (a third of the render time);
    # a block without "://", "@" or something like "drk.de" can't hold an autolink.
    md.linkify.pretest = lambda text: bool(_MAYBE_LINK.search(text)) and slow_pretest(text)
    return md


def sanitize(html: str) -> str:
    """The allowlist every piece of HTML from Markdown or a translation passes through."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_CLASSES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def message_text(content: str) -> str:
    """The msgid of a block: its lines joined by single spaces, hard breaks kept as ``\\``+newline."""
    lines = content.split("\n")
    out = []
    for i, line in enumerate(lines):
        hard = i < len(lines) - 1 and (line.endswith("  ") or line.endswith("\\"))
        line = line.strip()
        if hard:
            out.append(line.removesuffix("\\").rstrip() + "\\\n")
        else:
            out.append(line + (" " if i < len(lines) - 1 else ""))
    return "".join(out)


def parse_body(md: MarkdownIt, text: str, first_line: int, field: str = "body") -> Body:
    """Parse a German Markdown body whose first line is line ``first_line`` of its file."""
    tokens = md.parse(text)
    _normalise_headings(tokens)
    segments: list[Msg] = []
    links: list[tuple[str, int]] = []
    parents: list[str] = []
    for tok in tokens:
        if tok.nesting == 1:
            parents.append(tok.type)
        elif tok.nesting == -1:
            parents.pop()
        if tok.type in ("th_open", "td_open") and "style" in tok.attrs:
            align = _ALIGN.search(str(tok.attrs.pop("style")))
            if align:
                tok.attrs["class"] = f"align-{align.group(1)}"
        if tok.type != "inline" or not tok.content.strip():
            continue
        line = first_line + (tok.map[0] if tok.map else 0)
        kind = _block_kind(parents)
        segments.append(Msg(message_text(tok.content), line, f"{field} {kind}"))
        links += [(str(c.attrs["href"]), line) for c in tok.children or () if c.type == "link_open"]
    return Body(tuple(tokens), tuple(segments), tuple(links))


def _block_kind(parents: list[str]) -> str:
    for kind, name in (("th_open", "table cell"), ("td_open", "table cell"), ("list_item_open", "list item"),
                       ("heading_open", "heading"), ("blockquote_open", "quote")):  # fmt: skip
        if kind in parents:
            return name
    return "paragraph"


def _normalise_headings(tokens: list[Token]) -> None:
    """Body headings become h2, h3 … in order, whatever level the editor started at.

    The page title is the page's only h1; a body that starts at ``#`` or skips from ``##`` to
    ``####`` would otherwise break the outline screen-reader users navigate by.
    """
    levels = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
    new = {level: f"h{min(6, i + 2)}" for i, level in enumerate(levels)}
    for t in tokens:
        if t.type in ("heading_open", "heading_close"):
            t.tag = new[int(t.tag[1])]


def render_body(
    md: MarkdownIt, body: Body, translate: Translate, resolve_link: LinkResolver, fallback_attrs: str
) -> str:
    """Render a body in one language; blocks without a translation stay German, marked as such.

    ``translate`` returns the translation of a msgid or None; ``fallback_attrs`` is the attribute
    text for German fallback spans (``lang="de"``, plus ``dir="ltr"`` on right-to-left pages).
    """
    out: list[Token] = []
    segments = iter(body.segments)
    for tok in body.tokens:
        if tok.type != "inline" or not tok.content.strip():
            out.append(tok)
            continue
        msgid = next(segments).text
        text = translate(msgid)
        children = _inline(md, text if text is not None else msgid, resolve_link)
        if text is None and fallback_attrs:
            children = [_html(f"<span {fallback_attrs}>"), *children, _html("</span>")]
        out.append(tok.copy(children=children))
    return sanitize(md.renderer.render(out, md.options, {}))


def _inline(md: MarkdownIt, text: str, resolve_link: LinkResolver) -> list[Token]:
    children: list[Token] = md.parseInline(text)[0].children or []
    for i, child in enumerate(children):
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            new = resolve_link(href)
            if new != href:
                children[i] = child.copy(attrs={**child.attrs, "href": new})
    return children


def _html(markup: str) -> Token:
    tok = Token("html_inline", "", 0)
    tok.content = markup
    return tok
