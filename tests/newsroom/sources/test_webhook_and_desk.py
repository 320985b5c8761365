"""The inbound webhook, the desk's handling of suggestions, managing sources and
the readers' report button — each through its real URL with the test client."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from liveblog.models import Update
from newsroom.sources import services
from newsroom.sources.models import (
    ArticleSignalSettings,
    ReaderReport,
    Signal,
    SignalSource,
    SourceKind,
    Suggestion,
)
from newsroom.sources.tasks import poll_source
from tests.factories import PASSWORD
from tests.newsroom.sources.conftest import read_fixture
from tests.newsroom.sources.support import (  # noqa: F401 - fixtures
    allow_private,
    desk_listener,
    eager_celery,
    serve_json,
    types_of,
    watched_source,
)

GENERIC = {
    "event_id": "checkout-1",
    "status": "down",
    "title": "Checkout API failing",
    "body": "Error rate 45% since 14:02",
    "occurred_at": "2024-09-16T21:31:02Z",
    "incident_id": "inc-42",
}


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _hook(source: SignalSource, body: bytes | str, client: Client | None = None) -> Any:
    return (client or Client()).post(
        f"/api/v1/signals/webhook/{source.webhook_token}/", body, content_type="application/json"
    )


@pytest.fixture
def monitor(article: Any) -> SignalSource:
    return watched_source(article, kind=SourceKind.WEBHOOK, name="Checkout monitor")


def test_a_generic_webhook_is_accepted_at_once_and_becomes_a_suggestion(
    monitor: Any, eager_celery: Any, desk_listener: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _hook(monitor, json.dumps(GENERIC))

    assert response.status_code == 202
    assert response.json() == {"accepted": True, "changes": 1}
    suggestion = Suggestion.objects.get()
    assert "Checkout API failing" in suggestion.title + suggestion.body
    assert Signal.objects.get().received_via == "webhook"
    assert types_of(desk_listener.messages()) == ["suggestion.created"]


def test_a_sender_retrying_the_same_event_gives_one_signal_and_one_suggestion(
    monitor: Any, eager_celery: Any
) -> None:
    for _ in range(3):
        assert _hook(monitor, json.dumps(GENERIC)).status_code == 202

    assert Signal.objects.count() == 1 and Suggestion.objects.count() == 1


def test_the_same_change_by_webhook_and_by_poll_is_one_signal_and_one_suggestion(
    article: Any, http_server: Any, allow_private: Any, eager_celery: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-groups-operational.json")
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url=http_server.url("/"), name="Chirp")
    poll_source(source.pk)  # baseline
    major = json.loads(read_fixture("statuspage-summary-groups-major.json"))
    incident = major["incidents"][0]

    response = _hook(source, json.dumps({"page": {"id": major["page"]["id"]}, "incident": incident}))
    assert response.status_code == 202
    by_webhook = set(Signal.objects.values_list("fingerprint", flat=True))
    assert by_webhook and Suggestion.objects.count() == 1

    serve_json(http_server, "/api/v2/summary.json", "statuspage-summary-groups-major.json")
    poll_source(source.pk)

    # The poll adds only what the webhook did not carry (components, indicator)…
    assert by_webhook < set(Signal.objects.values_list("fingerprint", flat=True))
    assert all(
        Signal.objects.filter(fingerprint=fingerprint).count() == 1 for fingerprint in by_webhook
    )
    # …and it merges into the suggestion still waiting on the desk.
    assert Suggestion.objects.count() == 1


def test_a_statuspage_component_webhook_is_accepted(article: Any, eager_celery: Any) -> None:
    source = watched_source(article, kind=SourceKind.STATUSPAGE, url="https://status.example.com/")
    response = _hook(source, read_fixture("statuspage-webhook-component-update.json"))

    assert response.status_code == 202
    assert Signal.objects.get().kind == "component_status"


def test_a_wrong_token_is_refused_and_tokens_are_per_source(
    monitor: Any, daily: Any, eager_celery: Any
) -> None:
    other = SignalSource.objects.create(newsroom=daily, name="Other", kind=SourceKind.WEBHOOK)

    wrong = Client().post(
        "/api/v1/signals/webhook/not-the-token/", json.dumps(GENERIC), content_type="application/json"
    )
    assert wrong.status_code == 404
    assert other.webhook_token != monitor.webhook_token
    _hook(other, json.dumps(GENERIC))
    # The other source's token imported into the other source, which no article watches.
    assert Signal.objects.get().source == other and not Suggestion.objects.exists()


def test_a_rotated_token_stops_working_at_once(monitor: Any, admin_user: Any) -> None:
    old = monitor.webhook_token
    services.source_rotate_token(user=admin_user, source=monitor)

    response = Client().post(f"/api/v1/signals/webhook/{old}/", "{}", content_type="application/json")
    assert response.status_code == 404


BAD_BODIES = {
    "not json": (b"{not json", 400, "invalid or truncated JSON"),
    "a list": (b"[1, 2]", 400, "expected a JSON object"),
    "unknown shape": (b'{"hello": 1}', 400, "unrecognised body"),
    "generic without title": (json.dumps({**GENERIC, "title": ""}).encode(), 400, "title"),
    "oversized": (b'{"x": "' + b"a" * 300_000 + b'"}', 413, "larger than"),
    "not utf-8": (b'{"x": "\xff"}', 400, "UTF-8"),
}


@pytest.mark.parametrize("body,status,message", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_bad_webhook_body_is_refused_with_a_clear_message(
    monitor: Any, eager_celery: Any, body: bytes, status: int, message: str
) -> None:
    response = _hook(monitor, body)

    assert response.status_code == status
    assert message in response.json()["error"]
    assert not Signal.objects.exists()


def test_the_webhook_takes_only_post(monitor: Any) -> None:
    assert Client().get(f"/api/v1/signals/webhook/{monitor.webhook_token}/").status_code == 405


# Suggestions on the desk ------------------------------------------------------


@pytest.fixture
def suggestion(monitor: Any, eager_celery: Any) -> Suggestion:
    _hook(monitor, json.dumps(GENERIC))
    return Suggestion.objects.get()


def test_an_editor_publishes_a_suggestion_attributed_to_its_source(
    suggestion: Any, ada: Any, desk_listener: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(ada).post(
            f"/desk/suggestions/{suggestion.pk}/publish/", HTTP_ACCEPT="application/json"
        )

    assert response.status_code == 200
    update = Update.objects.get(pk=response.json()["update_id"])
    assert update.state == "published" and update.body == suggestion.body
    assert update.source_name == "Checkout monitor" and update.author == ada
    suggestion.refresh_from_db()
    assert suggestion.state == "published" and suggestion.published_update == update
    handled = [m for m in desk_listener.messages() if m["type"] == "suggestion.handled"]
    assert handled == [
        {"type": "suggestion.handled", "id": suggestion.pk, "state": "published",
         "handled_by": "ada", "update_id": update.pk}
    ]  # fmt: skip


def test_an_editor_edits_a_suggestion_in_the_composer_then_publishes_it(
    suggestion: Any, ada: Any, article: Any
) -> None:
    response = _client(ada).post(
        f"/desk/suggestions/{suggestion.pk}/publish/", {"body": "Checkout is failing for many."}
    )

    assert response.status_code == 302 and response["Location"] == f"/desk/{article.slug}/"
    update = Update.objects.get()
    assert update.body == "Checkout is failing for many."
    assert update.source_name == "Checkout monitor"


def test_a_suggestion_is_published_once_even_if_two_editors_click(
    suggestion: Any, ada: Any, admin_user: Any
) -> None:
    first = _client(ada).post(f"/desk/suggestions/{suggestion.pk}/publish/", HTTP_ACCEPT="application/json")
    second = _client(admin_user).post(
        f"/desk/suggestions/{suggestion.pk}/publish/", HTTP_ACCEPT="application/json"
    )

    assert first.status_code == 200 and second.status_code == 409
    assert "already published by ada" in second.json()["error"]
    assert Update.objects.count() == 1


def test_an_editor_dismisses_a_suggestion_and_nothing_is_published(
    suggestion: Any, ada: Any
) -> None:
    response = _client(ada).post(f"/desk/suggestions/{suggestion.pk}/dismiss/", HTTP_ACCEPT="application/json")

    assert response.json() == {"state": "dismissed"}
    assert not Update.objects.exists()
    assert _client(ada).get(f"/desk/{suggestion.article.slug}/").content.count(b'class="ld-suggestion ') == 0


def test_only_editors_of_the_newsroom_see_and_act_on_its_suggestions(
    suggestion: Any, ada: Any, grace: Any, rival: Any, reader: Any
) -> None:
    desk = f"/desk/{suggestion.article.slug}/"
    assert f'id="suggestion-{suggestion.pk}"' in _client(ada).get(desk).content.decode()
    assert f'id="suggestion-{suggestion.pk}"' not in _client(grace).get(desk).content.decode()

    publish = f"/desk/suggestions/{suggestion.pk}/publish/"
    assert _client(grace).post(publish).status_code == 403
    assert _client(rival).post(publish).status_code == 404
    assert _client(reader).post(publish).status_code == 404
    assert Client().post(publish).status_code == 302  # to the login page
    for outsider in (grace, rival):
        assert _client(outsider).post(f"/desk/suggestions/{suggestion.pk}/dismiss/").status_code in (403, 404)
    suggestion.refresh_from_db()
    assert suggestion.state == "pending" and not Update.objects.exists()


def test_the_desk_lists_watched_sources_with_their_health(
    article: Any, ada: Any, monitor: Any
) -> None:
    SignalSource.objects.filter(pk=monitor.pk).update(
        consecutive_failures=4, last_error="https://x answered 500"
    )
    page = _client(ada).get(f"/desk/{article.slug}/").content.decode()

    assert 'id="source-health-%d"' % monitor.pk in page
    assert "failing (4 in a row): https://x answered 500" in page


# Managing sources -------------------------------------------------------------


def test_only_admins_manage_the_newsrooms_sources(
    daily: Any, admin_user: Any, ada: Any, rival: Any
) -> None:
    url = f"/desk/sources/{daily.slug}/"
    data = {"name": "GitHub", "kind": "statuspage", "url": "https://www.githubstatus.com/",
            "interval_seconds": "60", "options": "{}", "enabled": "on"}  # fmt: skip
    assert _client(ada).post(url, data).status_code == 403
    assert _client(rival).post(url, data).status_code == 403

    response = _client(admin_user).post(url, data)
    assert response.status_code == 302
    source = SignalSource.objects.get()
    assert (source.name, source.kind, source.interval_seconds) == ("GitHub", "statuspage", 60)
    page = _client(admin_user).get(url).content.decode()
    assert f"/api/v1/signals/webhook/{source.webhook_token}/" in page


def test_a_source_cannot_be_polled_more_often_than_every_15_seconds(
    daily: Any, admin_user: Any
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.source_create(
            user=admin_user, newsroom=daily, name="Fast", kind="statuspage",
            url="https://status.example.com/", interval_seconds=5,
        )  # fmt: skip
    response = _client(admin_user).post(
        f"/desk/sources/{daily.slug}/",
        {"name": "Fast", "kind": "feed", "url": "https://x.example/feed", "interval_seconds": "5"},
    )
    assert response.status_code == 400 and not SignalSource.objects.exists()


def test_repointing_a_source_starts_again_from_a_baseline(
    article: Any, admin_user: Any
) -> None:
    source = watched_source(
        article, kind=SourceKind.STATUSPAGE, url="https://a.example/", state={"x": 1},
        consecutive_failures=3, etag='"e"',
    )  # fmt: skip
    services.source_update(user=admin_user, source=source, url="https://b.example/")

    source.refresh_from_db()
    assert (source.state, source.etag, source.consecutive_failures) == (None, "", 0)


def test_editors_choose_which_sources_their_article_watches(
    article: Any, ada: Any, daily: Any, gazette: Any
) -> None:
    ours = SignalSource.objects.create(newsroom=daily, name="Ours", kind=SourceKind.WEBHOOK)
    theirs = SignalSource.objects.create(newsroom=gazette, name="Theirs", kind=SourceKind.WEBHOOK)

    _client(ada).post(f"/desk/watches/{article.slug}/", {"source": [ours.pk, theirs.pk]})

    assert list(article.signal_watches.values_list("source", flat=True)) == [ours.pk]


# Readers' reports ---------------------------------------------------------------


def test_readers_see_the_report_button_only_when_the_article_opts_in(
    article: Any, ada: Any
) -> None:
    assert b"Having problems too?" not in Client().get(f"/live/{article.slug}/").content

    _client(ada).post(f"/desk/watches/{article.slug}/", {"reader_reports_form": "1", "reader_reports": "1"})

    settings = ArticleSignalSettings.objects.get(article=article)
    assert settings.reader_reports_enabled
    assert article.signal_watches.filter(source=settings.reader_reports_source).exists()
    assert b"Having problems too?" in Client().get(f"/live/{article.slug}/").content


def test_a_readers_report_counts_once_per_client_per_window(article: Any, ada: Any) -> None:
    services.article_reader_reports_set(user=ada, article=article, enabled=True)
    url = f"/live/{article.slug}/report/"
    # Addresses unique to this run: the rate limit lives in Redis, not the test DB.
    one, two = (f"2001:db8::{uuid.uuid4().hex[:4]}" for _ in range(2))

    first = Client(REMOTE_ADDR=one).post(url)
    again = Client(REMOTE_ADDR=one).post(url, HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = Client(REMOTE_ADDR=two).post(url, HTTP_ACCEPT="application/json")

    assert first.status_code == 202 and b"your report was counted" in first.content
    assert again.status_code == 429
    assert other.status_code == 202 and other.json() == {"counted": True}
    assert ReaderReport.objects.count() == 2


def test_an_article_without_the_button_counts_no_reports(article: Any) -> None:
    response = Client().post(f"/live/{article.slug}/report/")

    assert response.status_code == 429 and not ReaderReport.objects.exists()


def test_the_desk_panel_costs_one_query_however_many_suggestions_wait(
    article: Any, ada: Any, monitor: Any, eager_celery: Any, django_assert_num_queries: Any
) -> None:
    from newsroom.sources.selectors import pending_suggestions

    for number in range(5):
        _hook(monitor, json.dumps({**GENERIC, "event_id": f"e{number}", "incident_id": f"i{number}"}))

    with django_assert_num_queries(2):  # the role check, then the suggestions with sources
        suggestions = pending_suggestions(user=ada, article=article)
        names = [suggestion.source.name for suggestion in suggestions]
    assert names == ["Checkout monitor"] * 5


def test_an_admin_adds_then_edits_a_source_on_the_desk(admin_user: Any, daily: Any) -> None:
    client = Client()
    client.force_login(admin_user)
    form = {"name": "GitHub", "kind": "statuspage", "url": "https://www.githubstatus.com/",
            "interval_seconds": "60", "options": "{}", "enabled": "on"}  # fmt: skip
    assert client.post(f"/desk/sources/{daily.slug}/", form).status_code == 302
    source = SignalSource.objects.get(newsroom=daily, name="GitHub")
    assert (source.kind, source.interval_seconds, source.enabled) == ("statuspage", 60, True)

    edited = {**form, "name": "GitHub status", "interval_seconds": "120", "enabled": ""}
    assert client.post(f"/desk/sources/edit/{source.pk}/", edited).status_code == 302
    source.refresh_from_db()
    assert (source.name, source.interval_seconds, source.enabled) == ("GitHub status", 120, False)
    too_fast = client.post(f"/desk/sources/edit/{source.pk}/", {**edited, "interval_seconds": "5"})
    assert too_fast.status_code == 400
