"""Statuspage v2 API: parse `summary.json` / `incidents.json`, diff two snapshots.

Polling keeps the previous *snapshot* (a plain JSON-serialisable dict, stored by
the caller) and compares it with the current one. The snapshot looks like::

    {
      "schema": 1,
      "kind": "summary" | "incidents",   # which endpoint it came from
      "observed_at": "2020-04-02T20:37:10.000000Z",
      "page": {"id", "name", "url", "time_zone", "updated_at"},
      "indicator": "none|minor|major|critical|<unknown kept as-is>" | None,
      "indicator_description": "Partial System Outage" | None,
      "components": {component_id: {"id", "name", "status", "group_id",
                                    "is_group", "position", "updated_at"}},
      "incidents": {incident_id: {"id", "name", "status", "impact", "created_at",
                                  "started_at", "updated_at", "resolved_at", "url",
                                  "component_ids": [...],
                                  "updates": [  # newest first, as Statuspage sends
                                    {"id", "status", "body", "created_at",
                                     "display_at", "affected_components":
                                       [{"id", "name", "old_status", "new_status"}]}]}}
    }

Unknown fields are dropped; unknown enum values (a new component status, say)
are kept as-is and treated as the nearest sensible severity (`MINOR`: "something
is not normal"), so a vendor's new vocabulary never breaks polling.

Fingerprints (shared with `webhook.py`, so a webhook and a poll of the same
change dedupe):
- incident update: ``statuspage:<page>:incident:<incident>:update:<update>``;
- incident resolved: ``statuspage:<page>:incident:<incident>:resolved`` — one
  per incident, not per update, because `summary.json` only lists unresolved
  incidents: a poll often learns of a resolution only because the incident
  vanished, without ever seeing the resolving update. Keying resolution on the
  incident makes that inferred change, the resolving update seen in
  `incidents.json` and the webhook all the same fact. (An incident reopened and
  resolved again is deduped into the first resolution; rare, and accepted.)
- component: ``statuspage:<page>:component:<component>:<new_status>:<time>``
  where time is when the component changed, truncated to the second: webhooks
  carry whole seconds (`component_update.created_at`) while `summary.json`
  carries milliseconds (`component.updated_at`) for the same instant.
- indicator: ``statuspage:<page>:indicator:<new>:<page updated_at>``.

Group keys: ``statuspage:<page>:incident:<incident>`` for an incident's changes;
component and indicator changes join the incident that lists the component (or
the only incident that changed in the same poll), else
``statuspage:<page>:status``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from .types import (
    Change,
    ChangeKind,
    ParseError,
    Severity,
    decode_json,
    isoformat_utc,
    parse_timestamp,
)

__all__ = [
    "COMPONENT_STATUS_SEVERITY",
    "IMPACT_SEVERITY",
    "component_change",
    "component_fingerprint",
    "diff_snapshots",
    "incident_changes",
    "incident_resolved_fingerprint",
    "incident_update_fingerprint",
    "normalise_incident",
    "parse_incidents",
    "parse_summary",
]

SNAPSHOT_SCHEMA = 1

OPERATIONAL = "operational"
COMPONENT_STATUS_SEVERITY: dict[str, Severity] = {
    "operational": Severity.INFO,
    "under_maintenance": Severity.INFO,
    "degraded_performance": Severity.MINOR,
    "partial_outage": Severity.MAJOR,
    "major_outage": Severity.CRITICAL,
}
# Incident impact and the page indicator share one vocabulary.
IMPACT_SEVERITY: dict[str, Severity] = {
    "none": Severity.INFO,
    "maintenance": Severity.INFO,
    "minor": Severity.MINOR,
    "major": Severity.MAJOR,
    "critical": Severity.CRITICAL,
}
# An unknown value means the vendor says *something*; "minor" gets it onto the
# desk without shouting.
UNKNOWN_SEVERITY = Severity.MINOR
# "completed" is the maintenance counterpart of "resolved".
RESOLVED_STATUSES = frozenset({"resolved", "completed"})
POSTMORTEM_STATUS = "postmortem"


def parse_summary(
    payload: bytes | str | Mapping[str, Any], *, observed_at: datetime | None = None
) -> dict[str, Any]:
    """Parse `/api/v2/summary.json` into a snapshot (see module docstring).

    `summary.json` lists only unresolved incidents; `diff_snapshots` relies on
    that to infer resolutions. Raises `ParseError` on malformed input.
    """
    return _parse(payload, kind="summary", observed_at=observed_at)


def parse_incidents(
    payload: bytes | str | Mapping[str, Any], *, observed_at: datetime | None = None
) -> dict[str, Any]:
    """Parse `/api/v2/incidents.json` (recent incidents, resolved ones included).

    The snapshot has no components and `indicator` None; incidents that drop
    off the end of the list are not treated as resolved.
    """
    return _parse(payload, kind="incidents", observed_at=observed_at)


def _parse(
    payload: bytes | str | Mapping[str, Any], *, kind: str, observed_at: datetime | None
) -> dict[str, Any]:
    what = f"{kind}.json"
    data = _mapping(decode_json(payload, what=what), what)
    page = _parse_page(data.get("page"), what=f"{what}: page")

    indicator: str | None = None
    indicator_description: str | None = None
    components: dict[str, dict[str, Any]] = {}
    if kind == "summary":
        status = _mapping(data.get("status"), f"{what}: status")
        indicator = _text(status.get("indicator"), f"{what}: status.indicator")
        indicator_description = _optional_text(
            status.get("description"), f"{what}: status.description"
        )
        for index, raw in enumerate(
            _list(data.get("components"), f"{what}: components")
        ):
            component = _parse_component(raw, what=f"{what}: components[{index}]")
            components[component["id"]] = component

    incidents: dict[str, dict[str, Any]] = {}
    for index, raw in enumerate(_list(data.get("incidents"), f"{what}: incidents")):
        incident = normalise_incident(
            raw, what=f"{what}: incidents[{index}]", page_url=page["url"]
        )
        incidents[incident["id"]] = incident

    return {
        "schema": SNAPSHOT_SCHEMA,
        "kind": kind,
        "observed_at": isoformat_utc(observed_at or datetime.now(UTC)),
        "page": page,
        "indicator": indicator,
        "indicator_description": indicator_description,
        "components": components,
        "incidents": incidents,
    }


def _parse_page(raw: object, *, what: str) -> dict[str, Any]:
    page = _mapping(raw, what)
    updated_at = page.get("updated_at")
    return {
        "id": _text(page.get("id"), f"{what}.id"),
        "name": _optional_text(page.get("name"), f"{what}.name") or "",
        "url": _optional_text(page.get("url"), f"{what}.url"),
        "time_zone": _optional_text(page.get("time_zone"), f"{what}.time_zone"),
        "updated_at": _optional_time(updated_at, f"{what}.updated_at"),
    }


def _parse_component(raw: object, *, what: str) -> dict[str, Any]:
    component = _mapping(raw, what)
    position = component.get("position")
    return {
        "id": _text(component.get("id"), f"{what}.id"),
        "name": _text(component.get("name"), f"{what}.name"),
        "status": _text(component.get("status"), f"{what}.status"),
        "group_id": _optional_text(component.get("group_id"), f"{what}.group_id"),
        "is_group": component.get("group") is True,
        "position": position if isinstance(position, int) else None,
        "updated_at": _optional_time(component.get("updated_at"), f"{what}.updated_at"),
    }


def normalise_incident(
    raw: object, *, what: str = "incident", page_url: str | None = None
) -> dict[str, Any]:
    """Normalise one Statuspage incident object (API or webhook) for a snapshot.

    Timestamps become UTC ISO strings, updates stay newest first, and each
    update's `affected_components` keeps Statuspage's old → new order.
    """
    incident = _mapping(raw, what)
    incident_id = _text(incident.get("id"), f"{what}.id")
    updates = [
        _parse_update(item, what=f"{what}.incident_updates[{index}]")
        for index, item in enumerate(
            _list(incident.get("incident_updates") or [], f"{what}.incident_updates")
        )
    ]
    # Statuspage sends newest first; sort defensively so "first update" and
    # "newest update" never depend on a vendor's ordering.
    updates.sort(
        key=lambda update: (update["created_at"] or "", update["id"]), reverse=True
    )
    component_ids = []
    for index, item in enumerate(
        _list(incident.get("components") or [], f"{what}.components")
    ):
        component = _mapping(item, f"{what}.components[{index}]")
        component_ids.append(
            _text(component.get("id"), f"{what}.components[{index}].id")
        )
    shortlink = _optional_text(incident.get("shortlink"), f"{what}.shortlink")
    url = shortlink or (
        f"{page_url.rstrip('/')}/incidents/{incident_id}" if page_url else None
    )
    return {
        "id": incident_id,
        "name": _optional_text(incident.get("name"), f"{what}.name") or "",
        "status": _text(incident.get("status"), f"{what}.status"),
        "impact": _optional_text(incident.get("impact"), f"{what}.impact") or "none",
        "created_at": _optional_time(incident.get("created_at"), f"{what}.created_at"),
        "started_at": _optional_time(
            incident.get("started_at") or incident.get("created_at"),
            f"{what}.started_at",
        ),
        "updated_at": _optional_time(incident.get("updated_at"), f"{what}.updated_at"),
        "resolved_at": _optional_time(
            incident.get("resolved_at"), f"{what}.resolved_at"
        ),
        "url": url,
        "component_ids": component_ids,
        "updates": updates,
    }


def _parse_update(raw: object, *, what: str) -> dict[str, Any]:
    update = _mapping(raw, what)
    affected = []
    for index, item in enumerate(
        _list(update.get("affected_components") or [], f"{what}.affected_components")
    ):
        entry = _mapping(item, f"{what}.affected_components[{index}]")
        affected.append(
            {
                "id": _text(
                    entry.get("code"), f"{what}.affected_components[{index}].code"
                ),
                "name": _optional_text(entry.get("name"), f"{what}.name") or "",
                "old_status": _optional_text(
                    entry.get("old_status"), f"{what}.old_status"
                ),
                "new_status": _optional_text(
                    entry.get("new_status"), f"{what}.new_status"
                ),
            }
        )
    return {
        "id": _text(update.get("id"), f"{what}.id"),
        "status": _text(update.get("status"), f"{what}.status"),
        "body": _optional_text(update.get("body"), f"{what}.body") or "",
        "created_at": _optional_time(update.get("created_at"), f"{what}.created_at"),
        "display_at": _optional_time(update.get("display_at"), f"{what}.display_at"),
        "affected_components": affected,
    }


# --- fingerprints -----------------------------------------------------------


def incident_update_fingerprint(page_id: str, incident_id: str, update_id: str) -> str:
    """Fingerprint of one incident update (opened or updated)."""
    return f"statuspage:{page_id}:incident:{incident_id}:update:{update_id}"


def incident_resolved_fingerprint(page_id: str, incident_id: str) -> str:
    """Fingerprint of an incident's resolution; one per incident (see module doc)."""
    return f"statuspage:{page_id}:incident:{incident_id}:resolved"


