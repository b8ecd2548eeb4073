"""Images from the site itself: files in content/media/, published at /media/, with their size,
a translatable description, and nothing loaded from other hosts."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest

from sitegen.image_size import ImageError, image_size

from .badinput import assert_rejected, problems, run
from .conftest import OFFER, write_tree

HEAD = OFFER[: OFFER.index("---\n", 4) + 4]  # the offer's front matter: its body starts on line 14
OFFER_PATH = "content/offers/deutsch-muetter.md"
PO_HEADER = 'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Plural-Forms: {plural}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'  # fmt: skip


def png(width: int, height: int, extra: int = 0) -> bytes:
    """A valid PNG of ``width`` x ``height`` black pixels, ``extra`` bytes of comment longer."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\0\0\0" * width for _ in range(height))
    comment = chunk(b"tEXt", b"Comment\0" + b"x" * extra) if extra else b""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + comment
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    """The segments of a JPEG up to its frame header, with an EXIF orientation if given."""
    out = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    if orientation:
        tiff = b"MM\0*" + struct.pack(">I", 8) + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + b"\0\0\0\0"  # fmt: skip
        out += b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\0\0" + tiff
    return out + b"\xff\xc2" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\0" + b"\xff\xd9"


def webp(chunk: bytes, data: bytes) -> bytes:
    body = b"WEBP" + chunk + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def size_of(data: bytes) -> tuple[str, int, int]:
    return image_size(io.BytesIO(data))


def page_body(root: Path, lang: str) -> str:
    page = (root / "_site" / lang / "offers" / "deutsch-muetter" / "index.html").read_text(encoding="utf-8")
    start = page.index('<div class="body">\n') + len('<div class="body">\n')
    return page[start : page.index("\n</div>", start)]


def warnings(err: str) -> list[str]:
    return [line for line in problems(err) if line.startswith("warning: content/")]


# --- sizes read from the file ---


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (png(3, 2), ("png", 3, 2)),
        (b"GIF89a" + struct.pack("<HH", 640, 480) + b"\0" * 6, ("gif", 640, 480)),
        (jpeg(4000, 3000), ("jpeg", 4000, 3000)),
        (jpeg(4000, 3000, orientation=6), ("jpeg", 3000, 4000)),  # a phone photo stored sideways
        (jpeg(4000, 3000, orientation=3), ("jpeg", 4000, 3000)),  # upside down: same size
        (webp(b"VP8 ", b"\0" * 3 + b"\x9d\x01\x2a" + struct.pack("<HH", 800, 600)), ("webp", 800, 600)),
        (webp(b"VP8L", b"\x2f" + ((799) | (599 << 14)).to_bytes(4, "little")), ("webp", 800, 600)),
        (webp(b"VP8X", b"\x10\0\0\0" + (799).to_bytes(3, "little") + (599).to_bytes(3, "little")), ("webp", 800, 600)),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="80"></svg>', ("svg", 120, 80)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"><path d="M0 0"/></svg>', ("svg", 300, 150)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0,0,30,15"></svg>', ("svg", 30, 15)),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="60" viewBox="0 0 30 15"></svg>', ("svg", 60, 30)),
    ],
    ids=["png", "gif", "jpeg", "jpeg-turned", "jpeg-upside-down", "webp-lossy", "webp-lossless", "webp-extended",
         "svg-size", "svg-viewbox", "svg-percent", "svg-one-side"],
)  # fmt: skip
def test_the_size_is_read_from_the_header(data: bytes, size: tuple[str, int, int]) -> None:
    assert size_of(data) == size


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n", "is not a PNG, JPEG, GIF, WebP or SVG image"),
        (png(3, 2)[:20], "ends too early: the file is damaged or was not saved completely"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xda\0\x02", "is a damaged JPEG image: no frame header before its image data"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', 'is an SVG image without a size: give its <svg> element width="…" and height="…" in pixels, or a viewBox'),
        (b'<svg width="1" height="1"><script>alert(1)</script></svg>', "is an SVG image with scripts, entities or addresses on other hosts: the site publishes only self-contained SVG images (save it again as plain SVG, or as PNG)"),
        (b'<svg width="1" height="1" onload="x()"></svg>', "is an SVG image with scripts, entities or addresses on other hosts: the site publishes only self-contained SVG images (save it again as plain SVG, or as PNG)"),
        (b'<svg width="1" height="1"><image href="https://tracker.example/p.png"/></svg>', "is an SVG image with scripts, entities or addresses on other hosts: the site publishes only self-contained SVG images (save it again as plain SVG, or as PNG)"),
    ],
    ids=["pdf", "short-png", "jpeg-without-frame", "svg-without-size", "svg-script", "svg-handler", "svg-remote"],
)  # fmt: skip
def test_a_file_that_is_no_publishable_image_is_named(data: bytes, message: str) -> None:
    with pytest.raises(ImageError) as caught:
        size_of(data)
    assert str(caught.value) == message


