"""Draft one suggestion's text, in house style, from a group of related changes.

`draft_text` turns the changes that share a `group_key` (an incident opened, the
components it took down, the page indicator turning red) into ONE suggestion an
editor can publish as is::

    [Twitter's status page](https://…) now reports a major outage affecting
    Timelines and Login. The company says it is investigating.

    La [página de estado de Twitter](https://…) informa ahora de una caída
    grave que afecta a Timelines y Login. La empresa dice que lo está
    investigando.

No "Update 2:05 p.m.:" prefix: the time label is added when the update is
published. Times of day inside the text follow AP style in English ("2 p.m.",
"2:50 p.m.", "noon", "midnight") and 24-hour time in Spanish ("14:50"), in the
article's zone.

Safety: everything that came from a source (names, titles, update text) is
plain text. It is escaped for Markdown and HTML before it is put in the body,
so a hostile status page cannot inject links, images or markup; the only link
in a body is the one to the source, and only for http(s) URLs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from liveblog.timelabels import clock_time

from .types import Change, ChangeKind, Severity, parse_timestamp

__all__ = ["DraftedSuggestion", "draft_text"]

Language = Literal["en", "es"]

# A suggestion quotes the gist of the newest update; the link has the rest.
QUOTE_LIMIT = 300
# Beyond this many components a list stops being readable in one sentence.
LISTED_COMPONENTS = 4

INCIDENT_KINDS = frozenset(
    {
        ChangeKind.INCIDENT_OPENED,
        ChangeKind.INCIDENT_UPDATED,
        ChangeKind.INCIDENT_RESOLVED,
    }
)
RESOLVED_STATUSES = frozenset({"resolved", "completed", "operating_normally"})
OPERATIONAL = "operational"

_CONDITIONS: dict[str, dict[str, str]] = {
    "en": {
        "major_outage": "a major outage",
        "partial_outage": "a partial outage",
        "degraded_performance": "degraded performance",
        "under_maintenance": "maintenance",
    },
    "es": {
        "major_outage": "una caída grave",
        "partial_outage": "una caída parcial",
        "degraded_performance": "un rendimiento degradado",
        "under_maintenance": "un mantenimiento",
    },
}
_SHORT_CONDITIONS: dict[str, dict[str, str]] = {
    "en": {
        "major_outage": "major outage",
        "partial_outage": "partial outage",
        "degraded_performance": "degraded performance",
        "under_maintenance": "maintenance",
        "operational": "operational",
    },
    "es": {
        "major_outage": "caída grave",
        "partial_outage": "caída parcial",
        "degraded_performance": "rendimiento degradado",
        "under_maintenance": "mantenimiento",
        "operational": "operativo",
    },
}
_INDICATORS: dict[str, dict[str, str]] = {
    "en": {
        "minor": "a minor outage",
        "major": "a partial outage",
        "critical": "a major outage",
    },
    "es": {
        "minor": "una caída menor",
        "major": "una caída parcial",
        "critical": "una caída grave",
    },
}
_COMPANY_SAYS: dict[str, dict[str, str]] = {
    "en": {
        "investigating": "The company says it is investigating.",
        "identified": "The company says it has identified the cause.",
        "monitoring": "The company says it has applied a fix and is monitoring "
        "the results.",
        "postmortem": "The company has published a postmortem.",
        "": "The company has posted an update.",
    },
    "es": {
        "investigating": "La empresa dice que lo está investigando.",
        "identified": "La empresa dice que ha identificado la causa.",
        "monitoring": "La empresa dice que ha aplicado una solución y está vigilando "
        "los resultados.",
        "postmortem": "La empresa ha publicado un análisis del incidente.",
        "": "La empresa ha publicado una actualización.",
    },
}
_STATUS_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "investigating": "investigating",
        "identified": "identified",
        "monitoring": "monitoring",
        "resolved": "resolved",
        "postmortem": "postmortem",
    },
    "es": {
        "investigating": "investigando",
        "identified": "causa identificada",
        "monitoring": "en observación",
        "resolved": "resuelto",
        "postmortem": "análisis publicado",
    },
}
_AWS_CONDITIONS: dict[str, dict[str, str]] = {
    "en": {
        "service_disruption": "a service disruption",
        "service_degradation": "a service degradation",
        "performance_issues": "performance issues",
    },
    "es": {
        "service_disruption": "una interrupción del servicio",
        "service_degradation": "una degradación del servicio",
        "performance_issues": "problemas de rendimiento",
    },
}


@dataclass(frozen=True)
class DraftedSuggestion:
    """A drafted suggestion: `title` is plain text for the desk list (escape it when
    rendering); `body_markdown` is safe Markdown; `url` links to the source."""

    title: str
    body_markdown: str
    severity: Severity
    url: str | None


def draft_text(
    changes: Sequence[Change],
    *,
    source_name: str,
    language: Language = "en",
    time_zone: str = "UTC",
) -> DraftedSuggestion:
    """Merge a group of related changes into one suggestion in `language`.

    Changes may arrive in any order; the newest decides the story's current
    state. `time_zone` is an IANA name (e.g. "America/New_York"). Raises
    ValueError for no changes or an unsupported language.
    """
    if not changes:
        raise ValueError("draft_text needs at least one change")
    if language not in ("en", "es"):
        raise ValueError(f"unsupported language {language!r}")
    ordered = sorted(changes, key=lambda change: change.occurred_at)
    writer = _Writer(
        language=language, zone=ZoneInfo(time_zone), source_name=source_name
    )
    newest = ordered[-1]
    source = newest.detail.get("source")
    if source == "statuspage":
        title, sentences = writer.statuspage(ordered)
    elif source == "feed":
        title, sentences = writer.feed(newest)
    elif source == "probe":
        title, sentences = writer.probe(newest)
    elif source == "reports":
        title, sentences = writer.reports(newest)
    else:
        title, sentences = writer.generic(newest)
    body = _escape_block_start(" ".join(sentence for sentence in sentences if sentence))
    # The same link the body uses: the incident's own page when there is one.
    url = _first_url(ordered)
    return DraftedSuggestion(
        title=" ".join(title.split()),
        body_markdown=body,
        severity=max(change.severity for change in ordered),
        url=url,
    )


class _Writer:
    """Sentence builders for one language; kept together so en and es stay parallel."""

    def __init__(self, *, language: Language, zone: ZoneInfo, source_name: str) -> None:
        self.language = language
        self.zone = zone
        self.name = " ".join(source_name.split()) or "?"
        self.en = language == "en"

    # --- Statuspage API and webhooks ---------------------------------------

    def statuspage(self, changes: Sequence[Change]) -> tuple[str, list[str]]:
        incident = [c for c in changes if c.kind in INCIDENT_KINDS]
        components = [c for c in changes if c.kind == ChangeKind.COMPONENT_STATUS]
        indicators = [c for c in changes if c.kind == ChangeKind.INDICATOR_CHANGED]
        latest = incident[-1] if incident else None
        url = _first_url(changes)
        lead = self.status_page_link(url)
        when = self.clock(changes[-1].occurred_at)

        if latest is not None and latest.kind == ChangeKind.INCIDENT_RESOLVED:
            resolved = [
                self.resolved_sentence(lead),
                self.duration_sentence(latest.detail),
                self.quote(latest.detail.get("body", "")),
            ]
            subject = latest.detail.get("incident_name") or ""
            return self.title(subject, self.status_word("resolved"), when), resolved

        # Latest (name, status) per component id, in the order they changed.
        component_status: dict[str, tuple[str, str]] = {}
        for change in components:
            component_status[change.detail["component_id"]] = (
                change.detail["component_name"],
                change.detail["new_status"],
            )
        if latest is not None:
            for item in latest.detail.get("components") or []:
                component_status.setdefault(item["id"], (item["name"], item["status"]))
        troubled = {
            name: status
            for name, status in component_status.values()
            if status and status != OPERATIONAL
        }
        worst = _worst_component_status(troubled.values())

        sentences: list[str] = []
        if troubled:
            condition = _CONDITIONS[self.language].get(worst or "") or (
                "problems" if self.en else "problemas"
            )
            names = self.join([_md(name) for name in troubled])
            if self.en:
                sentences.append(f"{lead} now reports {condition} affecting {names}.")
            else:
                verb = "afectan" if condition == "problemas" else "afecta"
                sentences.append(
                    f"{lead} informa ahora de {condition} que {verb} a {names}."
                )
            subject = self.short_list(list(troubled))
            short = _SHORT_CONDITIONS[self.language].get(worst or "", worst or "")
        elif latest is not None:
            incident_name = _md(latest.detail.get("incident_name") or "")
            if self.en:
                sentences.append(f"{lead} now reports a problem: “{incident_name}”.")
            else:
                sentences.append(
                    f"{lead} informa ahora de un problema: «{incident_name}»."
                )
            subject, short = latest.detail.get("incident_name") or "", ""
        elif components:
            names_list = [name for name, _status in component_status.values()]
            names = self.join([_md(name) for name in names_list])
            if self.en:
                sentences.append(f"{lead} now shows {names} operating normally.")
            else:
                verb = "funcionan" if len(names_list) > 1 else "funciona"
                sentences.append(
                    f"{lead} muestra ahora que {names} {verb} con normalidad."
                )
            subject = self.short_list(names_list)
            short = _SHORT_CONDITIONS[self.language][OPERATIONAL]
        else:
            indicator = indicators[-1].detail.get("new_indicator", "")
            if indicator == "none":
                sentences.append(
                    f"{lead} now reports all systems operational."
                    if self.en
                    else f"{lead} informa ahora de que todos los sistemas funcionan."
                )
            else:
                phrase = _INDICATORS[self.language].get(
                    indicator, "problems" if self.en else "problemas"
                )
                sentences.append(
                    f"{lead} now reports {phrase}."
                    if self.en
                    else f"{lead} informa ahora de {phrase}."
                )
            description = indicators[-1].detail.get("description") or indicator
            subject, short = description, ""

        status = ""
        if latest is not None:
            status = latest.detail.get("update_status") or ""
            sentences.append(self.company_says(status))
            sentences.append(self.quote(latest.detail.get("body", "")))
        details = ", ".join(
            part for part in (short, self.status_word(status) if status else "") if part
        )
        return self.title(subject, details, when), sentences

    # --- feeds ---------------------------------------------------------------

    def feed(self, change: Change) -> tuple[str, list[str]]:
        detail = change.detail
        lead = self.status_page_link(change.url)
        status = detail.get("status") or ""
        topic = detail.get("topic") or detail.get("entry_title") or ""
        when = self.clock(change.occurred_at)
        if change.kind == ChangeKind.INCIDENT_RESOLVED or status in RESOLVED_STATUSES:
            sentences = [
                self.resolved_sentence(lead),
                self.quote(detail.get("body", "")),
            ]
            return self.title(topic, self.status_word("resolved"), when), sentences
        if detail.get("flavor") == "aws":
            condition = _AWS_CONDITIONS[self.language].get(status)
            if condition:
                first = (
                    f"{lead} now reports {condition}: “{_md(topic)}”."
                    if self.en
                    else f"{lead} informa ahora de {condition}: «{_md(topic)}»."
                )
            else:
                first = (
                    f"{lead} has posted an update: “{_md(topic)}”."
                    if self.en
                    else f"{lead} ha publicado una actualización: «{_md(topic)}»."
                )
            return self.title(topic, status.replace("_", " "), when), [
                first,
                self.quote(detail.get("body", "")),
            ]
        if detail.get("flavor") == "statuspage":
            first = (
                f"{lead} now reports a problem: “{_md(topic)}”."
                if self.en
                else f"{lead} informa ahora de un problema: «{_md(topic)}»."
            )
            return self.title(topic, self.status_word(status), when), [
                first,
                self.company_says(status),
                self.quote(detail.get("body", "")),
            ]
        first = (
            f"{lead} has posted: “{_md(topic)}”."
            if self.en
            else f"{lead} ha publicado: «{_md(topic)}»."
        )
        return self.title(topic, "", when), [first, self.quote(detail.get("body", ""))]

    # --- probes ----------------------------------------------------------------

    def probe(self, change: Change) -> tuple[str, list[str]]:
        detail = change.detail
        url = change.url if change.url and _safe_url(change.url) else None
        label = (
            f"{_possessive(_md(self.name))} website"
            if self.en
            else (f"sitio web de {_md(self.name)}")
        )
        site = f"[{label}]({_md_url(url)})" if url else label
        when = self.clock(change.occurred_at)
        if change.kind == ChangeKind.PROBE_DOWN:
            since = parse_timestamp(detail["down_since"])
            reason = self.probe_reason(detail)
            if self.en:
                sentence = (
                    f"{_capitalise(site)} has been failing automated checks since "
                    f"{self.clock(since)} ({reason})."
                )
                title = f"{self.name} website: not responding, {when}"
            else:
                sentence = (
                    f"El {site} no supera las comprobaciones automáticas desde "
                    f"{self.es_at(since)} ({reason})."
                )
                title = f"Sitio web de {self.name}: no responde, {when}"
            return title, [sentence]
        minutes = int(detail.get("down_minutes") or 0)
        if self.en:
            sentence = (
                f"{_capitalise(site)} is responding normally to automated checks again "
                f"after about {self.duration(timedelta(minutes=minutes))} of failures."
            )
            title = f"{self.name} website: responding again, {when}"
        else:
            sentence = (
                f"El {site} vuelve a responder con normalidad a las comprobaciones "
                f"automáticas tras unos {self.duration(timedelta(minutes=minutes))}"
                " de fallos."
            )
            title = f"Sitio web de {self.name}: responde de nuevo, {when}"
        return title, [sentence]

    def probe_reason(self, detail: dict[str, Any]) -> str:
        code = detail.get("status_code")
        reason = str(detail.get("reason") or "")
        if isinstance(code, int) and code >= 500:
            return f"server error {code}" if self.en else f"error del servidor {code}"
        if "expected text" in reason:
            return (
                "the expected text is missing from the page"
                if self.en
                else "falta el texto esperado en la página"
            )
        if "timed out" in reason:
            return "no response in time" if self.en else "sin respuesta a tiempo"
        return "no connection" if self.en else "sin conexión"

    # --- user reports ------------------------------------------------------------

    def reports(self, change: Change) -> tuple[str, list[str]]:
        detail = change.detail
        name = _md(self.name)
        at = parse_timestamp(detail["at"])
        when = self.clock(at)
        link = ""
        if change.url and _safe_url(change.url):
            link = (
                f"([source]({_md_url(change.url)}))"
                if self.en
                else f"([fuente]({_md_url(change.url)}))"
            )
        if detail.get("phase") == "ended":
            sentence = (
                f"User reports of problems with {name} are back to normal levels."
                if self.en
                else f"Los reportes de usuarios sobre problemas con {name} han "
                "vuelto a niveles normales."
            )
            title = (
                f"{self.name}: user reports back to normal, {when}"
                if self.en
                else f"{self.name}: reportes de usuarios de nuevo normales, {when}"
            )
            return title, [sentence, link]
        ratio = self.ratio(float(detail.get("ratio") or 0))
        current = int(detail.get("current") or 0)
        usual = self.number(float(detail.get("baseline") or 0))
        if self.en:
            sentence = (
                f"User reports of problems with {name} are {ratio}× normal for {when} "
                f"({current:,} reports; usually about {usual})."
            )
            title = f"{self.name}: reports {ratio}× normal for {when}"
        else:
            sentence = (
                f"Los reportes de usuarios sobre problemas con {name} multiplican por "
                f"{ratio} lo normal para {self.es_at(at)} "
                f"({self.number(current)} reportes; lo habitual son unos {usual})."
            )
            title = f"{self.name}: reportes ×{ratio} de lo normal a {self.es_at(at)}"
        return title, [sentence, link]

    # --- generic webhooks -----------------------------------------------------

    def generic(self, change: Change) -> tuple[str, list[str]]:
        detail = change.detail
        title_text = detail.get("title") or change.title
        name = _md(self.name)
        source = (
            f"[{name}]({_md_url(change.url)})"
            if change.url and _safe_url(change.url)
            else name
        )
        if self.en:
            first = f"Update from {source}: “{_md(title_text)}”."
        else:
            first = f"Actualización de {source}: «{_md(title_text)}»."
        body = _md(_truncate(detail.get("body") or "", QUOTE_LIMIT))
        return f"{self.name}: {title_text}, {self.clock(change.occurred_at)}", [
            first,
            body,
        ]

    # --- shared phrases -------------------------------------------------------

    def status_page_link(self, url: str | None) -> str:
        name = _md(self.name)
        text = (
            f"{_possessive(name)} status page"
            if self.en
            else f"página de estado de {name}"
        )
        linked = f"[{text}]({_md_url(url)})" if url and _safe_url(url) else text
        return linked if self.en else f"La {linked}"

    def resolved_sentence(self, lead: str) -> str:
        if self.en:
            return f"{lead} now says the problem has been resolved."
        return f"{lead} indica ahora que el problema se ha resuelto."

    def duration_sentence(self, detail: dict[str, Any]) -> str:
        if (
            detail.get("inferred")
            or not detail.get("started_at")
            or not detail.get("resolved_at")
        ):
            return ""
        start = parse_timestamp(detail["started_at"])
        end = parse_timestamp(detail["resolved_at"])
        if end <= start:
            return ""
        length = self.duration(end - start)
        span = (
            f" ({self.clock_range(start, end)})"
            if end - start < timedelta(days=1)
            else ""
        )
        if self.en:
            return f"Outage lasted {length}{span}."
        return f"La caída duró {length}{span}."

    def company_says(self, status: str) -> str:
        sentences = _COMPANY_SAYS[self.language]
        return sentences.get(status.lower(), sentences[""])

    def quote(self, text: str) -> str:
        text = _truncate(text, QUOTE_LIMIT)
        if not text:
            return ""
        if self.en:
            return f"Latest update: “{_md(text)}”"
        return f"Última actualización: «{_md(text)}»"

    def status_word(self, status: str) -> str:
        return _STATUS_WORDS[self.language].get(
            status.lower(), status.replace("_", " ")
        )

    def title(self, subject: str, details: str, when: str) -> str:
        source = (
            f"{self.name} status page"
            if self.en
            else f"Página de estado de {self.name}"
        )
        parts = ", ".join(part for part in (details, when) if part)
        subject = " ".join(subject.split())
        return f"{source}: {subject} — {parts}" if subject else f"{source}: {parts}"

    def join(self, items: list[str]) -> str:
        if len(items) > LISTED_COMPONENTS:
            others = len(items) - (LISTED_COMPONENTS - 1)
            items = items[: LISTED_COMPONENTS - 1] + [
                f"{others} other services" if self.en else f"otros {others} servicios"
            ]
        if len(items) == 1:
            return items[0]
        if self.en:
            return f"{', '.join(items[:-1])} and {items[-1]}"
        # "y" becomes "e" before an /i/ sound: "Timelines e Infraestructura".
        last = items[-1]
        conjunction = "e" if re.match(r"(?i)h?i(?![aeo])", last) else "y"
        return f"{', '.join(items[:-1])} {conjunction} {last}"

    def short_list(self, names: list[str]) -> str:
        """Names for a title: two, then a count ("Timelines, Login +3")."""
        if len(names) <= 2:
            return ", ".join(names)
        return f"{', '.join(names[:2])} +{len(names) - 2}"

    def clock(self, moment: datetime) -> str:
        return _clock_time(moment, language=self.language, time_zone=self.zone)

    def es_at(self, moment: datetime) -> str:
        """ "las 14:15", or "la 01:15" (Spanish agrees the article with the hour)."""
        local = moment.astimezone(self.zone)
        article = "la" if local.hour == 1 else "las"
        return f"{article} {self.clock(moment)}"

    def clock_range(self, start: datetime, end: datetime) -> str:
        if not self.en:
            return f"{self.clock(start)}–{self.clock(end)}"
        local_start, local_end = start.astimezone(self.zone), end.astimezone(self.zone)
        same_half = (local_start.hour < 12) == (local_end.hour < 12)
        plain = all(
            (moment.hour, moment.minute) not in ((0, 0), (12, 0))
            for moment in (local_start, local_end)
        )
        if same_half and plain:
            # AP ranges name the meridiem once: "2:00–2:50 p.m."
            hour = local_start.hour % 12 or 12
            return f"{hour}:{local_start.minute:02d}–{self.clock(end)}"
        return f"{self.clock(start)}–{self.clock(end)}"

    def duration(self, length: timedelta) -> str:
        minutes = max(1, round(length.total_seconds() / 60))
        hours, minutes = divmod(minutes, 60)
        if self.en:
            parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
            if minutes:
                parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
            return " and ".join(parts)
        parts = [f"{hours} hora{'s' if hours != 1 else ''}"] if hours else []
        if minutes:
            parts.append(f"{minutes} minuto{'s' if minutes != 1 else ''}")
        return " y ".join(parts)

    def ratio(self, ratio: float) -> str:
        if ratio >= 10:
            return str(round(ratio))
        text = f"{ratio:.1f}".rstrip("0").rstrip(".")
        return text if self.en else text.replace(".", ",")

    def number(self, value: float) -> str:
        whole = round(value)
        text = f"{whole:,}"
        # Spanish groups thousands with a dot (RAE also allows a space).
        return text if self.en else text.replace(",", ".")


def _clock_time(moment: datetime, *, language: str, time_zone: ZoneInfo | str) -> str:
    """Time of day for running text, in the article's zone: AP style in English,
    24-hour in Spanish ("00:08").

    The wording itself belongs to `liveblog.timelabels.clock_time`, the one time
    formatter of the project (pure Python, no Django), so a suggestion and the
    update it becomes never write the same time two ways.
    """
    zone = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
    return clock_time(moment.astimezone(zone), language)


# --- escaping ------------------------------------------------------------------

# Characters Python-Markdown lets us backslash-escape and that matter inline
# (emphasis, code, links/images); block markers only matter at a line start
# and are handled by `_escape_block_start`.
_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]])")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-*]|\d+[.)])")


def _md(text: str) -> str:
    """Source text → inert Markdown: one line, HTML and Markdown syntax escaped."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_INLINE.sub(r"\\\1", text)


