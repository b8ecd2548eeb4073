"""The pixel size of an image file, read from its header: PNG, JPEG, GIF, WebP and SVG.

Read here rather than with Pillow (a large C library that decodes every format) or imagesize
(small, but it skips the JPEG orientation and reads SVG sizes in any unit): a few dozen lines per
format, no dependency, and a damaged file becomes a message, never a traceback. Only headers are
read, so a 5 MB photo costs a few reads.

A JPEG from a phone is often stored sideways with an EXIF orientation that browsers apply; its
width and height are swapped here as the browser will show it, or the page would jump anyway.
"""

from __future__ import annotations

import re
import struct
from typing import BinaryIO

FORMATS = {"png": ("png",), "jpeg": ("jpg", "jpeg"), "gif": ("gif",), "webp": ("webp",), "svg": ("svg",)}
# EXIF orientations 5 to 8 turn the image by 90 degrees.
_TURNED = frozenset({5, 6, 7, 8})
# JPEG markers that start a frame (and so carry its size): SOF0–SOF15 but DHT, JPG and DAC.
_START_OF_FRAME = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_SVG_START = re.compile(rb"<svg\b([^>]*)>", re.IGNORECASE)
_SVG_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SVG_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*")
# What an SVG opened on its own (not in <img>) could run or load; the site publishes none of it.
_SVG_ACTIVE = re.compile(rb"<script|<foreignObject|<!ENTITY|\son[a-z]+\s*=|(?:href|url)\s*[=(]\s*[\"']?\s*(?!data:)(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)  # fmt: skip
SVG_READ_LIMIT = 1_000_000  # bytes; an SVG icon or plan is far smaller


class ImageError(ValueError):
    """Why a file can't be published as an image, in words for the editor."""


def image_format(head: bytes) -> str | None:
    """The format of a file from its first bytes (at least 16), or None if none of ours."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")):
        return "svg"
    return None


def image_size(file: BinaryIO) -> tuple[str, int, int]:
    """(format, width, height) of the image in ``file``, as a browser shows it."""
    head = file.read(32)
    kind = image_format(head)
    if kind is None:
        raise ImageError("is not a PNG, JPEG, GIF, WebP or SVG image")
    file.seek(0)
    width, height = {"png": _png, "jpeg": _jpeg, "gif": _gif, "webp": _webp, "svg": _svg}[kind](file)
    if width <= 0 or height <= 0:
        raise ImageError(f"is a {kind.upper()} image without a width and height")
    return kind, width, height


def _read(file: BinaryIO, count: int) -> bytes:
    data = file.read(count)
    if len(data) < count:
        raise ImageError("ends too early: the file is damaged or was not saved completely")
    return data


def _png(file: BinaryIO) -> tuple[int, int]:
    header = _read(file, 24)
    if header[12:16] != b"IHDR":
        raise ImageError("is a damaged PNG image: its header is missing")
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _gif(file: BinaryIO) -> tuple[int, int]:
    width, height = struct.unpack("<HH", _read(file, 10)[6:10])
    return width, height


def _webp(file: BinaryIO) -> tuple[int, int]:
    header = file.read(30)
    chunk = header[12:16]
    if len(header) < (25 if chunk == b"VP8L" else 30):
        raise ImageError("ends too early: the file is damaged or was not saved completely")
    if chunk == b"VP8 ":  # lossy: 14-bit sizes after the key frame's start code
        width, height = struct.unpack("<HH", header[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":  # lossless: two 14-bit sizes minus one, packed after a signature byte
        bits = int.from_bytes(header[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":  # extended: the canvas, 24-bit sizes minus one
        return int.from_bytes(header[24:27], "little") + 1, int.from_bytes(header[27:30], "little") + 1
    raise ImageError("is a WebP image of a kind browsers don't show")


def _jpeg(file: BinaryIO) -> tuple[int, int]:
    """Walk the JPEG's segments up to its frame header; note the EXIF orientation on the way."""
    file.seek(2)
    turned = False
    while True:
        marker = _read(file, 2)
        while marker[1] == 0xFF:  # fill bytes before a marker
            marker = marker[1:] + _read(file, 1)
        if marker[0] != 0xFF or marker[1] in (0xD9, 0xDA):  # end of image, or data before any frame
            raise ImageError("is a damaged JPEG image: no frame header before its image data")
        (length,) = struct.unpack(">H", _read(file, 2))
        if length < 2:
            raise ImageError("is a damaged JPEG image")
        if marker[1] in _START_OF_FRAME:
            height, width = struct.unpack(">HH", _read(file, 5)[1:5])
            return (height, width) if turned else (width, height)
        segment = _read(file, length - 2)
        if marker[1] == 0xE1 and segment.startswith(b"Exif\0\0"):
            turned = exif_orientation(segment[6:]) in _TURNED


def exif_orientation(tiff: bytes) -> int:
    """The orientation tag (1–8) of an EXIF block's first directory; 1 (upright) if absent."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return 1
    (offset,) = struct.unpack(order + "I", tiff[4:8])
    if offset + 2 > len(tiff):
        return 1
    (count,) = struct.unpack(order + "H", tiff[offset : offset + 2])
    for i in range(count):
        entry = tiff[offset + 2 + 12 * i : offset + 14 + 12 * i]
        if len(entry) < 12:
            break
        tag, kind = struct.unpack(order + "HH", entry[:4])
        if tag == 0x0112 and kind == 3:  # orientation, a SHORT
            return int(struct.unpack(order + "H", entry[8:10])[0])
    return 1


def _svg(file: BinaryIO) -> tuple[int, int]:
    """The size an SVG's root element gives (width and height in pixels, else its viewBox)."""
    data = file.read(SVG_READ_LIMIT + 1)
    if len(data) > SVG_READ_LIMIT:
        raise ImageError(f"is an SVG image larger than {SVG_READ_LIMIT // 1000:,} KB; save it as PNG or WebP")
    if _SVG_ACTIVE.search(data):
        raise ImageError("is an SVG image with scripts, entities or addresses on other hosts: "
                         "the site publishes only self-contained SVG images (save it again as plain SVG, or as PNG)")  # fmt: skip
    start = _SVG_START.search(data)
    if start is None:
        raise ImageError("is not an SVG image: it has no <svg> element")
    attributes = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
                  for m in _SVG_ATTRIBUTE.finditer(start.group(1).decode("utf-8", errors="replace"))}  # fmt: skip
    width, height = (_svg_pixels(attributes.get(name)) for name in ("width", "height"))
    if width and height:
        return round(width), round(height)
    box = (attributes.get("viewbox") or "").replace(",", " ").split()
    try:
        box_width, box_height = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        raise ImageError('is an SVG image without a size: give its <svg> element width="…" and height="…" in pixels, or a viewBox') from None  # fmt: skip
    if width:  # one side given: the other keeps the viewBox's proportions
        return round(width), round(width * box_height / box_width) if box_width else 0
    if height:
        return round(height * box_width / box_height) if box_height else 0, round(height)
    return round(box_width), round(box_height)


def _svg_pixels(value: str | None) -> float | None:
    """A length in pixels (``120`` or ``120px``); None for other units (``50%``, ``3em``)."""
    match = _SVG_LENGTH.fullmatch(value or "")
    return float(match.group(1)) if match else None
