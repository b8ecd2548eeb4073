"""The Markdown parser: CommonMark with GitHub's tables, strikethrough and autolinks.

markdown-it-py is used rather than Python-Markdown: it follows CommonMark/GFM the way GitHub
shows it (nested lists indented by 2 spaces, pipe tables, autolinks), is 2.5x faster here, and its
block tokens carry source lines, which is exactly what segmentation and error lines need.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.escape import escape
from markdown_it.rules_inline.newline import newline

from .autolinks import QuotedLinkify

InlineRule = Callable[[StateInline, bool], bool]

# The key under which a parse's env collects the line breaks markdown-it reads as soft or hard
# breaks, as (block text, position of the line's end, kind): segmentation joins exactly those.
LINE_BREAKS = "sitegen_line_breaks"
# A name with a dot ("drk.de"), written from its dot: the regex engine finds a dot fast, while a
# pattern starting with [A-Za-z0-9] is tried at every position of the text.
_DOTTED_NAME = re.compile(r"\.(?<=[A-Za-z0-9]\.)[A-Za-z]{2}")
# markdown-it's own pattern for the scheme before "://" (RFC 3986), and how far back to look.
_SCHEME_BEFORE = re.compile(r"(?:^|[^a-z0-9.+-])([a-z][a-z0-9.+-]*)$", re.IGNORECASE)
_SCHEME_WINDOW = 64
# ``[text][label]`` and ``[label][]``: written this way, brackets are certainly a reference link.
_FULL_REFERENCE = re.compile(r"\]\[([^\[\]]+)\]")
_COLLAPSED_REFERENCE = re.compile(r"\[([^\[\]]+)\]\[\]")


# What makes an inline text more than text here: a character with which one of make_markdown's
# inline rules (emphasis, strikethrough, code, links, images, raw HTML, entities, escapes, breaks)
# can start, one that markdown-it's escaping or the sanitiser's serialising rewrites (" & < > and
# the no-break space), and control characters.
_NOT_PLAIN = re.compile(r'[!&*<>\[\\\]_`~"\u00a0\x00-\x1f\x7f-\x9f]')


def is_plain_text(text: str) -> bool:
    """Whether ``text``, as an inline block, comes out of markdown-it and the sanitiser unchanged.

    Most paragraphs, list items, cells and headings are such plain text: their HTML is the text
    itself, with no parse, render and sanitising pass (tests/test_body.py holds this to the slow
    path on random texts; the CommonMark and GFM examples go through both).
    """
    return not _NOT_PLAIN.search(text) and not maybe_link(text)


def maybe_link(text: str) -> bool:
    """Whether ``text`` may hold an autolink: without "://", "@" or something like "drk.de" it can't."""
    return "://" in text or "@" in text or bool(_DOTTED_NAME.search(text))


def make_markdown() -> MarkdownIt:
    """A CommonMark parser with GitHub's tables, strikethrough and autolinks.

    ``store_labels`` marks links and images written with a reference (``[text][label]``), so a
    translation's reference links can be held to the labels its source uses.
    """
    md = MarkdownIt("gfm-like", {"html": True, "store_labels": True})
    md.linkify = QuotedLinkify()  # «https://…» and „info@…“: the quotation marks are not part of the address
    slow_pretest = md.linkify.pretest
    # linkify-it's own pretest is a large regex run on every text (a third of the render time);
    # a block without "://", "@" or something like "drk.de" can't hold an autolink.
    md.linkify.pretest = lambda text: maybe_link(text) and slow_pretest(text)
    md.inline.ruler.at("linkify", linkify_scheme)
    md.inline.ruler.at("newline", recording_line_breaks(newline))
    md.inline.ruler.at("escape", recording_line_breaks(escape))
    return md


def recording_line_breaks(rule: InlineRule) -> InlineRule:
    """``rule`` (markdown-it's newline or escape rule), noting each line break it turns into a
    soft or hard break in ``env[LINE_BREAKS]`` when the parse asks for them.

    Any other line end in a block lies inside a code span, a raw HTML tag or a link's title,
    where joining it to the next line could change what the block shows.
    """

    def rule_noting_breaks(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        breaks = state.env.get(LINE_BREAKS) if isinstance(state.env, dict) else None
        if breaks is not None and not silent and len(state.tokens) > count:
            kind = state.tokens[-1].type
            if kind in ("softbreak", "hardbreak"):
                breaks.append((state.src, start, kind))
        return True

    return rule_noting_breaks


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


def labels_as_links(text: str) -> dict[str, Any]:
    """A parse env for a message read without its document (checking a translation): each label
    ``text`` uses as ``[text][label]`` or ``[label][]`` resolves to the address ``[label]``.

    So a translation that changes or drops a reference link differs from its source in its
    link targets, whatever the label stands for in the documents using the message. A lone
    ``[word]`` stays text: German prose uses brackets too, and its translation may change them.
    """
    labels = {normalizeReference(m) for m in _FULL_REFERENCE.findall(text) + _COLLAPSED_REFERENCE.findall(text)}
    return {"references": {label: {"href": f"[{label.lower()}]", "title": ""} for label in labels if label}}
