"""The first screen of a phone (360×800) on a partly translated site: the header, the language
switcher with its "partly translated" marks and the notice leave room for the first offer.

The example site is fully translated, so this builds tests/golden/project (six languages, catalogues
with translated, fuzzy and missing texts) once and serves it.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.conftest import GOLDEN_PROJECT, build_once

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}
MARK = {"de": "teilweise übersetzt", "ar": "مترجمة جزئيًا"}  # the theme catalogues' "partly translated"


@pytest.fixture(scope="module")
def partial_site(tmp_path_factory: pytest.TempPathFactory, h):
    out = build_once(GOLDEN_PROJECT, tmp_path_factory.mktemp("golden-served") / "_site", search=False).out
    handler = type("Handler", (h.Handler,), {"base_path": "/"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.langs("de", "ar")
def test_first_offer_is_on_the_first_screen_of_a_phone(browser, partial_site: str, lang: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(f"{partial_site}{lang}/offers/")
        if lang != "de":
            assert page.locator("main .notice").count() == 1, "the golden listing is partly translated"
        marks = page.locator(".languages .partial")
        assert marks.count() >= 1
        # Marked briefly and in the reader's language: a small mark, its words for screen readers.
        first = marks.first
        assert first.get_attribute("lang") == lang and MARK[lang] in (first.get_attribute("title") or "")
        assert MARK[lang] in first.text_content()
        assert first.bounding_box()["width"] < 16
        # The first offer's title and the start of its summary are on the first screen.
        card = page.locator("main .offer-card").first
        title = card.locator("h3").bounding_box()
        summary = card.locator("p").first.bounding_box()
        assert title["y"] + title["height"] <= PHONE["height"], (
            f"/{lang}/offers/: the first offer's title ends at {title['y'] + title['height']:.0f} px, below the first screen")
        assert summary["y"] + 40 <= PHONE["height"], f"/{lang}/offers/: the first offer's summary starts at {summary['y']:.0f} px"
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 220, f"the header takes {header['height']:.0f} px"
        # No separator left dangling at a line's end in the notice's language list.
        for notice in page.locator("main .notice").all():
            assert "·" not in notice.inner_text()
    finally:
        context.close()
