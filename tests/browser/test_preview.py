"""`sitegen serve` in Chromium: the page reloads itself after a save, under the site's own
Content-Security-Policy, and a broken save shows its errors on top of the last good page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.preview_process import PreviewProcess

PAGE = "/de/ueber-uns/"
SOURCE = "content/pages/ueber-uns.md"
BROKEN = "content/pages/ueber-uns.md:2: the '[' on this line is never closed: close it with ']' after the last entry"
TIMEOUT_MS = 30_000


@pytest.fixture
def preview(project: Path):  # type: ignore[no-untyped-def]
    running = PreviewProcess(project)
    try:
        running.wait_until_built()
        yield running
    finally:
        running.stop()
    assert "Traceback" not in running.output


def test_a_save_reloads_the_page_and_a_broken_save_shows_its_errors(browser, project: Path, preview) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    context = browser.new_context()
    problems: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(preview.origin + PAGE)
        main = page.locator("main")
        expect(main).to_contain_text("Wir sind ein Verein.")
        source = project / SOURCE
        good = source.read_text()

        source.write_text(good.replace("Wir sind ein Verein.", "Wir sind ein neuer Verein."))
        expect(main).to_contain_text("Wir sind ein neuer Verein.", timeout=TIMEOUT_MS)

        source.write_text("---\ntitle: [kaputt\n---\n")
        overlay = page.locator("#sitegen-preview-errors")
        expect(overlay.locator("li")).to_have_text([BROKEN], timeout=TIMEOUT_MS)
        expect(overlay).to_contain_text("1 error")
        expect(main).to_contain_text("Wir sind ein neuer Verein.")  # the last good page stays

        source.write_text(good.replace("Wir sind ein Verein.", "Wir sind ein reparierter Verein."))
        expect(main).to_contain_text("Wir sind ein reparierter Verein.", timeout=TIMEOUT_MS)
        expect(overlay).to_have_count(0)
        # the reload script ran under the page's own policy: nothing was refused
        assert not [text for text in problems if re.search(r"Content Security Policy|Refused", text)], problems
        assert not problems, problems
    finally:
        context.close()
