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
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .model import Body, Msg

Translate = Callable[[str], "str | None"]
LinkResolver = Callable[[str], str]

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
ALLOWED_CLASSES = {"th": {"align-left", "align-center", "align-right"}, "td": {"align-left", "align-center", "align-right"}}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
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
_MAYBE_LINK = re.compile(r"://|@|[A-Za-z0-9]\.[A-Za-z]{2}")
_ALIGN = re.compile(r"text-align:(left|center|right)")
# Blocks whose text is not translated; their HTML (code, raw HTML) is sanitised as it is.
RAW_LEAVES = frozenset({"html_block", "fence", "code_block"})
# markdown-it's own pattern for the scheme before "://" (RFC 3986), and how far back to look.
_SCHEME_BEFORE = re.compile(r"(?:^|[^a-z0-9.+-])([a-z][a-z0-9.+-]*)$", re.IGNORECASE)
_SCHEME_WINDOW = 64


def make_markdown() -> MarkdownIt:
    """A CommonMark parser with GitHub's tables, strikethrough and autolinks."""
    md = MarkdownIt("gfm-like", {"html": True})
    slow_pretest = md.linkify.pretest
    # linkify-it's own pretest is a large regex run on every text (a third of the render time);
    # a block without "://", "@" or something like "drk.de" can't hold an autolink.
    md.linkify.pretest = lambda text: bool(_MAYBE_LINK.search(text)) and slow_pretest(text)
    md.inline.ruler.at("linkify", linkify_scheme)
    return md


def linkify_scheme(state: StateInline, silent: bool) -> bool:
    """markdown-it's inline rule for ``scheme://`` autolinks, in linear time.

    The original searches all text before each ``://`` for the scheme, so 40 KB of ``x://``
    took 7 s. A scheme linkify-it knows (http, https, ftp) is a few letters: looking at the
    last 64 characters gives the same links.
    """
    pos = state.pos
    if (
        not state.md.options.linkify or state.linkLevel > 0 or not state.md.linkify
        or not state.src.startswith("://", pos) or pos + 3 > state.posMax
    ):  # fmt: skip
        return False
    tail = state.pending[-_SCHEME_WINDOW:]
    match = _SCHEME_BEFORE.search(tail)
    if not match or (match.start(1) == 0 and len(tail) < len(state.pending)):
        return False  # no scheme, or one longer than any scheme linkify-it knows
    proto = match.group(1)
    link = state.md.linkify.match_at_start(state.src[pos - len(proto) :])
    if not link:
        return False
    url: str = link.url.rstrip("*")  # a '*' at the end closes emphasis, as in markdown-it
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if not silent:
        state.pending = state.pending[: -len(proto)]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": full_url}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += len(url) - len(proto)
    return True


def sanitize(html: str) -> str:
    """The allowlist every piece of HTML from Markdown or a translation passes through."""
    return _CLEANER.clean(html)


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
        kind = block_kind(parents)
        segments.append(Msg(message_text(tok.content), line, f"{field} {kind}"))
        links += [(str(c.attrs["href"]), line) for c in tok.children or () if c.type == "link_open"]
    return Body(tuple(tokens), tuple(segments), tuple(links))


def block_kind(parents: list[str]) -> str:
    """What an editor calls the block inside the open ``parents`` (token types, outermost first)."""
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

    Each block is sanitised on its own before the page is: an unclosed ``<style>`` or
    ``<textarea>`` in one paragraph, or in one translation, can't swallow the blocks after it.
    """
    out: list[Token] = []
    segments = iter(body.segments)
    for tok in body.tokens:
        if tok.type == "inline" and tok.content.strip():
            msgid = next(segments).text
            text = translate(msgid)
            if text is None or text == msgid:
                children = _source_children(md, tok, msgid)
            else:
                children = md.parseInline(text)[0].children or []
            html = sanitize(md.renderer.renderInline(_resolve_links(children, resolve_link), md.options, {}))
            if text is None and fallback_attrs:
                html = f"<span {fallback_attrs}>{html}</span>"
            out.append(tok.copy(children=[_html(html)]))
        elif tok.type in RAW_LEAVES:
            out.append(_sanitized_leaf(md, tok))
        else:
            out.append(tok)
    return sanitize(md.renderer.render(out, md.options, {}))


def _source_children(md: MarkdownIt, tok: Token, msgid: str) -> list[Token]:
    """The German text of a block, parsed once per process rather than once per language:
    German pages, untranslated blocks and translations equal to the source all show it."""
    if "source_children" not in tok.meta:
        tok.meta["source_children"] = md.parseInline(msgid)[0].children or []
    return list(tok.meta["source_children"])


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