def test_an_svg_with_an_embedded_picture_is_fine() -> None:
    data = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="2" height="1"><image xlink:href="data:image/png;base64,AAAA"/><use href="#a"/></svg>'  # fmt: skip
    assert size_of(data) == ("svg", 2, 1)


# --- an image on the page, in every language ---


def test_an_image_is_published_with_its_size_and_translated_description(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    (project / "content" / "media").mkdir(parents=True)
    (project / "content" / "media" / "lageplan.png").write_bytes(png(3, 2))
    write_tree(project, {
        OFFER_PATH: HEAD + "Wir lernen gemeinsam.\n\n![Lageplan: Eingang an der Rückseite](../media/lageplan.png)\n\n"
                           "Klingeln Sie ![Klingel](../media/lageplan.png \"Klingel\") unten.\n",
        "locales/en/LC_MESSAGES/messages.po": PO_HEADER.format(lang="en", plural="nplurals=2; plural=(n != 1);")
        + 'msgid "Lageplan: Eingang an der Rückseite"\nmsgstr "Site plan: entrance at the back"\n\n'
        + 'msgid "Klingeln Sie ![Klingel](../media/lageplan.png \\"Klingel\\") unten."\n'
        + 'msgstr "Ring ![the bell](../media/lageplan.png \\"Bell\\") downstairs."\n',
    })  # fmt: skip
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert (code, warnings(err)) == (0, []), err
    assert (project / "_site" / "media" / "lageplan.png").read_bytes() == png(3, 2)
    img = 'src="../../../media/lageplan.png" alt="{}" width="3" height="2" loading="lazy"'
    assert page_body(project, "de") == (
        "<p>Wir lernen gemeinsam.</p>\n"
        f"<p><img {img.format('Lageplan: Eingang an der Rückseite')}></p>\n"
        '<p>Klingeln Sie <img src="../../../media/lageplan.png" alt="Klingel" title="Klingel" width="3" height="2" loading="lazy"> unten.</p>\n'
    )  # fmt: skip
    assert page_body(project, "en") == (
        '<p><span lang="de">Wir lernen gemeinsam.</span></p>\n'
        f"<p><img {img.format('Site plan: entrance at the back')}></p>\n"
        '<p>Ring <img src="../../../media/lageplan.png" alt="the bell" title="Bell" width="3" height="2" loading="lazy"> downstairs.</p>\n'
    )  # fmt: skip
    assert page_body(project, "ar") == (
        '<p><span lang="de" dir="ltr">Wir lernen gemeinsam.</span></p>\n'
        f'<p><span lang="de" dir="ltr"><img {img.format("Lageplan: Eingang an der Rückseite")}></span></p>\n'
        '<p><span lang="de" dir="ltr">Klingeln Sie <img src="../../../media/lageplan.png" alt="Klingel" title="Klingel" width="3" height="2" loading="lazy"> unten.</span></p>\n'
    )  # fmt: skip


def test_the_description_is_a_message_with_its_line(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / "content" / "media").mkdir(parents=True)
    (project / "content" / "media" / "plan.png").write_bytes(png(3, 2))
    write_tree(project, {OFFER_PATH: HEAD + "Text.\n\n![Lageplan\nmit Eingang](../media/plan.png)\n"})
    code, _, err = run(capsys, "extract", str(project))
    assert code == 0, err
    pot = (project / "locales" / "messages.pot").read_text(encoding="utf-8")
    assert '#. body image description\n#: content/offers/deutsch-muetter.md:16\nmsgid "Lageplan mit Eingang"\n' in pot


def test_an_image_in_a_translation_that_its_source_does_not_show_stays_text(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    (project / "content" / "media").mkdir(parents=True)
    (project / "content" / "media" / "plan.png").write_bytes(png(3, 2))
    write_tree(project, {
        OFFER_PATH: HEAD + "Text.\n",
        "locales/en/LC_MESSAGES/messages.po": PO_HEADER.format(lang="en", plural="nplurals=2; plural=(n != 1);")
        + 'msgid "Text."\nmsgstr "Text ![Plan](../media/plan.png)."\n',
    })  # fmt: skip
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 0, err
    assert "link targets differ from the source: not in the source '../media/plan.png'" in err
    assert page_body(project, "en") == '<p><span lang="de">Text.</span></p>\n'


def test_a_link_to_a_file_in_media_leads_to_it(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / "content" / "media").mkdir(parents=True)
    (project / "content" / "media" / "flyer.pdf").write_bytes(b"%PDF-1.7\n")
    write_tree(project, {OFFER_PATH: HEAD + "Der [Flyer](../media/flyer.pdf) als PDF.\n"})
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 0, err
    assert page_body(project, "ar") == (
        '<p><span lang="de" dir="ltr">Der <a href="../../../media/flyer.pdf" rel="noopener noreferrer">Flyer</a> als PDF.</span></p>\n'
    )
    assert (project / "_site" / "media" / "flyer.pdf").read_bytes() == b"%PDF-1.7\n"


# --- the rules ---


def test_every_broken_image_rule_is_an_error_with_its_line(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    media = project / "content" / "media"
    media.mkdir(parents=True)
    (media / "plan.png").write_bytes(png(3, 2))
    (media / "foto.png").write_bytes(jpeg(30, 20))
    (media / "text.png").write_bytes(b"kein Bild")
    bad = {OFFER_PATH: HEAD + (
        "![Logo](https://other.host/a.png)\n\n"  # 14
        "![](../media/plan.png)\n\n"  # 16
        "![Plan](media/plan.png) und ![Plan](/media/plan.png)\n\n"  # 18
        "![Plan](../media/fehlt.png)\n\n"  # 20
        "![Foto](../media/foto.png)\n\n"  # 22
        "![Text](../media/text.png)\n\n"  # 24
        "Ein Absatz\nmit ![Bild][bild] in Zeile 27.\n\n"  # 26, 27
        "[Flyer](../media/flyer.pdf)\n\n"  # 29
        "[bild]: //cdn.example/b.png\n"  # 31
    )}  # fmt: skip
    expected = [
        f"{OFFER_PATH}:14: image 'https://other.host/a.png' is not on this site: the site loads nothing from other hosts (privacy, metered connections); save the image in content/media/ and write ![…](../media/name.png)",
        f"{OFFER_PATH}:16: image '../media/plan.png' has no description: write what it shows between the brackets, ![Lageplan: Eingang an der Rückseite](../media/plan.png); a picture that only decorates belongs in the theme, not in the text",
        f"{OFFER_PATH}:18: image '/media/plan.png' is not in content/media/: save it there and write its path from this file, ../media/plan.png",
        f"{OFFER_PATH}:18: image 'media/plan.png' is not in content/media/: save it there and write its path from this file, ../media/plan.png",
        f"{OFFER_PATH}:20: image '../media/fehlt.png': there is no file content/media/fehlt.png (file names are case-sensitive)",
        f"{OFFER_PATH}:22: image '../media/foto.png': content/media/foto.png holds a JPEG image; rename the file to end in .jpg, or browsers may not show it",
        f"{OFFER_PATH}:24: image '../media/text.png': content/media/text.png is not a PNG, JPEG, GIF, WebP or SVG image",
        f"{OFFER_PATH}:29: link to '../media/flyer.pdf': there is no file content/media/flyer.pdf (file names are case-sensitive)",
        f"{OFFER_PATH}:31: image '//cdn.example/b.png' is not on this site: the site loads nothing from other hosts (privacy, metered connections); save the image in content/media/ and write ![…](../media/name.png)",
    ]  # fmt: skip
    assert_rejected(capsys, project, bad, expected, "check")


def test_an_image_over_the_budget_is_a_warning(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / "content" / "media").mkdir(parents=True)
    (project / "content" / "media" / "gross.png").write_bytes(png(3, 2, extra=250_000))
    write_tree(project, {OFFER_PATH: HEAD + "Text.\n\n![Großes Foto](../media/gross.png)\n"})
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert (code, warnings(err)) == (0, [
        f"warning: {OFFER_PATH}:16: image '../media/gross.png' has 250 KB; keep an image under 200 KB: readers on metered phones pay for every byte (save it smaller, e.g. 1200 pixels wide as JPEG or WebP)",
    ]), err  # fmt: skip
    code, _, err = run(capsys, "build", str(project), "--no-search", "--strict")
    assert code == 1, err


def test_a_symbolic_link_in_media_is_refused(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / "content" / "media").mkdir(parents=True)
    (project / "content" / "media" / "plan.png").symlink_to("/etc/passwd")
    write_tree(project, {OFFER_PATH: HEAD + "![Plan](../media/plan.png)\n"})
    code, _, err = run(capsys, "check", str(project))
    assert (code, problems(err)) == (1, ["content/media/plan.png: is a symbolic link; sitegen never follows links: replace it with the file itself"]), err  # fmt: skip
