"""The search page finds offers through the Pagefind index, in the reader's language."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("language", "query"), [("de", "Hausaufgaben"), ("en", "homework"), ("ar", "الواجبات")])
def test_search_finds_the_homework_offer(new_context, language: str, query: str) -> None:
    ctx = new_context()
    page = ctx.page()
    ctx.goto(page, f"{language}/search/")
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    result = page.locator("#search-results a", has_text="").first
    result.wait_for(timeout=10_000)
    hrefs = page.locator("#search-results a").evaluate_all("links => links.map(a => a.href)")
    assert any(href.endswith(f"/{language}/offers/hausaufgabenhilfe-borken/") for href in hrefs), hrefs
    assert page.locator("#search-status").inner_text().strip()
    assert ctx.external == [] and ctx.page_errors == [] and ctx.failed == []


def test_search_without_javascript_offers_the_topics(new_context) -> None:
    ctx = new_context(java_script_enabled=False)
    page = ctx.page()
    ctx.goto(page, "de/search/")
    assert not page.locator("#search-form").is_visible()
    assert page.locator("#search-nojs a[href*='offers/category/']").count() >= 3
