"""A German Markdown body split into translatable blocks: one message per block (SPEC §4).

A block's message is its text with inline Markdown kept and its lines joined with single spaces
(a hard line break stays one, written ``\\`` + newline). Only the line breaks markdown-it reads as
breaks are joined: a line end inside a code span, a raw HTML tag or a link title stays as it is,
so the message always shows exactly what the block shows. A block that is a single image is the
image's description (its alt text), the one thing of it to translate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .markdown_parser import LINE_BREAKS
from .model import Body, Msg

_ALIGN_STYLE = "text-align:"
_LINE_SPACE = " \t"  # what markdown-it skips at the start of a line after a break


def parse_body(md: MarkdownIt, text: str, first_line: int, field: str = "body") -> Body:
    """Parse a German Markdown body whose first line is line ``first_line`` of its file.

    Every translatable inline token gets its message in ``meta["msg"]``, which is what the
    renderer translates; reference definitions (``[label]: address``) are kept for every block.
    """
    env: dict[str, Any] = {LINE_BREAKS: []}
    tokens = md.parse(text, env)
    references: Mapping[str, Any] = env.get("references", {})
    breaks: dict[int, list[tuple[int, str]]] = {}
    for src, position, kind in env[LINE_BREAKS]:
        breaks.setdefault(id(src), []).append((position, kind))
    _normalise_headings(tokens)
    segments: list[Msg] = []
    links: dict[tuple[str, int], None] = {}  # (href, line) in order, each once
    parents: list[str] = []
    for tok in tokens:
        if tok.nesting == 1:
            parents.append(tok.type)
        elif tok.nesting == -1:
            parents.pop()
        if tok.type in ("th_open", "td_open") and "style" in tok.attrs:
            align = str(tok.attrs.pop("style")).removeprefix(_ALIGN_STYLE)
            if align in ("left", "center", "right"):
                tok.attrs["class"] = f"align-{align}"
        if tok.type != "inline" or not tok.content.strip():
            continue
        line = first_line + (tok.map[0] if tok.map else 0)
        alt = single_image_alt(md, tok)
        if alt is not None:
            if alt:  # an image without a description has nothing to translate (and is an error)
                tok.meta["msg"] = Msg(alt, line, f"{field} image description")
                tok.meta["single_image"] = True
        else:
            message = block_message(md, tok, breaks.get(id(tok.content), []), references)
            tok.meta["msg"] = Msg(message, line, f"{field} {block_kind(parents)}")
        if "msg" in tok.meta:
            segments.append(tok.meta["msg"])
        for child in tok.children or ():
            if child.type == "link_open":
                label = child.meta.get("label")
                where = references[label]["map"][0] + first_line if label in references else line
                links[(str(child.attrs["href"]), where)] = None
    return Body(tuple(tokens), tuple(segments), tuple(links), references)


def single_image_alt(md: MarkdownIt, tok: Token) -> str | None:
    """The description of the image that is a block's only content, or None for other blocks."""
    children = tok.children or []
    if len(children) != 1 or children[0].type != "image":
        return None
    return md.renderer.renderInlineAsText(children[0].children, md.options, {}).replace("\n", " ").strip()


def block_message(md: MarkdownIt, tok: Token, breaks: list[tuple[int, str]], references: Mapping[str, Any]) -> str:
    """The msgid of a block: its text with the line breaks markdown-it reads as breaks joined.

    Joining can still change a block where a line end stands between ``<`` and ``>``:
    ``[a](<b`` + newline + ``c>)`` is no link, ``[a](<b c>)`` is one. Such a block keeps its
    line ends; the check costs a parse only for blocks that have both.
    """
    content = tok.content
    message = joined_lines(content, breaks)
    if message != content and "<" in content:
        env = {"references": references}
        joined = md.renderer.renderInline(md.parseInline(message, env)[0].children or [], md.options, env)
        written = md.renderer.renderInline(tok.children or [], md.options, env)
        if joined.replace("\n", " ") != written.replace("\n", " "):  # a soft break shows as a space
            return content
    return message


def joined_lines(content: str, breaks: list[tuple[int, str]]) -> str:
    """``content`` with each soft break a single space and each hard break ``\\`` + newline.

    ``breaks`` are (position, kind) as markdown-it's rules found them: the line's ``\\n`` for
    the newline rule, the ``\\`` before it for a backslash break. Spaces markdown-it drops around
    a break are dropped too; all other text, line ends inside code spans included, stays.
    """
    out: list[str] = []
    pos = 0
    for position, kind in sorted(breaks):
        if content[position] == "\\":  # a backslash break: the text before it stays as it is
            out.append(content[pos:position] + "\\\n")
            pos = position + 2
        else:
            before = content[pos:position].rstrip(" ")
            if kind == "softbreak":
                out.append(before + " ")
            elif before.endswith("\\"):  # "\" + "\" + newline would escape the backslash instead
                out.append(before + "  \n")
            else:
                out.append(before + "\\\n")
            pos = position + 1
        while pos < len(content) and content[pos] in _LINE_SPACE:
            pos += 1
    out.append(content[pos:])
    return "".join(out)


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