def component_fingerprint(
    page_id: str, component_id: str, new_status: str, changed_at: datetime
) -> str:
    """Fingerprint of a component status change, its time truncated to the second."""
    second = changed_at.astimezone(UTC).replace(microsecond=0)
    stamp = second.isoformat().replace("+00:00", "Z")
    return f"statuspage:{page_id}:component:{component_id}:{new_status}:{stamp}"


def _incident_group_key(page_id: str, incident_id: str) -> str:
    return f"statuspage:{page_id}:incident:{incident_id}"


def _status_group_key(page_id: str) -> str:
    return f"statuspage:{page_id}:status"


# --- diffing ----------------------------------------------------------------


def diff_snapshots(
    previous: Mapping[str, Any] | None, current: Mapping[str, Any]
) -> list[Change]:
    """The changes between two snapshots of one page, oldest first.

    `previous` None is the first poll: it records a baseline and returns no
    changes (history before we started watching is not news). A snapshot of a
    different page (the source was repointed) is also a baseline. Detects:
    incidents opened, each new incident update, incidents resolved (including
    ones that vanished from `summary.json`), component status changes and
    page indicator changes.
    """
    if previous is None or previous.get("page", {}).get("id") != current["page"]["id"]:
        return []
    page = current["page"]
    observed_at = parse_timestamp(current["observed_at"], what="observed_at")
    changes: list[Change] = []

    previous_incidents: Mapping[str, Any] = previous.get("incidents", {})
    changed_incidents: dict[str, Mapping[str, Any]] = {}
    for incident_id, incident in current["incidents"].items():
        before = previous_incidents.get(incident_id)
        seen = {update["id"] for update in before["updates"]} if before else set()
        new_ids = [u["id"] for u in incident["updates"] if u["id"] not in seen]
        if new_ids:
            changed_incidents[incident_id] = incident
            changes.extend(
                incident_changes(
                    page, incident, update_ids=new_ids, components=current["components"]
                )
            )

    if current.get("kind") == "summary" and previous.get("kind") == "summary":
        for incident_id, before in previous_incidents.items():
            if (
                incident_id in current["incidents"]
                or before["status"] in RESOLVED_STATUSES
            ):
                continue
            changed_incidents[incident_id] = before
            changes.append(
                _resolution_change(page, before, update=None, resolved_at=observed_at)
            )

    changes.extend(
        _component_changes(previous, current, changed_incidents, observed_at)
    )
    indicator = _indicator_change(previous, current, changed_incidents, observed_at)
    if indicator is not None:
        changes.append(indicator)
    changes.sort(key=lambda change: change.occurred_at)
    return changes


