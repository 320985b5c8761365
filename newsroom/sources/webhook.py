"""Inbound webhooks: Statuspage's notifications and Livedesk's own generic shape.

**Statuspage** webhook bodies carry no `type` field; the key tells them apart:
- ``component_update`` (+ ``component``): a component changed status;
- ``incident`` (with all its ``incident_updates``): an incident changed.

They become the *same* `Change`s (same fingerprints, kinds and group keys) as
polling the same page would give, through the functions `statuspage.py` uses,
so a webhook and a poll of one change dedupe on the fingerprint. An incident
webhook yields a change for every update it carries: the ones already stored
are dropped by the unique constraint, and a missed earlier webhook is healed.
Statuspage webhooks do not carry the page's name or URL; pass the source's.

**Livedesk generic** webhook, for monitors and partners that can POST JSON::

    {
      "event_id": "deploy-mon-7f3a",        # required, unique per sender, <= 200
      "status": "down" | "degraded" | "up" | "info",   # required
      "title": "Checkout API failing",      # required, plain text, <= 300
      "body": "Error rate 45% since 14:02", # optional, plain text, <= 5000
      "url": "https://status.example.com/", # optional, http(s)
      "occurred_at": "2024-09-16T21:31:02Z",# required, ISO 8601 with offset
      "incident_id": "inc-42",              # optional: groups related events
      "severity": "info|minor|major|critical"  # optional override
    }

Fingerprint ``webhook:<source_key>:<event_id>`` (a sender retrying the same
event id is one change); group key ``webhook:<source_key>:<incident_id or
event_id>``. Unknown fields are ignored; bad shapes raise `ParseError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import statuspage
from .types import (
    Change,
    ChangeKind,
    ParseError,
    Severity,
    decode_json,
    parse_timestamp,
)

__all__ = ["parse_generic_webhook", "parse_statuspage_webhook", "parse_webhook"]

GENERIC_STATUSES: dict[str, tuple[ChangeKind, Severity]] = {
    "down": (ChangeKind.INCIDENT_OPENED, Severity.MAJOR),
    "degraded": (ChangeKind.INCIDENT_UPDATED, Severity.MINOR),
    "up": (ChangeKind.INCIDENT_RESOLVED, Severity.MAJOR),
    "info": (ChangeKind.FEED_ITEM, Severity.INFO),
}
EVENT_ID_LIMIT = 200  # leaves room for the prefix within a 255-character fingerprint
TITLE_LIMIT = 300
BODY_LIMIT = 5000


def parse_webhook(
    payload: bytes | str | Mapping[str, Any],
    *,
    source_key: str,
    page_name: str | None = None,
    page_url: str | None = None,
) -> list[Change]:
    """Dispatch a webhook body to the Statuspage or generic parser by its keys."""
    data = decode_json(payload, what="webhook")
    if not isinstance(data, Mapping):
        raise ParseError(f"webhook: expected a JSON object, got {type(data).__name__}")
    if "component_update" in data or "incident" in data:
        return parse_statuspage_webhook(data, page_name=page_name, page_url=page_url)
    if "event_id" in data:
        return parse_generic_webhook(data, source_key=source_key)
    raise ParseError(
        "webhook: unrecognised body; expected a Statuspage 'incident' or "
        "'component_update', or a Livedesk 'event_id'"
    )


def parse_statuspage_webhook(
    payload: bytes | str | Mapping[str, Any],
    *,
    page_name: str | None = None,
    page_url: str | None = None,
) -> list[Change]:
    """Changes from a Statuspage incident or component webhook, oldest first."""
    data = decode_json(payload, what="Statuspage webhook")
    if not isinstance(data, Mapping):
        raise ParseError("Statuspage webhook: expected a JSON object")
    raw_page = data.get("page")
    if not isinstance(raw_page, Mapping) or not isinstance(raw_page.get("id"), str):
        raise ParseError("Statuspage webhook: missing page.id")
    page = {"id": raw_page["id"], "name": page_name or "", "url": page_url}

    if "incident" in data:
        incident = statuspage.normalise_incident(
            data["incident"], what="Statuspage webhook: incident", page_url=page_url
        )
        if not incident["updates"]:
            raise ParseError("Statuspage webhook: incident has no incident_updates")
        return statuspage.incident_changes(page, incident)

    update = data.get("component_update")
    component = data.get("component")
    if not isinstance(update, Mapping) or not isinstance(component, Mapping):
        raise ParseError(
            "Statuspage webhook: component_update needs a 'component' object"
        )
    for key in ("component_id", "new_status", "created_at"):
        if not isinstance(update.get(key), str) or not update[key]:
            raise ParseError(f"Statuspage webhook: component_update.{key} is missing")
    old_status = update.get("old_status")
    return [
        statuspage.component_change(
            page,
            component_id=update["component_id"],
            component_name=str(component.get("name") or update["component_id"]),
            group_name=None,
            old_status=old_status if isinstance(old_status, str) else None,
            new_status=update["new_status"],
            changed_at=parse_timestamp(
                update["created_at"], what="component_update.created_at"
            ),
        )
    ]


def parse_generic_webhook(
    payload: bytes | str | Mapping[str, Any], *, source_key: str
) -> list[Change]:
    """One change from a Livedesk generic webhook body (shape: module docstring)."""
    data = decode_json(payload, what="webhook")
    if not isinstance(data, Mapping):
        raise ParseError("webhook: expected a JSON object")
    event_id = _required_text(data, "event_id", EVENT_ID_LIMIT)
    status = _required_text(data, "status", 20)
    if status not in GENERIC_STATUSES:
        raise ParseError(
            f"webhook: status {status!r} is not one of {', '.join(GENERIC_STATUSES)}"
        )
    kind, severity = GENERIC_STATUSES[status]
    if "severity" in data and data["severity"] is not None:
        try:
            severity = Severity(data["severity"])
        except ValueError:
            raise ParseError(
                f"webhook: severity {data['severity']!r} is unknown"
            ) from None
    title = _required_text(data, "title", TITLE_LIMIT)
    body = _optional_text(data, "body", BODY_LIMIT) or ""
    url = _optional_text(data, "url", 2000)
    if url is not None and not url.startswith(("http://", "https://")):
        raise ParseError("webhook: url must start with http:// or https://")
    incident_id = _optional_text(data, "incident_id", EVENT_ID_LIMIT)
    occurred_at = parse_timestamp(data.get("occurred_at"), what="webhook: occurred_at")
    return [
        Change(
            kind=kind,
            fingerprint=f"webhook:{source_key}:{event_id}"[:255],
            severity=severity,
            occurred_at=occurred_at,
            title=title,
            detail={
                "source": "webhook",
                "event_id": event_id,
                "status": status,
                "title": title,
                "body": body,
                "incident_id": incident_id,
            },
            url=url,
            group_key=f"webhook:{source_key}:{incident_id or event_id}"[:255],
        )
    ]


def _required_text(data: Mapping[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ParseError(f"webhook: '{key}' must be a non-empty string")
    if len(value) > limit:
        raise ParseError(f"webhook: '{key}' is longer than {limit} characters")
    return value.strip()


def _optional_text(data: Mapping[str, Any], key: str, limit: int) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParseError(f"webhook: '{key}' must be a string")
    if len(value) > limit:
        raise ParseError(f"webhook: '{key}' is longer than {limit} characters")
    return value.strip() or None
