"""`sitegen serve` in Chromium: the page reloads itself after a save, under the site's own
Content-Security-Policy, and a broken save shows its errors on top of the last good page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.preview_process import PreviewProcess, running_preview, wait_for

PAGE = "/de/ueber-uns/"
SOURCE = "content/pages/ueber-uns.md"
BROKEN = "content/pages/ueber-uns.md:2: the '[' on this line is never closed: close it with ']' after the last entry"
TIMEOUT_MS = 30_000


@pytest.fixture
def preview(project: Path):  # type: ignore[no-untyped-def]
    with running_preview(project) as running:
        yield running


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


def test_the_page_in_view_reloads_first_and_the_rest_follows(browser, project: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The tab names its page; a save renders it before the rest of the site, and once the rest is
    done the served folder is what `sitegen build --no-search` writes."""
    from playwright.sync_api import expect

    from sitegen.pipeline import build_site

    temp = tmp_path / "tmp"
    temp.mkdir()
    running = PreviewProcess(project, temp=temp)
    context = browser.new_context()
    try:
        running.wait_until_built()
        page = context.new_page()
        page.goto(running.origin + "/de/offers/deutsch-muetter/")
        heading = page.locator("h1")
        expect(heading).to_have_text("Deutschkurs für Mütter")
        offer = project / "content/offers/deutsch-muetter.md"
        offer.write_text(offer.read_text().replace("title: Deutschkurs für Mütter", "title: Deutschkurs für Eltern"))
        expect(heading).to_have_text("Deutschkurs für Eltern", timeout=TIMEOUT_MS)
        assert wait_for(lambda: "rebuilt /de/offers/deutsch-muetter/ in" in running.output), running.output
        assert "; the other " in running.output
        served = next(temp.iterdir()) / "site"
        built = build_site(project, tmp_path / "built", search=False).out
        files = {p.relative_to(served).as_posix(): p.read_bytes() for p in served.rglob("*") if p.is_file()}
        assert files == {p.relative_to(built).as_posix(): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    finally:
        context.close()
        running.stop()
    assert "Traceback" not in running.output