def incident_changes(
    page: Mapping[str, Any],
    incident: Mapping[str, Any],
    *,
    update_ids: Iterable[str] | None = None,
    components: Mapping[str, Any] | None = None,
) -> list[Change]:
    """Changes for an incident's updates (all, or those in `update_ids`), oldest first.

    The kind depends only on the update itself, so poll and webhook agree: the
    incident's first update opens it, a "resolved" update resolves it, any other
    is an update. Used by `diff_snapshots` and `webhook.py`.
    """
    wanted = set(update_ids) if update_ids is not None else None
    updates = incident["updates"]
    first_id = updates[-1]["id"] if updates else None
    changes = []
    for update in reversed(updates):
        if wanted is not None and update["id"] not in wanted:
            continue
        if update["status"] in RESOLVED_STATUSES:
            resolved_at = _time_or_none(update["created_at"]) or _time_or_none(
                incident["resolved_at"]
            )
            changes.append(
                _resolution_change(
                    page, incident, update=update, resolved_at=resolved_at
                )
            )
            continue
        kind = ChangeKind.INCIDENT_UPDATED
        if update["id"] == first_id:
            kind = ChangeKind.INCIDENT_OPENED
        severity = _impact_severity(incident["impact"])
        if update["status"] == POSTMORTEM_STATUS:
            severity = Severity.INFO
        occurred_at = (
            _time_or_none(update["display_at"])
            or _time_or_none(update["created_at"])
            or _time_or_none(incident["updated_at"])
        )
        if occurred_at is None:
            raise ParseError(
                f"incident {incident['id']}: update {update['id']} has no time"
            )
        changes.append(
            Change(
                kind=kind,
                fingerprint=incident_update_fingerprint(
                    page["id"], incident["id"], update["id"]
                ),
                severity=severity,
                occurred_at=occurred_at,
                title=_incident_title(page, incident, update["status"]),
                detail=_incident_detail(page, incident, update, components),
                url=incident["url"],
                group_key=_incident_group_key(page["id"], incident["id"]),
            )
        )
    return changes