def _escape_block_start(paragraph: str) -> str:
    """Stop a paragraph that starts with source text from becoming a heading/list."""
    match = _BLOCK_START.match(paragraph)
    if not match:
        return paragraph.strip()
    marker = match.group(2)
    escaped = f"{marker[:-1]}\\{marker[-1]}"
    return (escaped + paragraph[match.end() :]).strip()


def _safe_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _md_url(url: str | None) -> str:
    """A URL safe inside Markdown's ``(…)``: no spaces, quotes, brackets or angles."""
    return quote(url or "", safe=":/?#@!$&*+,;=%~-._")


def _first_url(changes: Iterable[Change]) -> str | None:
    """Prefer the incident's own link, then any link."""
    urls = [c.url for c in changes if c.url and _safe_url(c.url)]
    incident_urls = [
        c.url
        for c in changes
        if c.kind in INCIDENT_KINDS and c.url and _safe_url(c.url)
    ]
    chosen = incident_urls or urls
    return chosen[-1] if chosen else None


def _truncate(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def _possessive(name: str) -> str:
    # AP: proper names ending in s take only an apostrophe.
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def _capitalise(text: str) -> str:
    if text.startswith("[") and len(text) > 1:
        return "[" + text[1].upper() + text[2:]
    return text[:1].upper() + text[1:]


_COMPONENT_RANK = {
    "major_outage": 4,
    "partial_outage": 3,
    "degraded_performance": 2,
    "under_maintenance": 1,
}


def _worst_component_status(statuses: Iterable[str]) -> str | None:
    worst: str | None = None
    for status in statuses:
        # Unknown statuses rank just above maintenance: "something is wrong".
        rank = _COMPONENT_RANK.get(status, 1.5)
        if worst is None or rank > _COMPONENT_RANK.get(worst, 1.5):
            worst = status
    return worst
