"""The build's notion of time: one instant, read once, independent of the machine's settings.

The same input must give the same site on any machine, so nothing here reads the local time
zone: "today" (which offers have expired) is the date in the site's own ``timezone``, and
stamps (catalogue dates, calendar DTSTAMP) are UTC. ``SOURCE_DATE_EPOCH`` fixes the instant
for reproducible builds (https://reproducible-builds.org/specs/source-date-epoch/).
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def source_date_epoch() -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return None


def build_time() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds and catalogues), else now; always UTC."""
    return source_date_epoch() or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def calendar_stamp() -> dt.datetime:
    """The DTSTAMP of calendar files: ``SOURCE_DATE_EPOCH`` when set, else the build's UTC day at
    00:00 — so that two builds of the same input on one day give the same bytes on any machine."""
    fixed = source_date_epoch()
    if fixed:
        return fixed
    return build_time().replace(hour=0, minute=0, second=0)


def build_date(timezone: str) -> dt.date:
    """The build instant's date in the site's ``timezone``: decides which offers have expired."""
    try:
        zone: dt.tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.timezone.utc  # unreachable for a checked site.yaml, which names a known zone
    return build_time().astimezone(zone).date()
