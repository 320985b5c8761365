"""Shared vocabulary of the outage-signal core: severities, change kinds, changes.

Every source parser (Statuspage API, status feeds, HTTP probes, user-report
counts, inbound webhooks) turns what it reads into a list of `Change`s. A
`Change` is plain data — no Django, no database — so the import worker can
store it, dedupe it and draft a suggestion from it.

Invariants every parser keeps:
- `Change.fingerprint` is stable: the same fact imported twice (two polls, or a
  poll and a webhook) yields the same string, so a unique constraint on it makes
  the second import a no-op.
- `Change.group_key` names the story a change belongs to (usually one incident);
  changes that arrive together with the same key are drafted as one suggestion.
- `Change.occurred_at` is timezone-aware UTC.
- `Change.detail` is JSON-serialisable (str, int, float, bool, None, list, dict).
- Malformed, truncated or wrong-type input raises `ParseError`, never
  `KeyError`/`TypeError`, so the worker can record a readable health message.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from liveblog.rendering import strip_control_characters

__all__ = [
    "Change",
    "ChangeKind",
    "ParseError",
    "Severity",
    "decode_json",
    "isoformat_utc",
    "parse_timestamp",
]


def _without_control_characters(value: Any) -> Any:
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list):
        return [_without_control_characters(item) for item in value]
    if isinstance(value, dict):
        return {
            _without_control_characters(key): _without_control_characters(item)
            for key, item in value.items()
        }
    return value


class ParseError(Exception):
    """Input from a source could not be understood.

    The message is meant for an editor looking at the source's health on the
    desk, e.g. "summary.json: 'components' should be a list, got str".
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Severity(enum.StrEnum):
    """How much a change matters to the story, ordered info < minor < major < critical.

    Severity is about newsworthiness, not about whether the news is good: the
    end of a critical outage is as important to readers as its start.
    """

    INFO = "info"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for info up to 3 for critical."""
        return _SEVERITY_ORDER.index(self)

    # StrEnum inherits str's alphabetical ordering ("critical" < "info"), which
    # would silently sort severities wrongly; compare by rank instead.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_SEVERITY_ORDER = (Severity.INFO, Severity.MINOR, Severity.MAJOR, Severity.CRITICAL)


class ChangeKind(enum.StrEnum):
    """What happened, independent of which kind of source told us."""

    INCIDENT_OPENED = "incident_opened"
    INCIDENT_UPDATED = "incident_updated"
    INCIDENT_RESOLVED = "incident_resolved"
    COMPONENT_STATUS = "component_status"
    INDICATOR_CHANGED = "indicator_changed"
    PROBE_DOWN = "probe_down"
    PROBE_UP = "probe_up"
    REPORT_SPIKE = "report_spike"
    FEED_ITEM = "feed_item"


# Fingerprints end up in a unique database column; keep them comfortably under
# the 255 characters a CharField index allows on every supported database.
FINGERPRINT_MAX_LENGTH = 255


@dataclass(frozen=True)
class Change:
    """One meaningful change reported by a source.

    Invariants (checked on construction): `occurred_at` is aware and stored in
    UTC, `fingerprint` and `group_key` are non-empty and at most
    `FINGERPRINT_MAX_LENGTH` characters, `detail` survives `json.dumps`.
    """

    kind: ChangeKind
    fingerprint: str
    severity: Severity
    occurred_at: datetime
    title: str
    detail: dict[str, Any] = field(default_factory=dict)
    url: str | None = None
    group_key: str = ""

    def __post_init__(self) -> None:
        if self.occurred_at.tzinfo is None or self.occurred_at.utcoffset() is None:
            raise ValueError("Change.occurred_at must be timezone-aware")
        # Frozen dataclass: normalise through object.__setattr__.
        object.__setattr__(self, "occurred_at", self.occurred_at.astimezone(UTC))
        object.__setattr__(self, "kind", ChangeKind(self.kind))
        object.__setattr__(self, "severity", Severity(self.severity))
        # Source text is untrusted: control characters (NUL above all, which
        # PostgreSQL refuses in text and JSON) never reach the database.
        for name in ("fingerprint", "group_key", "title"):
            object.__setattr__(self, name, strip_control_characters(getattr(self, name)))
        object.__setattr__(self, "detail", _without_control_characters(self.detail))
        if not self.group_key:
            object.__setattr__(self, "group_key", self.fingerprint)
        for name in ("fingerprint", "group_key"):
            value = getattr(self, name)
            if not value or len(value) > FINGERPRINT_MAX_LENGTH:
                raise ValueError(
                    f"Change.{name} must be 1..{FINGERPRINT_MAX_LENGTH} characters"
                )
        try:
            json.dumps(self.detail)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"Change.detail is not JSON-serialisable: {error}"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; `Change.from_dict` reverses it exactly."""
        return {
            "kind": self.kind.value,
            "fingerprint": self.fingerprint,
            "severity": self.severity.value,
            "occurred_at": isoformat_utc(self.occurred_at),
            "title": self.title,
            "detail": self.detail,
            "url": self.url,
            "group_key": self.group_key,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        """Rebuild a change from `to_dict` output (e.g. after a Celery hop)."""
        return cls(
            kind=ChangeKind(data["kind"]),
            fingerprint=data["fingerprint"],
            severity=Severity(data["severity"]),
            occurred_at=parse_timestamp(data["occurred_at"], what="occurred_at"),
            title=data["title"],
            detail=data.get("detail") or {},
            url=data.get("url"),
            group_key=data.get("group_key") or data["fingerprint"],
        )


def parse_timestamp(value: object, *, what: str = "timestamp") -> datetime:
    """Parse an ISO 8601 timestamp with an offset (or "Z") into an aware UTC datetime.

    A naive timestamp is refused: guessing its zone would shift an outage's
    times by hours. Raises `ParseError` naming `what` on bad input.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ParseError(
                f"{what}: {value!r} is not an ISO 8601 timestamp"
            ) from None
    else:
        raise ParseError(
            f"{what}: expected an ISO 8601 timestamp, got {_describe(value)}"
        )
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ParseError(f"{what}: {value!r} has no time zone offset")
    return parsed.astimezone(UTC)


def decode_json(payload: bytes | str | object, *, what: str) -> Any:
    """Decode a JSON document from bytes or text; already-decoded values pass through.

    Empty, truncated or otherwise invalid JSON raises `ParseError` naming `what`
    and where decoding stopped, so "truncated at byte 4096" is visible on the desk.
    """
    if isinstance(payload, bytes | bytearray):
        try:
            text = bytes(payload).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ParseError(f"{what}: not UTF-8 text ({error.reason})") from None
    elif isinstance(payload, str):
        text = payload
    else:
        return payload
    if not text.strip():
        raise ParseError(f"{what}: empty response")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(
            f"{what}: invalid or truncated JSON ({error.msg} at line {error.lineno}"
            f" column {error.colno})"
        ) from None


def isoformat_utc(moment: datetime) -> str:
    """Render an aware datetime as "2020-04-02T20:26:36.354000Z" (UTC, microseconds)."""
    return (
        moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    )


def _describe(value: object) -> str:
    """A short description of an unexpected value for error messages."""
    if value is None:
        return "null"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"
