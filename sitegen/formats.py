"""Files for other programs: vCards (RFC 6350). Calendars (iCalendar) are in sitegen.calendars.

Everything here is a pure function of the content, one language and the build date, so the same
input gives byte-identical files: UIDs are derived from the site address and the entry, and the
calendar's DTSTAMP is the build time in UTC (``SOURCE_DATE_EPOCH`` when set).

Texts are escaped by each format's own rules (RFC 6350 and RFC 5545 TEXT values), and no text
can add a line of its own: a line break in a translation becomes ``\\n``, other control
characters are dropped, so a translated role or title can't add properties or events.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

from .languages import Language
from .model import Address, Contact, SiteConfig, Slot

# Control characters other than tab; a line break is escaped before these are dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


# --- shared text helpers ---------------------------------------------------------------------
def hours_lines(language: Language, slots: tuple[Slot, ...]) -> list[str]:
    """Hours as lines of plain text in the reader's language, e.g. 'Montag, 09:00–12:00 Uhr'."""
    lines = []
    for slot in slots:
        parts = [language.fmt.slot_days(slot)]
        if slot.start and slot.end:
            parts.append(language.fmt.slot_time(slot))
        if slot.note:
            parts.append(language.publish(slot.note).text)
        lines.append(", ".join(parts))
    return lines


def _fold(line: str) -> bytes:
    """One content line, folded at 75 octets without splitting a UTF-8 sequence (both RFCs).

    A raw CR or LF would end the line and start a property of its own, so none survives here.
    """
    line = _CONTROL.sub("", line)
    out, current, size = [], [], 0
    # An escape such as "\\," stays on one line, for readers that unescape before unfolding.
    units = re.findall(r"\\.|.", line, re.S)
    for char in units:
        n = len(char.encode())
        if size + n > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += n
    out.append("".join(current))
    return "\r\n".join(out).encode() + b"\r\n"


def _escape(value: str) -> str:
    """TEXT value escaping shared by vCard and iCalendar: backslash, comma, semicolon, newline.

    A CR LF, a bare CR and the Unicode line separators are line breaks too.
    """
    value = re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _param(value: str) -> str:
    """A parameter value: quoted when it has characters that would end it."""
    value = _CONTROL.sub(" ", value.replace('"', "'"))
    return f'"{value}"' if any(ch in value for ch in ":;,") else value


def _lines(lines: list[str]) -> bytes:
    return b"".join(_fold(line) for line in lines)


def _host(site: SiteConfig) -> str:
    return urlsplit(site.base_url).hostname or "localhost"


# --- vCard 4.0 (RFC 6350) --------------------------------------------------------------------
def vcard(contact: Contact, site: SiteConfig, language: Language, url: str) -> bytes:
    """The contact as a vCard 4.0 in ``language``; ``url`` is the vCard's own address (its SOURCE)."""
    fmt = language.fmt
    published = language.publish(contact.role)
    role, role_lang = published.text, published.lang
    lines = ["BEGIN:VCARD", "VERSION:4.0"]
    if contact.name:
        lines.append(f"FN:{_escape(contact.name)}")
        given, _, family = contact.name.strip().rpartition(" ")
        lines.append(f"N:{_escape(family)};{_escape(given)};;;")
    else:
        # A role-only contact: its function is the name people see.
        lines.append(f"FN;LANGUAGE={role_lang}:{_escape(role or contact.organisation or contact.id)}")
    if contact.organisation:
        lines.append(f"ORG:{_escape(contact.organisation)}")
    if role and contact.name:
        lines.append(f"TITLE;LANGUAGE={role_lang}:{_escape(role)}")
    if contact.address:
        lines.append(_adr(contact.address, site, language))
    for phone, kind in ((contact.phone, '"work,voice"'), (contact.mobile, '"cell,voice"'), (contact.fax, "fax")):
        if phone:
            pref = ";PREF=1" if phone is contact.phone else ""
            lines.append(f"TEL;VALUE=uri;TYPE={kind}{pref}:tel:{phone.e164}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=work:{contact.email}")
    for i, code in enumerate(contact.languages_spoken, 1):
        lines.append(f"LANG;PREF={i}:{code}")
    if contact.website:
        lines.append(f"URL;TYPE=work:{contact.website}")
    if contact.hours:
        note = "\n".join(hours_lines(language, contact.hours))
        lines.append(f"NOTE;LANGUAGE={fmt.lang}:{_escape(note)}")
    lines.append(f"SOURCE:{url}")
    # A name, not an address: the same UID in every language, unchanged since the first release.
    lines.append(f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{site.base_url}contacts/{contact.id}')}")
    lines.append("END:VCARD")
    return _lines(lines)


def _adr(addr: Address, site: SiteConfig, language: Language) -> str:
    room = language.publish(addr.room).text
    extended = ", ".join(x for x in (addr.name, room) if x)
    country = language.fmt.locale.territories.get(site.country, site.country)
    parts = ["", extended, addr.street, addr.city, "", addr.postal_code, country]
    label = "\n".join(x for x in (addr.name, addr.street, f"{addr.postal_code} {addr.city}") if x)
    return f"ADR;TYPE=work;LABEL={_param(label.replace(chr(10), ', '))}:" + ";".join(_escape(p) for p in parts)
