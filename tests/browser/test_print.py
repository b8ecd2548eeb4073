"""Printing an offer gives a one-page A4 handout, in every language (the print stylesheet)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.langs("fr", "ru", "de", "ar")  # the three longest offer pages of the example, and right to left
def test_every_offer_prints_on_one_page(new_context, site, lang):
    ctx = new_context()
    page = ctx.page()
    longer = {}
    for offer in site.offers[lang]:
        ctx.goto(page, f"{lang}/offers/{offer}/")
        pdf = page.pdf(format="A4")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        if pages != 1:
            longer[offer] = pages
    assert site.offers[lang], f"no offers built in {lang}"
    assert longer == {}, f"{lang}: offers that print on more than one A4 page: {longer}"