def _resolution_change(
    page: Mapping[str, Any],
    incident: Mapping[str, Any],
    *,
    update: Mapping[str, Any] | None,
    resolved_at: datetime | None,
) -> Change:
    when = resolved_at or _time_or_none(incident["updated_at"]) or datetime.now(UTC)
    detail = _incident_detail(page, incident, update, None)
    detail["update_status"] = "resolved"
    detail["resolved_at"] = isoformat_utc(when)
    # Inferred: the incident vanished from summary.json; we never saw the
    # resolving update, so its exact time and text are unknown.
    detail["inferred"] = update is None
    return Change(
        kind=ChangeKind.INCIDENT_RESOLVED,
        fingerprint=incident_resolved_fingerprint(page["id"], incident["id"]),
        # The end of an outage matters as much as its start (see Severity).
        severity=_impact_severity(incident["impact"]),
        occurred_at=when,
        title=_incident_title(page, incident, "resolved"),
        detail=detail,
        url=incident["url"],
        group_key=_incident_group_key(page["id"], incident["id"]),
    )


def _incident_detail(
    page: Mapping[str, Any],
    incident: Mapping[str, Any],
    update: Mapping[str, Any] | None,
    components: Mapping[str, Any] | None,
) -> dict[str, Any]:
    affected = list(update["affected_components"]) if update else []
    known = components or {}
    # The components still in trouble after this update, by id. Names come from
    # the page's component list when we have it: `affected_components` names
    # grouped components "Group - Child", which reads badly in a sentence.
    troubled = [
        {
            "id": c["id"],
            "name": known[c["id"]]["name"] if c["id"] in known else c["name"],
            "status": c["new_status"],
        }
        for c in affected
        if c["new_status"] not in (None, OPERATIONAL)
    ]
    if not affected:
        # summary.json lists an incident's components without per-update detail.
        troubled = [
            {"id": cid, "name": known[cid]["name"], "status": known[cid]["status"]}
            for cid in incident["component_ids"]
            if cid in known and known[cid]["status"] != OPERATIONAL
        ]
    return {
        "source": "statuspage",
        "page_id": page["id"],
        "page_name": page.get("name") or "",
        "page_url": page.get("url"),
        "incident_id": incident["id"],
        "incident_name": incident["name"],
        "incident_status": incident["status"],
        "impact": incident["impact"],
        "update_id": update["id"] if update else None,
        "update_status": update["status"] if update else incident["status"],
        "body": update["body"] if update else "",
        "started_at": incident["started_at"],
        "resolved_at": incident["resolved_at"],
        "components": troubled,
        "worst_component_status": _worst_status(c["status"] for c in troubled),
        "affected_components": affected,
    }


