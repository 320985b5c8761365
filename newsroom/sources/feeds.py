"""RSS/Atom status feeds: Statuspage `history.atom|rss`, AWS-health style, generic.

Two feed shapes carry outage news, and each entry is classified on its own:

- **Statuspage history** (`<page>/history.atom` or `.rss`): one entry per
  incident, *rewritten in place* on every update. Its content is the update
  log as escaped HTML, newest first::

      <p><small>Jan  1, 09:09 PST</small><br><strong>Resolved</strong> - We have
      restored the system…</p><p><small>Jan  1, 08:17 PST</small>…

  The entry's fingerprint therefore includes its updated time and the newest
  log line's status and time label, so each rewrite is a new change while a
  re-poll of the same rewrite is not.
- **AWS-health style**: every update is its own item (own guid); the state is
  the title prefix ("Service disruption:", "Informational message:", "Service
  is operating normally:", "[RESOLVED]" in the rest of the title).
- Anything else is a generic `FEED_ITEM`.

The state kept between polls is small::

    {"schema": 1, "seen": [fingerprint, ...]}   # newest first, capped

`diff_feed(None, feed)` is the first poll: it records every current entry as
seen and returns no changes. Feeds are parsed by feedparser from bytes only —
never from a `str`, which feedparser may treat as a URL or a local file path.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import xml.sax
from calendar import timegm
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from .types import (
    Change,
    ChangeKind,
    ParseError,
    Severity,
    isoformat_utc,
    parse_timestamp,
)

__all__ = ["diff_feed", "parse_feed"]

STATE_SCHEMA = 1
# Statuspage feeds hold ~25 incidents and AWS feeds a few dozen items; 1000
# remembered fingerprints cover many rewrites of each without growing forever.
SEEN_LIMIT = 1000
# Keys longer than this are shortened with a hash to fit a 255-character column.
KEY_LIMIT = 200
# A drafted quote needs the gist, not a whole postmortem.
TEXT_LIMIT = 2000

_STATUSPAGE_LINE = re.compile(
    r"<small>(?P<when>.*?)</small>\s*(?:<br\s*/?>)?\s*<strong>(?P<status>.*?)</strong>"
    r"\s*(?:-|&ndash;|\u2013)\s*(?P<text>.*?)</p>",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)

# AWS Service Health Dashboard title prefixes → (status, kind, severity).
_AWS_PREFIXES: tuple[tuple[str, str, ChangeKind, Severity], ...] = (
    (
        "service is operating normally",
        "operating_normally",
        ChangeKind.INCIDENT_RESOLVED,
        Severity.MINOR,
    ),
    ("informational message", "informational", ChangeKind.FEED_ITEM, Severity.INFO),
    (
        "performance issues",
        "performance_issues",
        ChangeKind.INCIDENT_UPDATED,
        Severity.MINOR,
    ),
    (
        "service degradation",
        "service_degradation",
        ChangeKind.INCIDENT_UPDATED,
        Severity.MAJOR,
    ),
    (
        "service disruption",
        "service_disruption",
        ChangeKind.INCIDENT_UPDATED,
        Severity.CRITICAL,
    ),
)
_RESOLVED_MARKERS = ("[resolved]", "[解決済]")


def parse_feed(payload: bytes, *, feed_url: str) -> dict[str, Any]:
    """Parse an RSS/Atom document into ``{"title", "link", "entries": [...]}``.

    Each entry is a JSON-serialisable dict with its `fingerprint`, `flavor`
    ("statuspage", "aws" or "generic"), `kind`, `severity`, `status`, `title`,
    `topic`, `text` (plain text of the newest update), `link`, `occurred_at`.
    `feed_url` namespaces keys so two feeds never collide. Raises `ParseError`
    for documents that are not well-formed feeds (HTML pages, truncated XML).
    """
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    if not isinstance(payload, bytes | bytearray):
        raise ParseError(f"feed: expected bytes, got {type(payload).__name__}")
    if not payload.strip():
        raise ParseError("feed: empty response")
    # A stream, never a str: feedparser would fetch a str that looks like a URL.
    parsed = feedparser.parse(io.BytesIO(bytes(payload)))
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and isinstance(problem, xml.sax.SAXException):
        raise ParseError(f"feed: not well-formed XML, possibly truncated ({problem})")
    if not parsed.get("version"):
        if parsed.get("bozo") and problem is not None:
            raise ParseError(f"feed: could not be parsed ({problem})")
        raise ParseError("feed: not an RSS or Atom feed")

    entries = [_parse_entry(entry, feed_url=feed_url) for entry in parsed.entries]
    return {
        "title": _plain(parsed.feed.get("title", "")),
        "link": parsed.feed.get("link"),
        "entries": entries,
    }


def diff_feed(
    previous: Mapping[str, Any] | None, feed: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Change]]:
    """Return the new state and the changes for entries not seen before, oldest first.

    `previous` None (first poll) is a baseline: every entry is remembered and
    nothing is reported. Fingerprints are stable, so re-polling an unchanged
    feed reports nothing.
    """
    fingerprints = [entry["fingerprint"] for entry in feed["entries"]]
    earlier = list(previous.get("seen", [])) if previous else []
    seen_before = set(earlier)
    remembered = list(dict.fromkeys(fingerprints + earlier))[:SEEN_LIMIT]
    state = {"schema": STATE_SCHEMA, "seen": remembered}
    if previous is None:
        return state, []
    changes = [
        _entry_change(entry, feed)
        for entry in feed["entries"]
        if entry["fingerprint"] not in seen_before
    ]
    changes.sort(key=lambda change: change.occurred_at)
    return state, changes


def _entry_change(entry: Mapping[str, Any], feed: Mapping[str, Any]) -> Change:
    return Change(
        kind=ChangeKind(entry["kind"]),
        fingerprint=entry["fingerprint"],
        severity=Severity(entry["severity"]),
        occurred_at=parse_timestamp(entry["occurred_at"], what="feed entry time"),
        title=f"{feed['title'] or 'Status feed'}: {entry['title']}",
        detail={
            "source": "feed",
            "feed_title": feed["title"],
            "flavor": entry["flavor"],
            "entry_id": entry["entry_id"],
            "entry_title": entry["title"],
            "topic": entry["topic"],
            "status": entry["status"],
            "body": entry["text"],
            "update_count": entry["update_count"],
        },
        url=entry["link"],
        group_key=entry["group_key"],
    )


def _parse_entry(entry: Any, *, feed_url: str) -> dict[str, Any]:
    title = _plain(entry.get("title", "")) or "(untitled)"
    link = entry.get("link") or None
    entry_id = entry.get("id") or link or _digest(title)
    moment = _entry_time(entry)
    content = entry.get("content") or []
    body_html = (content[0].get("value") if content else None) or entry.get(
        "summary", ""
    )
    lines = _STATUSPAGE_LINE.findall(body_html)

    if lines:
        when, status_html, text_html = lines[0]  # newest first, as Statuspage writes
        status = _plain(status_html).lower()
        kind = ChangeKind.INCIDENT_UPDATED
        severity = Severity.MINOR  # feeds carry no impact; "look at this"
        if status in ("resolved", "completed"):
            kind = ChangeKind.INCIDENT_RESOLVED
        elif status == "postmortem":
            severity = Severity.INFO
        elif len(lines) == 1:
            kind = ChangeKind.INCIDENT_OPENED
        # Updated time plus the newest line's status and time label: a rewrite
        # with a new update changes it, a typo fix in an old line does not.
        version = f"{isoformat_utc(moment)}:{status}:{_plain(when)}"
        return _entry_dict(
            flavor="statuspage",
            fingerprint=_bounded(f"feed:{entry_id}:{version}"),
            group_key=_bounded(f"feed:{entry_id}"),
            kind=kind,
            severity=severity,
            status=status,
            title=title,
            topic=title,
            text=_plain(text_html),
            link=link,
            entry_id=entry_id,
            occurred_at=moment,
            update_count=len(lines),
        )

    aws = _classify_aws_title(title)
    if aws is not None:
        status, kind, severity, topic = aws
        return _entry_dict(
            flavor="aws",
            # Each AWS item is one update with its own guid: that is the identity.
            fingerprint=_bounded(f"feed:{entry_id}"),
            group_key=_bounded(f"feed:{feed_url}:{topic.lower()}"),
            kind=kind,
            severity=severity,
            status=status,
            title=title,
            topic=topic,
            text=_plain(body_html),
            link=link,
            entry_id=entry_id,
            occurred_at=moment,
            update_count=1,
        )

    return _entry_dict(
        flavor="generic",
        fingerprint=_bounded(f"feed:{entry_id}:{isoformat_utc(moment)}"),
        group_key=_bounded(f"feed:{entry_id}"),
        kind=ChangeKind.FEED_ITEM,
        severity=Severity.INFO,
        status="",
        title=title,
        topic=title,
        text=_plain(body_html),
        link=link,
        entry_id=entry_id,
        occurred_at=moment,
        update_count=1,
    )


def _entry_dict(
    *,
    flavor: str,
    fingerprint: str,
    group_key: str,
    kind: ChangeKind,
    severity: Severity,
    status: str,
    title: str,
    topic: str,
    text: str,
    link: str | None,
    entry_id: str,
    occurred_at: datetime,
    update_count: int,
) -> dict[str, Any]:
    return {
        "flavor": flavor,
        "fingerprint": fingerprint,
        "group_key": group_key,
        "kind": kind.value,
        "severity": severity.value,
        "status": status,
        "title": title,
        "topic": topic,
        "text": text[:TEXT_LIMIT],
        "link": link,
        "entry_id": entry_id,
        "occurred_at": isoformat_utc(occurred_at),
        "update_count": update_count,
    }


def _classify_aws_title(title: str) -> tuple[str, ChangeKind, Severity, str] | None:
    lowered = title.lower()
    for prefix, status, kind, severity in _AWS_PREFIXES:
        if not lowered.startswith(prefix + ":"):
            continue
        rest = title[len(prefix) + 1 :].strip()
        if any(marker in rest.lower() for marker in _RESOLVED_MARKERS):
            kind, status = ChangeKind.INCIDENT_RESOLVED, "resolved"
        # Bilingual titles ("日本語 | English"): the last part is the English one.
        topic = rest.split(" | ")[-1]
        for marker in ("[RESOLVED]", "[解決済]"):
            topic = topic.replace(marker, "")
        return status, kind, severity, topic.strip() or rest
    return None


def _entry_time(entry: Any) -> datetime:
    for key in ("updated_parsed", "published_parsed"):
        # dict.get skips FeedParserDict's deprecated updated→published aliasing.
        value = dict.get(entry, key)
        if value:
            return datetime.fromtimestamp(timegm(value), tz=UTC)
    raise ParseError(f"feed: entry {entry.get('title', '')!r} has no usable date")


def _plain(fragment: str) -> str:
    """HTML fragment → plain text on one line per paragraph, entities decoded."""
    text = _BREAK.sub("\n", fragment or "")
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _bounded(key: str) -> str:
    if len(key) <= KEY_LIMIT:
        return key
    return f"{key[: KEY_LIMIT - 18]}#{_digest(key)}"
