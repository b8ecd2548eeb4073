"""Events and organisations of the example site in a real browser, with JavaScript off (de and ar).

The events listing shows the upcoming events grouped by month (not the past one), its filters
are links to pre-rendered pages, and an event page shows its next dates; an organisation's page
lists its offers, events and contacts. No request leaves the site, and axe-core finds no serious
or critical violation on these pages.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LANGS = ("de", "ar")
KIND_LABEL = {"de": "Kommunale Stelle", "ar": "جهة بلدية"}
SERIES_TITLE = {"de": "Frauentreff der Kulturen", "ar": "لقاء النساء من ثقافات مختلفة"}
PAST_TITLE = "Welttag der Migranten 2025"


def _open(new_context, path: str):
    ctx = new_context(java_script_enabled=False)
    page = ctx.page()
    response = ctx.goto(page, path)
    assert response is not None and response.status == 200, f"/{path}: {response and response.status}"
    return ctx, page


@pytest.mark.parametrize("in_lang", LANGS)
def test_events_listing_without_javascript(new_context, site, in_lang):
    lang = in_lang
    ctx, page = _open(new_context, f"{lang}/events/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    main = page.locator("main")
    text = main.inner_text()
    assert PAST_TITLE not in text, "a past event is listed"
    months = main.locator("section h2").all_inner_texts()
    assert len(months) >= 4, months  # December 2026 … November 2027
    cards = main.locator("li.event-card h3 a")
    assert cards.count() == 6, cards.all_inner_texts()
    assert SERIES_TITLE[lang] in cards.all_inner_texts()
    feed = main.locator('a[type="text/calendar"]')
    assert feed.get_attribute("href").endswith("events/events.ics")

    # a filter is a link to a page of its own: women's events only
    if page.locator("details.filters:not([open])").count():
        page.locator("details.filters > summary").first.click()
    page.locator(f'a[href$="{lang}/events/audience/frauen/"]').first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{lang}/events/audience/frauen/")
    filtered = page.locator("main li.event-card h3 a").all_inner_texts()
    assert filtered == [SERIES_TITLE[lang]], filtered

    # the series' page shows its next dates and offers its calendar
    page.locator("main li.event-card h3 a").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{lang}/events/frauentreff-der-kulturen/")
    assert page.locator("main ul.dates li").count() == 6
    assert page.locator('main a[href="frauentreff-der-kulturen.ics"]').count() == 1
    assert not ctx.external and not ctx.failed, (ctx.external, ctx.failed)


@pytest.mark.parametrize("in_lang", LANGS)
def test_organisation_page_without_javascript(new_context, site, in_lang):
    lang = in_lang
    ctx, page = _open(new_context, f"{lang}/organisations/")
    names = page.locator("main li.organisation-card h3 a").all_inner_texts()
    assert "Marokkanischer Kulturverein Sankt Augustin" in names and len(names) == 7, names
    page.locator('main a[href$="organisations/ki-rhein-sieg/"]').first.click()
    page.wait_for_load_state("load")
    main = page.locator("main")
    assert main.locator("h1").inner_text() == "Kommunales Integrationszentrum Rhein-Sieg-Kreis"
    assert KIND_LABEL[lang] in main.inner_text()
    assert main.locator("li.offer-card").count() >= 1  # its offers (provider: ki-rhein-sieg)
    assert main.locator("li.event-card").count() == 3  # its upcoming events, not the past one
    assert PAST_TITLE not in main.inner_text()
    assert main.locator("article.contact-card").count() == 1
    assert not ctx.external and not ctx.failed, (ctx.external, ctx.failed)


@pytest.mark.parametrize("path", ["de/events/", "ar/events/kochen-aus-aller-welt/", "ar/organisations/ifak-bochum/"])
def test_axe_finds_no_serious_violations_on_event_pages(browser, site, axe_path, h, path):
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(site.url(path), wait_until="load")
        page.add_script_tag(path=str(axe_path))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    bad = [v for v in result.get("violations", []) if v.get("impact") in ("serious", "critical")]
    assert not bad, f"axe-core on /{path}:\n" + h.format_axe(bad)