def _component_changes(
    previous: Mapping[str, Any],
    current: Mapping[str, Any],
    changed_incidents: Mapping[str, Mapping[str, Any]],
    observed_at: datetime,
) -> list[Change]:
    page = current["page"]
    previous_components: Mapping[str, Any] = previous.get("components", {})
    changes = []
    for component_id, component in current["components"].items():
        # A group's status is derived from its children, which report themselves.
        if component["is_group"]:
            continue
        before = previous_components.get(component_id)
        old_status = before["status"] if before else None
        if old_status == component["status"]:
            continue
        if before is None and component["status"] == OPERATIONAL:
            continue  # a new, healthy component is not news
        group = current["components"].get(component["group_id"] or "")
        changes.append(
            component_change(
                page,
                component_id=component_id,
                component_name=component["name"],
                group_name=group["name"] if group else None,
                old_status=old_status,
                new_status=component["status"],
                changed_at=_time_or_none(component["updated_at"]) or observed_at,
                group_key=_group_for_component(
                    page["id"], component_id, changed_incidents
                ),
            )
        )
    return changes


def component_change(
    page: Mapping[str, Any],
    *,
    component_id: str,
    component_name: str,
    group_name: str | None,
    old_status: str | None,
    new_status: str,
    changed_at: datetime,
    group_key: str | None = None,
) -> Change:
    """A `COMPONENT_STATUS` change; shared by polling and the component webhook.

    Severity is the worse of the old and new status: a recovery from a major
    outage is as newsworthy as the outage.
    """
    severity = max(
        _component_severity(new_status),
        _component_severity(old_status) if old_status else Severity.INFO,
    )
    return Change(
        kind=ChangeKind.COMPONENT_STATUS,
        fingerprint=component_fingerprint(
            page["id"], component_id, new_status, changed_at
        ),
        severity=severity,
        occurred_at=changed_at,
        title=f"{page.get('name') or page['id']} status page: {component_name} — "
        f"{_humanise(new_status)}",
        detail={
            "source": "statuspage",
            "page_id": page["id"],
            "page_name": page.get("name") or "",
            "page_url": page.get("url"),
            "component_id": component_id,
            "component_name": component_name,
            "group_name": group_name,
            "old_status": old_status,
            "new_status": new_status,
        },
        url=page.get("url"),
        group_key=group_key or _status_group_key(page["id"]),
    )


