"""Drafted suggestion text: house style in English and Spanish, and safety."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import markdown
import pytest
from bs4 import BeautifulSoup

from newsroom.sources.drafting import _clock_time, draft_text
from newsroom.sources.probe import ProbeResult, advance_probe
from newsroom.sources.statuspage import (
    component_change,
    diff_snapshots,
    incident_changes,
    parse_incidents,
    parse_summary,
)
from newsroom.sources.types import Change, ChangeKind, Severity

from .conftest import read_fixture

NEW_YORK = "America/New_York"
MADRID = "Europe/Madrid"


def chirp_outage() -> list[Change]:
    return diff_snapshots(
        parse_summary(read_fixture("statuspage-summary-groups-operational.json")),
        parse_summary(read_fixture("statuspage-summary-groups-major.json")),
    )


def github_resolved() -> list[Change]:
    incidents = parse_incidents(read_fixture("statuspage-incidents-resolved.json"))
    return incident_changes(incidents["page"], incidents["incidents"]["69sb0f8lydp4"])


def rendered(body_markdown: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(body_markdown), "html.parser")


def test_an_outage_is_drafted_as_one_house_style_update_in_english() -> None:
    draft = draft_text(
        chirp_outage(), source_name="Chirp", language="en", time_zone=NEW_YORK
    )

    assert draft.body_markdown.startswith(
        "[Chirp's status page](https://stspg.io/x8k2m4p9q1r7) now reports a major"
        " outage affecting Timelines and Login. The company says it is investigating."
    )
    assert not draft.body_markdown.startswith("Update")
    assert draft.severity == Severity.CRITICAL
    assert draft.url == "https://stspg.io/x8k2m4p9q1r7"
    assert draft.title == (
        "Chirp status page: Timelines, Login — major outage, investigating, 2:05 p.m."
    )


def test_an_outage_is_drafted_in_spanish_with_24_hour_times() -> None:
    draft = draft_text(
        chirp_outage(), source_name="Chirp", language="es", time_zone=MADRID
    )

    assert draft.body_markdown.startswith(
        "La [página de estado de Chirp](https://stspg.io/x8k2m4p9q1r7) informa ahora"
        " de una caída grave que afecta a Timelines y Login. La empresa dice que lo"
        " está investigando."
    )
    assert draft.title.endswith("caída grave, investigando, 20:05")


def test_the_draft_quotes_the_latest_update_from_the_company() -> None:
    draft = draft_text(
        chirp_outage(), source_name="Chirp", language="en", time_zone=NEW_YORK
    )

    assert draft.body_markdown.endswith(
        "Latest update: “We are investigating reports that timelines are not loading"
        " and users cannot log in.”"
    )


def test_a_resolved_incident_says_how_long_the_outage_lasted() -> None:
    en = draft_text(
        github_resolved(), source_name="GitHub", language="en", time_zone=NEW_YORK
    )
    es = draft_text(
        github_resolved(), source_name="GitHub", language="es", time_zone=MADRID
    )

    assert en.body_markdown.startswith(
        "[GitHub's status page](https://stspg.io/mc6sr407p78b) now says the problem has"
        " been resolved. Outage lasted 38 minutes (5:31–6:08 p.m.)."
    )
    assert es.body_markdown.startswith(
        "La [página de estado de GitHub](https://stspg.io/mc6sr407p78b) indica ahora"
        " que el problema se ha resuelto. La caída duró 38 minutos (23:31–00:08)."
    )


def incident_resolved_between(started: str, resolved: str) -> Change:
    return Change(
        kind=ChangeKind.INCIDENT_RESOLVED,
        fingerprint="statuspage:p:incident:i:resolved",
        severity=Severity.MAJOR,
        occurred_at=datetime.fromisoformat(resolved),
        title="Twitter status page: Timelines down — resolved",
        detail={
            "source": "statuspage",
            "incident_name": "Timelines down",
            "update_status": "resolved",
            "body": "",
            "started_at": started,
            "resolved_at": resolved,
            "inferred": False,
        },
        url="https://status.twitterstat.us/incidents/i",
    )


@pytest.mark.parametrize(
    ("started", "resolved", "sentence"),
    [
        (
            "2024-09-16T18:00:00+00:00",
            "2024-09-16T18:50:00+00:00",
            "Outage lasted 50 minutes (2:00–2:50 p.m.).",
        ),
        (
            "2024-09-16T15:40:00+00:00",
            "2024-09-16T16:00:00+00:00",
            "Outage lasted 20 minutes (11:40 a.m.–noon).",
        ),
        (
            "2024-09-16T02:10:00+00:00",
            "2024-09-16T05:25:00+00:00",
            "Outage lasted 3 hours and 15 minutes (10:10 p.m.–1:25 a.m.).",
        ),
    ],
)
def test_outage_length_and_span_follow_ap_style(
    started: str, resolved: str, sentence: str
) -> None:
    draft = draft_text(
        [incident_resolved_between(started, resolved)],
        source_name="Twitter",
        language="en",
        time_zone=NEW_YORK,
    )

    assert draft.body_markdown.endswith(sentence)


@pytest.mark.parametrize(
    ("hour", "minute", "english", "spanish"),
    [
        (14, 0, "2 p.m.", "14:00"),
        (14, 50, "2:50 p.m.", "14:50"),
        (12, 0, "noon", "12:00"),
        (0, 0, "midnight", "00:00"),
        (9, 5, "9:05 a.m.", "09:05"),
        (12, 30, "12:30 p.m.", "12:30"),
        (0, 45, "12:45 a.m.", "00:45"),
    ],
)
def test_clock_times_are_ap_style_in_english_and_24_hour_in_spanish(
    hour: int, minute: int, english: str, spanish: str
) -> None:
    moment = datetime(2024, 1, 15, hour, minute, tzinfo=UTC)

    assert _clock_time(moment, language="en", time_zone="UTC") == english
    assert _clock_time(moment, language="es", time_zone="UTC") == spanish


def test_clock_times_are_shown_in_the_articles_zone() -> None:
    moment = datetime(2024, 7, 1, 18, 5, tzinfo=UTC)

    assert _clock_time(moment, language="en", time_zone=NEW_YORK) == "2:05 p.m."
    assert _clock_time(moment, language="es", time_zone=MADRID) == "20:05"


def recovered(*names: str) -> list[Change]:
    page = {"id": "p", "name": "Chirp", "url": "https://status.chirp.example"}
    return [
        component_change(
            page,
            component_id=f"c{index}",
            component_name=name,
            group_name=None,
            old_status="major_outage",
            new_status="operational",
            changed_at=datetime(2024, 3, 5, 20, 0, tzinfo=UTC),
        )
        for index, name in enumerate(names)
    ]


def test_components_recovering_without_an_incident_read_as_back_to_normal() -> None:
    en = draft_text(
        recovered("Timelines", "Login"), source_name="Chirp", time_zone=NEW_YORK
    )
    es = draft_text(
        recovered("Timelines", "Infraestructura"),
        source_name="Chirp",
        language="es",
        time_zone=MADRID,
    )

    assert en.body_markdown == (
        "[Chirp's status page](https://status.chirp.example) now shows Timelines and"
        " Login operating normally."
    )
    assert es.body_markdown == (
        "La [página de estado de Chirp](https://status.chirp.example) muestra ahora que"
        " Timelines e Infraestructura funcionan con normalidad."
    )


def test_a_report_spike_reads_as_times_normal_for_the_window() -> None:
    spike = Change(
        kind=ChangeKind.REPORT_SPIKE,
        fingerprint="reports:dd:spike:x",
        severity=Severity.CRITICAL,
        occurred_at=datetime(2024, 7, 1, 18, 15, tzinfo=UTC),
        title="User reports 14× normal",
        detail={
            "source": "reports",
            "phase": "started",
            "at": "2024-07-01T18:15:00Z",
            "current": 420,
            "baseline": 30.0,
            "ratio": 14.0,
        },
    )

    en = draft_text([spike], source_name="Twitter", time_zone=NEW_YORK)
    es = draft_text([spike], source_name="Twitter", language="es", time_zone=MADRID)

    assert en.body_markdown == (
        "User reports of problems with Twitter are 14× normal for 2:15 p.m."
        " (420 reports; usually about 30)."
    )
    assert es.body_markdown == (
        "Los reportes de usuarios sobre problemas con Twitter multiplican por 14"
        " lo normal para las 20:15 (420 reportes; lo habitual son unos 30)."
    )
    assert en.title == "Twitter: reports 14× normal for 2:15 p.m."


def test_a_probe_outage_says_since_when_and_why() -> None:
    state = None
    change = None
    for minute, status in ((0, 200), (1, 200), (2, 503), (3, 503), (4, 503)):
        result = ProbeResult(
            checked_at=datetime(2024, 7, 1, 18, minute, tzinfo=UTC), status_code=status
        )
        state, change = advance_probe(state, result, target="https://twitter.com/")
    assert change is not None

    en = draft_text([change], source_name="Twitter", time_zone=NEW_YORK)
    es = draft_text([change], source_name="Twitter", language="es", time_zone=MADRID)

    assert en.body_markdown == (
        "[Twitter's website](https://twitter.com/) has been failing automated checks"
        " since 2:02 p.m. (server error 503)."
    )
    assert es.body_markdown == (
        "El [sitio web de Twitter](https://twitter.com/) no supera las comprobaciones"
        " automáticas desde las 20:02 (error del servidor 503)."
    )


def test_hostile_source_text_cannot_inject_links_images_or_html() -> None:
    data = json.loads(read_fixture("statuspage-webhook-incident-update.json"))
    incident = data["incident"]
    incident["name"] = "<script>alert(1)</script>"
    incident["shortlink"] = "https://status.example.com/i/1"
    incident["incident_updates"][0]["body"] = (
        "[Click for refund](https://evil.example/) ![x](https://evil.example/x.png)"
        " <img src=x onerror=alert(1)> **urgent** `code`\n\n# Heading"
    )
    from newsroom.sources.webhook import parse_statuspage_webhook

    changes = parse_statuspage_webhook(data, page_name="Evil](https://evil.example/)")
    draft = draft_text(changes, source_name="Evil](https://evil.example/) <b>x</b>")
    html = rendered(draft.body_markdown)

    assert [a["href"] for a in html.find_all("a")] == ["https://status.example.com/i/1"]
    assert html.find_all(["img", "script", "strong", "code", "h1", "b"]) == []
    text = html.get_text()
    assert "[Click for refund](https://evil.example/)" in text
    assert "<img src=x onerror=alert(1)>" in text


def test_a_source_name_at_the_start_cannot_become_a_heading() -> None:
    change = recovered("Login")[0]
    page_less = Change(**{**change.__dict__, "url": None})

    draft = draft_text([page_less], source_name="# Chirp", time_zone=NEW_YORK)

    assert rendered(draft.body_markdown).find("h1") is None
    assert (
        "# Chirp's status page now shows Login"
        in rendered(draft.body_markdown).get_text()
    )


def test_a_non_http_source_url_is_not_linked() -> None:
    change = recovered("Login")[0]
    sneaky = Change(**{**change.__dict__, "url": "javascript:alert(1)"})

    draft = draft_text([sneaky], source_name="Chirp", time_zone=NEW_YORK)

    assert rendered(draft.body_markdown).find("a") is None
    assert draft.url is None


def test_drafting_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        draft_text([], source_name="Chirp")
