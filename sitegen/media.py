"""Images and other files of the site itself: ``content/media/``, published at ``/media/``.

An editor writes an image as Markdown, with the path from the entry's own file, as for links
between entries: ``![Lageplan: Eingang an der Rückseite](../media/lageplan.png)`` from
``content/offers/`` or ``content/pages/``. So the image also shows in the editor's preview and on
GitHub, and every language's page gets it from the one ``/media/`` folder of the site.

The rules, checked when a body is read (``path:line: message``):

* an image loads from the site itself: an address on another host is an error (the site loads
  nothing from other hosts: privacy, and readers on metered connections);
* it is a PNG, JPEG, GIF, WebP or SVG file in ``content/media/``; its width and height are read
  from the file and written into the page, so nothing jumps while it loads (``loading="lazy"``);
* it has a description (alt text), which translators translate; an image without one is an
  error: a picture that only decorates belongs to the theme, not to the text;
* an image over ``IMAGE_BUDGET`` bytes is a warning: readers on metered phones pay for every byte.

Links to files in ``content/media/`` (a flyer as PDF) must find their file too.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .image_size import FORMATS, ImageError, image_size
from .model import Body
from .sanitiser import loads_from_other_host
from .symlinks import regular_files

MEDIA_FOLDER = "media"  # in content/, and in the built site
IMAGE_BUDGET = 200_000  # bytes: a photo saved 1200 pixels wide as JPEG or WebP stays well below
_SHOWN_ADDRESS = 80  # characters of an address quoted in a message (a data: address can be huge)


def media_target(href: str, folder: str) -> str | None:
    """``media/<name>`` (still URL-encoded) for a relative address from ``content/<folder>/`` into
    ``content/media/``, with its query and fragment; None for any other address."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    target = posixpath.normpath(posixpath.join(folder, parts.path))
    if not target.startswith(f"{MEDIA_FOLDER}/"):
        return None
    return target + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def media_files(content: Path) -> dict[str, Path]:
    """``media/<name>`` -> file, for every file below ``content/media/`` (links and names
    starting with '.' left out, as everywhere in a project)."""
    folder = content / MEDIA_FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return {}
    return {f"{MEDIA_FOLDER}/{p.relative_to(folder).as_posix()}": p for p in regular_files(folder)}


@dataclass
class MediaCheck:
    """The images and media links of one body, checked against ``content/media/``."""

    md: MarkdownIt
    path: Path  # the entry's file: content/<folder>/<id>.md
    first_line: int
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # src -> (width, height)
    files: dict[str, Path] | None = None  # content/media/, read when first needed

    def run(self, body: Body) -> None:
        for tok in body.tokens:
            if tok.type == "inline":
                line = self.first_line + (tok.map[0] if tok.map else 0)
                for child in tok.children or ():
                    if child.type == "image":
                        self.image(child, _image_line(tok, child, line), body.references)
        folder = self.path.parent.name
        for href, line in body.links:
            target = media_target(href, folder)
            if target is not None and self.file(target) is None:
                self.add(self.errors, line, f"link to '{href}': {self.missing(target)}")

    def image(self, image: Token, line: int, references: Mapping[str, Any]) -> None:
        src = str(image.attrs.get("src", ""))
        label = image.meta.get("label")
        # an address written in a reference definition is fixed there, on the definition's line
        defined = self.first_line + references[label]["map"][0] if label in references else line
        if not self.md.renderer.renderInlineAsText(image.children, self.md.options, {}).strip():
            self.add(self.errors, line, f"image '{_shown(src)}' has no description: write what it shows between the brackets, ![Lageplan: Eingang an der Rückseite]({_shown(src)}); a picture that only decorates belongs in the theme, not in the text")  # fmt: skip
        if not src:
            self.add(self.errors, defined, "image without an address: write the path of a file in content/media/, e.g. ![Lageplan](../media/lageplan.png)")  # fmt: skip
            return
        if loads_from_other_host(src):
            self.add(self.errors, defined, f"image '{_shown(src)}' is not on this site: the site loads nothing from other hosts (privacy, metered connections); save the image in content/media/ and write ![…](../media/name.png)")  # fmt: skip
            return
        target = media_target(src, self.path.parent.name)
        if target is None:
            name = urlsplit(src).path.rsplit(f"{MEDIA_FOLDER}/", 1)[-1].rsplit("/", 1)[-1]
            self.add(self.errors, defined, f"image '{_shown(src)}' is not in content/media/: save it there and write its path from this file, ../media/{name}")  # fmt: skip
            return
        file = self.file(target)
        if file is None:
            self.add(self.errors, defined, f"image '{_shown(src)}': {self.missing(target)}")
            return
        shown = f"content/{media_name(target)}"
        try:
            with file.open("rb") as data:
                kind, width, height = image_size(data)
        except ImageError as exc:
            self.add(self.errors, defined, f"image '{_shown(src)}': {shown} {exc}")
            return
        except OSError as exc:
            self.add(self.errors, defined, f"image '{_shown(src)}': {shown} can't be read ({exc.strerror})")
            return
        if file.suffix.lower().lstrip(".") not in FORMATS[kind]:
            self.add(self.errors, defined, f"image '{_shown(src)}': {shown} holds a {kind.upper()} image; rename the file to end in .{FORMATS[kind][0]}, or browsers may not show it")  # fmt: skip
            return
        self.sizes[src] = (width, height)
        size = file.stat().st_size
        if size > IMAGE_BUDGET:
            self.add(self.warnings, line, f"image '{_shown(src)}' has {size / 1000:,.0f} KB; keep an image under {IMAGE_BUDGET // 1000} KB: readers on metered phones pay for every byte (save it smaller, e.g. 1200 pixels wide as JPEG or WebP)")  # fmt: skip

    def file(self, target: str) -> Path | None:
        if self.files is None:
            self.files = media_files(self.path.parent.parent)
        return self.files.get(media_name(target))

    def missing(self, target: str) -> str:
        return f"there is no file content/{media_name(target)} (file names are case-sensitive)"

    @staticmethod
    def add(found: list[tuple[int, str]], line: int, message: str) -> None:
        if (line, message) not in found:
            found.append((line, message))


def media_name(target: str) -> str:
    """``media/Plan%20A.png?x#y`` as the file name below content/: ``media/Plan A.png``."""
    return unquote(target.split("?")[0].split("#")[0])


def _image_line(tok: Token, image: Token, line: int) -> int:
    """The line an image stands on: the block's first line plus the lines before it."""
    at = tok.content.find(f"![{image.content}")
    return line + tok.content.count("\n", 0, at) if at > 0 else line


def _shown(address: str) -> str:
    return address if len(address) <= _SHOWN_ADDRESS else address[: _SHOWN_ADDRESS - 1] + "…"