def _group_for_component(
    page_id: str, component_id: str, changed_incidents: Mapping[str, Mapping[str, Any]]
) -> str:
    for incident_id, incident in changed_incidents.items():
        listed = set(incident["component_ids"])
        for update in incident["updates"]:
            listed.update(c["id"] for c in update["affected_components"])
        if component_id in listed:
            return _incident_group_key(page_id, incident_id)
    if len(changed_incidents) == 1:
        return _incident_group_key(page_id, next(iter(changed_incidents)))
    return _status_group_key(page_id)


def _indicator_change(
    previous: Mapping[str, Any],
    current: Mapping[str, Any],
    changed_incidents: Mapping[str, Mapping[str, Any]],
    observed_at: datetime,
) -> Change | None:
    old, new = previous.get("indicator"), current.get("indicator")
    if old is None or new is None or old == new:
        return None
    page = current["page"]
    changed_at = _time_or_none(page["updated_at"]) or observed_at
    stamp = changed_at.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    group_key = _status_group_key(page["id"])
    if len(changed_incidents) == 1:
        group_key = _incident_group_key(page["id"], next(iter(changed_incidents)))
    description = current.get("indicator_description") or _humanise(new)
    return Change(
        kind=ChangeKind.INDICATOR_CHANGED,
        fingerprint=f"statuspage:{page['id']}:indicator:{new}:{stamp}",
        severity=max(_impact_severity(new), _impact_severity(old)),
        occurred_at=changed_at,
        title=f"{page.get('name') or page['id']} status page: {description}",
        detail={
            "source": "statuspage",
            "page_id": page["id"],
            "page_name": page.get("name") or "",
            "page_url": page.get("url"),
            "old_indicator": old,
            "new_indicator": new,
            "description": current.get("indicator_description"),
        },
        url=page.get("url"),
        group_key=group_key,
    )


# --- helpers ----------------------------------------------------------------


def _component_severity(status: str) -> Severity:
    return COMPONENT_STATUS_SEVERITY.get(status, UNKNOWN_SEVERITY)


def _impact_severity(impact: str) -> Severity:
    return IMPACT_SEVERITY.get(impact, UNKNOWN_SEVERITY)


def _worst_status(statuses: Iterable[str]) -> str | None:
    worst: str | None = None
    for status in statuses:
        if worst is None or _component_severity(status) > _component_severity(worst):
            worst = status
    return worst


def _incident_title(
    page: Mapping[str, Any], incident: Mapping[str, Any], status: str
) -> str:
    source = page.get("name") or page["id"]
    return f"{source} status page: {incident['name']} — {_humanise(status)}"


def _humanise(value: str) -> str:
    return value.replace("_", " ")


def _time_or_none(value: str | None) -> datetime | None:
    return parse_timestamp(value) if value else None


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ParseError(f"{what}: expected an object, got {_kind(value)}")
    return value


def _list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ParseError(f"{what}: expected a list, got {_kind(value)}")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ParseError(f"{what}: expected a non-empty string, got {_kind(value)}")
    return value


def _optional_text(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParseError(f"{what}: expected a string, got {_kind(value)}")
    return value


def _optional_time(value: object, what: str) -> str | None:
    if value is None or value == "":
        return None
    return isoformat_utc(parse_timestamp(value, what=what))


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__
