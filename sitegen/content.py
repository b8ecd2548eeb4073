"""Stage 1: read ``content/`` into validated entries; every problem of every file at once."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NoReturn, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markdown_it import MarkdownIt

from . import yamlio
from .body_checks import load_body
from .clock import build_date
from .errors import BuildError, Problem, Report
from .fields import ID_PATTERN, Fields, is_language
from .memo import FileMemo
from .events import read_event, read_organisation, sort_events, with_upcoming
from .model import Contact, Content, Event, Msg, Offer, Organisation, Page, Publisher, SiteConfig
from .spelling import did_you_mean, language_hint
from .symlinks import refuse_symlinks

RESERVED_PAGE_IDS = {"offers", "contacts", "search", "status", "events", "organisations"}
T = TypeVar("T")
CONTENT_KINDS = {"offers": ".md", "contacts": ".yaml", "pages": ".md", "events": ".md", "organisations": ".yaml"}


def load_content(
    root: Path, report: Report, md: MarkdownIt, today: dt.date | None = None,
    on_site: Callable[[SiteConfig], None] | None = None, memo: FileMemo | None = None,
) -> Content:  # fmt: skip
    """Read and check the whole project; drafts and expired offers are left out here.

    ``today`` decides expiry; by default it is the build date in the site's time zone.
    ``on_site`` hears ``site.yaml``'s settings as soon as they are read, before the entries are
    (the pipeline starts reading the catalogues of its languages then). With a ``memo``
    (`sitegen serve`), a file unchanged since the last load is not read again: its entry and its
    problems come from the memo. The checks across files run on every load.
    """
    site = read_site(root, report)
    listed = {kind: _files(root, kind, report) for kind in CONTENT_KINDS}
    if site is None:
        _stop_after_syntax_check(listed, report)
    if on_site is not None:
        on_site(site)
    today = today or build_date(site.timezone)
    read = _Reader(memo, report, listed)
    contacts = read("contacts", site, lambda p: _contact(p, site, report))
    contact_ids = {c.id for c in contacts}
    unloaded = {p.stem for p in listed["contacts"]} - contact_ids
    offers = read("offers", (site, contact_ids, unloaded), lambda p: _offer(p, site, contact_ids, report, md, unloaded))
    pages = read("pages", None, lambda f: _page(f, report, md))
    contact_sets = (contact_ids, unloaded)
    organisations = read("organisations", (site, contact_sets), lambda p: _organisation(p, site, report, contact_sets))
    org_sets = ({o.id for o in organisations}, {p.stem for p in listed["organisations"]} - {o.id for o in organisations})
    events = read("events", (site, contact_sets, org_sets), lambda p: _event(p, site, report, md, contact_sets, org_sets))
    # a file that exists but failed to load has its own error; links to it are no further error
    _cross_check([*offers, *events], pages, {f"{kind}/{p.name}" for kind, paths in listed.items() for p in paths}, report)
    published = []
    for offer in offers:
        if offer.draft:
            continue
        if offer.valid_until and offer.valid_until < today:
            report.warn(offer.path, 1, f"expired on {offer.valid_until.isoformat()}; left out of the site")
            continue
        published.append(offer)
    _warn_links_to_unpublished(offers, published, pages, report)
    # past events are left out without a warning: passing is what events do (see docs/operating.md)
    upcoming = [e for e in (with_upcoming(e, today) for e in events if not e.draft) if e.upcoming]
    return Content(site, tuple(published), tuple(contacts), tuple(pages), sort_events(upcoming),
                   tuple(organisations), bool(listed["events"]))  # fmt: skip


class _Reader:
    """Reads each file of a kind of entry, or takes it from the memo; the entries that loaded."""

    def __init__(self, memo: FileMemo | None, report: Report, listed: dict[str, list[Path]]) -> None:
        self.memo, self.report, self.listed = memo, report, listed

    def __call__(self, kind: str, depends: object, read: Callable[[Path], T | None]) -> list[T]:
        if self.memo is None:  # `sitegen build`: every file once, nothing kept
            return [e for p in self.listed[kind] if (e := read(p))]
        self.memo.begin(kind, depends)
        found = [e for p in self.listed[kind] if (e := self.memo.read(kind, p, self.report, partial(read, p)))]
        self.memo.end(kind)
        return found


def _stop_after_syntax_check(listed: dict[str, list[Path]], report: Report) -> NoReturn:
    """Fields can't be checked against a broken site.yaml, but every file's syntax can: all at once."""
    for path in (*listed["offers"], *listed["pages"], *listed["events"]):
        _front_matter(path, report)
    for path in (*listed["contacts"], *listed["organisations"]):
        read_yaml(path, report)
    raise BuildError(report.errors, report.warnings)


def _warn_links_to_unpublished(offers: list[Offer], published: list[Offer], pages: list[Page], report: Report) -> None:
    """A link to a draft or an expired offer would lead nowhere: readers get the offers listing."""
    hidden = {f"offers/{o.id}.md" for o in offers} - {f"offers/{o.id}.md" for o in published}
    for entry in (*published, *pages):
        for href, line in entry.body.links:
            if content_link_target(href, entry.path.parent.name) in hidden:
                report.warn(entry.path, line, f"link to '{href}': that offer is a draft or has expired; the link leads to the offers listing")


def read_yaml(path: Path, report: Report, text: str | None = None, first_line: int = 1) -> yamlio.Node | None:
    """The YAML of ``path`` (or ``text``, its front matter from ``first_line``); None if unreadable.

    An empty document is an empty mapping. Control characters in keys and values are reported
    here, once for every field, whatever field reads them later.
    """
    try:
        text = yamlio.read_source(path) if text is None else text
        node = yamlio.parse(text, first_line)
    except yamlio.YamlError as exc:
        report.error(path, exc.line, exc.message)
        return None
    for line, message in yamlio.refused_characters_in(node):
        report.error(path, line, message)
    return node if node is not None else yamlio.Node({}, first_line, {})


def load_site(root: Path, report: Report) -> SiteConfig:
    """site.yaml, stopping the run if it has errors: nothing else can be checked against it."""
    site = read_site(root, report)
    if site is None:
        raise BuildError(report.errors, report.warnings)
    return site


def read_site(root: Path, report: Report) -> SiteConfig | None:
    """site.yaml, or None if it has errors (they are in the report)."""
    errors_before = len(report.errors)
    path = root / "content" / "site.yaml"
    if not root.is_dir():
        report.errors.append(Problem(root.as_posix(), 0, "no such folder"))
        report.raise_if_errors()
    refuse_symlinks(root, report)  # before anything is read: a link is never followed
    if not path.is_file():
        report.error(path, 0, "missing: every project needs content/site.yaml (run 'sitegen init' to start one)")
        report.raise_if_errors()
    node = read_yaml(path, report)
    if node is None:
        return None  # unreadable: its fields would all look missing
    f = Fields(report, path, node, country="DE")
    country = (f.text("country") or "DE").upper()
    f.country = country
    source = f.text("source_language") or "de"
    langs = f.languages("languages") or (source,)
    if not is_language(source):
        f.error(f.line("source_language"), f"'source_language' is not a language code: '{source}'{language_hint(source)}")
    elif source not in langs:
        f.error(f.line("languages"), f"'languages' must include the source language '{source}'")
    base_url = f.url("base_url") or "https://example.org/"
    if not f.values.get("base_url"):
        f.error(node.line, "'base_url' is required: the address the site is published at")
    site = SiteConfig(
        root=root,
        title=f.msg("title", required=True) or Msg("", 1, "title"),
        tagline=f.msg("tagline"),
        base_url=base_url.rstrip("/") + "/",
        source_language=source,
        country=country,
        languages=langs,
        timezone=f.text("timezone") or "Europe/Berlin",
        publisher=_publisher(f),
        categories=_taxonomy(f, "categories"),
        audiences=_taxonomy(f, "audiences"),
        theme=f.text("theme"),
        path=path,
        organisation_kinds=_taxonomy(f, "organisation_kinds"),
    )
    _check_timezone(f, site.timezone)
    f.finish()
    return site if len(report.errors) == errors_before else None


def _check_timezone(f: Fields, name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        f.error(f.line("timezone"), f"unknown time zone '{name}'; write e.g. Europe/Berlin")


def _publisher(f: Fields) -> Publisher | None:
    sub = f.sub("publisher")
    if sub is None:
        return None
    result = Publisher(sub.text("name", True) or "", sub.text("street"), sub.text("postal_code"),
                       sub.text("city"), sub.phone("phone"), sub.email("email"))  # fmt: skip
    sub.finish()
    return result


def _taxonomy(f: Fields, key: str) -> dict[str, Msg]:
    sub = f.sub(key)
    if sub is None:
        return {}
    found = {}
    for name, line in sub.node.keys_or_empty().items():
        if not ID_PATTERN.fullmatch(name):
            sub.error(line, f"'{key}' key '{name}' may only use a-z, 0-9 and '-'")
        elif label := sub.msg(name, required=True):
            found[name] = label
    return found


def _files(root: Path, kind: str, report: Report) -> list[Path]:
    folder = root / "content" / kind
    if not folder.is_dir():
        return []
    found = []
    # scandir knows which entries are folders without a stat of each (5 000 offers: a tenth of
    # a second of every preview save); names in one folder sort as their paths do.
    with os.scandir(folder) as entries:
        listed = sorted((entry.name, entry.is_dir()) for entry in entries)
    for name, is_dir in listed:
        if name.startswith(".") or is_dir:
            continue
        path = folder / name
        if path.suffix != CONTENT_KINDS[kind]:
            report.warn(path, 0, f"ignored: files in content/{kind}/ end with {CONTENT_KINDS[kind]}")
        elif not ID_PATTERN.fullmatch(path.stem):
            report.error(path, 0, f"file name '{path.stem}' is not a valid id: use only a-z, 0-9 and '-' (it becomes the address of the page)")
        else:
            found.append(path)
    return found


def _front_matter(path: Path, report: Report) -> tuple[yamlio.Node | None, str, int]:
    """Split ``---`` front matter from the body; returns (front matter, body, body's first line)."""
    try:
        text = yamlio.read_source(path)
    except yamlio.YamlError as exc:
        report.error(path, exc.line, exc.message)
        return None, "", 1
    lines = text.split("\n")  # not splitlines(): like YAML and editors, count only \n as a line break
    if lines[0].strip() != "---":
        report.error(path, 1, "must start with '---', the front matter (title, summary …), and '---' again")
        return None, "", 1
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            node = read_yaml(path, report, "\n".join(lines[1:i]), first_line=2)
            return node, "\n".join(lines[i + 1 :]), i + 2
    report.error(path, 1, "the front matter has no closing '---' line")
    return None, "", 1


def _offer(path: Path, site: SiteConfig, contact_ids: set[str], report: Report, md: MarkdownIt,
           unloaded_contacts: set[str]) -> Offer | None:  # fmt: skip
    node, body, body_line = _front_matter(path, report)
    if node is None:
        return None
    f = Fields(report, path, node, country=site.country)
    cost_text = f.text("cost")
    offer = Offer(
        id=path.stem,
        path=path,
        title=f.msg("title", required=True) or Msg("", 1, "title"),
        summary=f.msg("summary", required=True, max_len=300) or Msg("", 1, "summary"),
        category=f.key("category", site.categories, "category", required=True) or "",
        body=load_body(md, body, body_line, path, report),
        audiences=f.keys("audiences", site.audiences, "audience"),
        languages_spoken=f.languages("languages_spoken"),
        provider=f.text("provider"),
        contacts=tuple(_contact_ids(f, contact_ids, unloaded_contacts)),
        address=f.address(),
        hours=f.hours(),
        cost=Msg(cost_text, f.line("cost"), "cost") if cost_text and cost_text.lower() != "free" else None,
        cost_free=bool(cost_text) and cost_text.lower() == "free",
        registration=f.registration(),
        dates=f.dates(),
        updated=f.date("updated"),
        valid_until=f.date("valid_until"),
        draft=f.boolean("draft"),
    )
    f.finish()
    return offer


def _contact_ids(f: Fields, known: set[str], unloaded: set[str]) -> list[str]:
    """The offer's contacts that loaded; one whose file has errors is left out without another error."""
    found = []
    for value, line in f.words("contacts"):
        if value in known:
            found.append(value)
        elif value not in unloaded:
            hint = did_you_mean(value, known | unloaded)
            f.error(line, f"unknown contact '{value}': there is no content/contacts/{value}.yaml{hint}")
    return found


def _contact(path: Path, site: SiteConfig, report: Report) -> Contact | None:
    node = read_yaml(path, report)
    if node is None:
        return None
    if node.value == {}:
        report.error(path, 1, "is empty")
        return None
    f = Fields(report, path, node, country=site.country)
    if "name" not in f.values:
        f.error(node.line, "'name' is required (write name: \"\" for a contact that is only a role)")
    contact = Contact(
        id=path.stem,
        path=path,
        name=f.text("name"),
        role=f.msg("role"),
        organisation=f.text("organisation"),
        address=f.address(),
        phone=f.phone("phone"),
        mobile=f.phone("mobile"),
        fax=f.phone("fax"),
        email=f.email("email"),
        website=f.url("website"),
        languages_spoken=f.languages("languages_spoken"),
        hours=f.hours(),
    )
    if not contact.name and not contact.role:
        f.error(node.line, "a contact needs a 'name' or a 'role'")
    f.finish()
    return contact


def _page(path: Path, report: Report, md: MarkdownIt) -> Page | None:
    node, body, body_line = _front_matter(path, report)
    if node is None:
        return None
    if path.stem in RESERVED_PAGE_IDS:
        report.error(path, 0, f"'{path.stem}' is reserved for a page the site makes itself; rename the file")
    f = Fields(report, path, node)
    page = Page(path.stem, path, f.msg("title", required=True) or Msg("", 1, "title"),
                load_body(md, body, body_line, path, report), f.boolean("translate", True))  # fmt: skip
    f.finish()
    return page


def _event(path: Path, site: SiteConfig, report: Report, md: MarkdownIt, contacts: tuple[set[str], set[str]],
           organisations: tuple[set[str], set[str]]) -> Event | None:  # fmt: skip
    node, body, body_line = _front_matter(path, report)
    if node is None:
        return None
    return read_event(path, node, body, body_line, site, report, md, contacts, organisations)


def _organisation(path: Path, site: SiteConfig, report: Report, contacts: tuple[set[str], set[str]]) -> Organisation | None:
    node = read_yaml(path, report)
    if node is None:
        return None
    return read_organisation(path, node, site, report, contacts)


def _cross_check(offers: list[Offer] | list[Offer | Event], pages: list[Page], known: set[str], report: Report) -> None:
    """What single files can't know: links between entries point at files in content/ (``kind/name``)."""
    for entry in (*offers, *pages):
        for href, line in entry.body.links:
            target = content_link_target(href, entry.path.parent.name)
            if target is not None and target not in known:
                report.error(entry.path, line, f"link to '{href}': no such entry in content/")


def content_link_target(href: str, folder: str) -> str | None:
    """The ``kind/id.ext`` an editor's relative link points at, or None for other links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    if not parts.path.endswith((".md", ".yaml")):
        return None
    return posixpath.normpath(posixpath.join(folder, parts.path))
