"""Bare addresses inside quotation marks: «https://www.bamf.de/de», „info@drk.de“.

markdown-it links bare addresses with linkify-it, which takes a closing quotation mark right
after an address for part of its path (``«https://www.bamf.de/de»`` linked to
``https://www.bamf.de/de%C2%BB``, a page that doesn't exist) and links no e-mail address right
after an opening quotation mark. German („…“, »…«), French and Russian («…») and English (“…”)
texts quote addresses that way, so the German page got a broken link, and a translation that
quotes the address in its own language's marks was reported as changing the link target.
"""

from __future__ import annotations

from linkify_it import LinkifyIt
from linkify_it.main import Match

QUOTATION_MARKS = "«»‹›„“”‚‘’"  # opening and closing, as the six languages of the site use them


class QuotedLinkify(LinkifyIt):
    """linkify-it, with quotation marks around an address not part of it."""

    def _on_compile(self) -> None:
        """linkify-it's hook for changing its patterns: an e-mail address may follow a quotation mark."""
        start = "(^|"
        template = self.re["tpl_email_fuzzy"]
        if template.startswith(start):
            self.re["tpl_email_fuzzy"] = f"{start}[{QUOTATION_MARKS}]|{template[len(start):]}"

    def match(self, text: str) -> list[Match] | None:
        found = super().match(text)
        return [without_closing_quote(m) for m in found] if found else found

    def match_at_start(self, text: str) -> Match | None:
        found = super().match_at_start(text)
        return without_closing_quote(found) if found else found


def without_closing_quote(match: Match) -> Match:
    """The match without the quotation marks linkify-it read as the end of its address."""
    cut = len(match.raw) - len(match.raw.rstrip(QUOTATION_MARKS))
    if cut:
        tail = match.raw[-cut:]
        match.last_index -= cut
        match.raw = match.raw[:-cut]
        match.text = match.text.removesuffix(tail)
        match.url = match.url.removesuffix(tail)
    return match
