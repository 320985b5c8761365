"""The API of outage signals: editors list, publish and dismiss suggestions and
choose what an article watches; admins manage sources.  Same rules as the desk,
through the real URLs with a bearer token."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from liveblog.models import Update
from newsroom.integrations.services import token_revoke
from newsroom.sources import services
from newsroom.sources.models import (
    ArticleWatch,
    SignalSource,
    SourceKind,
    Suggestion,
)
from newsroom.sources.webhook import parse_webhook
from tests.integrations.conftest import Api, _token_for


def outage_reported(
    source: SignalSource, *, incident: str = "inc-42", status: str = "down"
) -> list[Suggestion]:
    """Import a generic-webhook change for the source, as the worker would, and
    return the suggestions it drafted for the watching articles."""
    body = {
        "event_id": f"{incident}-{status}",
        "status": status,
        "title": "Checkout API failing",
        "body": "Error rate 45% since 14:02",
        "occurred_at": "2024-09-16T21:31:02Z",
        "incident_id": incident,
    }
    changes = parse_webhook(
        json.dumps(body), source_key=f"source-{source.pk}", page_name=source.name
    )
    return services.signals_import(
        source=source, changes=changes, via="webhook"
    ).suggestions


def watched_monitor(article: Any) -> SignalSource:
    source = SignalSource.objects.create(
        newsroom=article.newsroom, name="Checkout monitor", kind=SourceKind.WEBHOOK
    )
    ArticleWatch.objects.create(article=article, source=source)
    return source


@pytest.fixture
def monitor(article: Any) -> SignalSource:
    return watched_monitor(article)


@pytest.fixture
def suggestion(monitor: SignalSource) -> Suggestion:
    (drafted,) = outage_reported(monitor)
    return drafted


@pytest.fixture
def admin_api(admin_user: Any) -> Api:
    return Api(_token_for(admin_user))


def _publish(suggestion: Suggestion) -> str:
    return f"/api/v1/suggestions/{suggestion.pk}/publish/"


def _dismiss(suggestion: Suggestion) -> str:
    return f"/api/v1/suggestions/{suggestion.pk}/dismiss/"


# Suggestions -------------------------------------------------------------------


def test_an_editor_lists_pending_suggestions_and_publishes_one_as_drafted(
    article, suggestion, monitor, ada, ada_api
):
    listing = ada_api.get(f"/api/v1/articles/{article.slug}/suggestions/")
    assert listing.status_code == 200
    assert listing["Cache-Control"] == "private, no-store"
    (item,) = listing.json()
    assert item["id"] == suggestion.pk and item["state"] == "pending"
    assert item["body"] == suggestion.body
    assert item["source"] == {
        "id": monitor.pk,
        "name": "Checkout monitor",
        "kind": "webhook",
    }

    response = ada_api.send("POST", _publish(suggestion))

    assert response.status_code == 200, response.content
    handled = response.json()
    assert (handled["state"], handled["handled_by"]) == ("published", "ada")
    update = Update.objects.get(pk=handled["update"]["id"])
    assert update.body == suggestion.body and update.author == ada
    assert update.source_name == "Checkout monitor"
    assert ada_api.get(f"/api/v1/articles/{article.slug}/suggestions/").json() == []


def test_a_suggestion_published_with_an_edited_body_reaches_the_reader_page_and_events(
    article, suggestion, ada_api, anonymous_api
):
    response = ada_api.send(
        "POST", _publish(suggestion), {"body": "Checkout is failing for **many**."}
    )
    assert response.status_code == 200, response.content
    update_id = response.json()["update"]["id"]

    events = anonymous_api.get(
        f"/api/v1/articles/{article.slug}/events/", since=0
    ).json()
    published = [
        e for e in events["events"] if e.get("update", {}).get("id") == update_id
    ]
    assert published and published[-1]["type"] == "update.created"
    page = Client().get(f"/live/{article.slug}/").content.decode()
    assert "Checkout is failing for <strong>many</strong>." in page
    assert "Checkout monitor" in page  # attributed to its source


def test_a_blank_edited_body_is_refused_with_400_and_the_suggestion_stays_pending(
    suggestion, ada_api
):
    response = ada_api.send("POST", _publish(suggestion), {"body": "   "})

    assert response.status_code == 400
    assert response.json() == {"body": ["Write something before posting."]}
    suggestion.refresh_from_db()
    assert suggestion.state == "pending" and not Update.objects.exists()


def test_publishing_twice_with_one_idempotency_key_publishes_one_update(
    suggestion, ada_api
):
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = ada_api.send("POST", _publish(suggestion), None, key)
    again = ada_api.send("POST", _publish(suggestion), None, key)

    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Update.objects.count() == 1


def test_a_second_publish_gets_409_saying_who_handled_it(
    suggestion, ada_api, admin_api
):
    first = ada_api.send("POST", _publish(suggestion))
    second = admin_api.send("POST", _publish(suggestion), {"body": "Mine instead"})
    dismiss = admin_api.send("POST", _dismiss(suggestion))

    assert first.status_code == 200
    assert second.status_code == dismiss.status_code == 409
    conflict = second.json()
    assert conflict["detail"] == "This suggestion was already published by ada."
    assert (conflict["code"], conflict["state"], conflict["handled_by"]) == (
        "already_handled",
        "published",
        "ada",
    )
    assert conflict["update_id"] == first.json()["update"]["id"]
    assert list(Update.objects.values_list("body", flat=True)) == [suggestion.body]


def test_an_editor_dismisses_a_suggestion_and_nothing_is_published(suggestion, ada_api):
    response = ada_api.send("POST", _dismiss(suggestion))

    assert response.status_code == 200
    assert response.json()["state"] == "dismissed"
    assert response.json()["update"] is None
    assert not Update.objects.exists()
    assert ada_api.send("POST", _publish(suggestion)).status_code == 409


def test_only_editors_of_the_newsroom_list_and_handle_its_suggestions(
    article, suggestion, grace_api, rival_api, anonymous_api
):
    listing = f"/api/v1/articles/{article.slug}/suggestions/"
    assert grace_api.get(listing).status_code == 403
    assert grace_api.send("POST", _publish(suggestion)).status_code == 403
    assert grace_api.send("POST", _dismiss(suggestion)).status_code == 403
    assert rival_api.get(listing).status_code == 403
    # Outsiders do not learn that the suggestion exists.
    assert rival_api.send("POST", _publish(suggestion)).status_code == 404
    assert rival_api.send("POST", _dismiss(suggestion)).status_code == 404
    anonymous = anonymous_api.get(listing)
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Bearer"
    assert anonymous_api.send("POST", _publish(suggestion)).status_code == 401

    suggestion.refresh_from_db()
    assert suggestion.state == "pending" and not Update.objects.exists()


def test_a_revoked_token_can_no_longer_list_or_publish_suggestions(
    article, suggestion, ada, ada_api
):
    listing = f"/api/v1/articles/{article.slug}/suggestions/"
    assert ada_api.get(listing).status_code == 200
    token_revoke(user=ada, token_id=ada.api_tokens.get().pk)

    assert ada_api.get(listing).status_code == 401
    refused = ada_api.send("POST", _publish(suggestion))
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert not Update.objects.exists()


# Watching ----------------------------------------------------------------------


def test_an_editor_makes_the_article_watch_a_source_and_its_changes_become_suggestions(
    article, daily, ada_api
):
    source = SignalSource.objects.create(
        newsroom=daily, name="Payments monitor", kind=SourceKind.WEBHOOK
    )
    watch = f"/api/v1/articles/{article.slug}/sources/{source.pk}/"

    assert ada_api.send("PUT", watch).status_code == 200
    assert ada_api.send("PUT", watch).status_code == 200  # repeatable
    watched = ada_api.get(f"/api/v1/articles/{article.slug}/sources/").json()
    assert [item["name"] for item in watched] == ["Payments monitor"]
    outage_reported(source)
    listing = ada_api.get(f"/api/v1/articles/{article.slug}/suggestions/").json()
    assert [item["source"]["name"] for item in listing] == ["Payments monitor"]

    assert ada_api.send("DELETE", watch).status_code == 204
    assert ada_api.get(f"/api/v1/articles/{article.slug}/sources/").json() == []
    assert outage_reported(source, incident="inc-43") == []


def test_an_article_cannot_watch_another_newsrooms_source_nor_contributors_choose(
    article, gazette, daily, ada_api, grace_api
):
    theirs = SignalSource.objects.create(
        newsroom=gazette, name="Theirs", kind=SourceKind.WEBHOOK
    )
    ours = SignalSource.objects.create(
        newsroom=daily, name="Ours", kind=SourceKind.WEBHOOK
    )

    base = f"/api/v1/articles/{article.slug}/sources"
    assert ada_api.send("PUT", f"{base}/{theirs.pk}/").status_code == 404
    assert grace_api.send("PUT", f"{base}/{ours.pk}/").status_code == 403
    assert not ArticleWatch.objects.exists()


# Managing sources ----------------------------------------------------------------

STATUS_PAGE = {
    "name": "GitHub",
    "kind": "statuspage",
    "url": "https://www.githubstatus.com/",
    "interval_seconds": 30,
}


def test_an_admin_adds_a_source_and_gets_its_webhook_url(daily, admin_api):
    response = admin_api.send(
        "POST", f"/api/v1/newsrooms/{daily.slug}/sources/", STATUS_PAGE
    )

    assert response.status_code == 201, response.content
    created = response.json()
    source = SignalSource.objects.get()
    assert (source.name, source.kind, source.interval_seconds, source.enabled) == (
        "GitHub",
        "statuspage",
        30,
        True,
    )
    assert created["webhook_token"] == source.webhook_token
    assert created["webhook_url"].endswith(
        f"/api/v1/signals/webhook/{source.webhook_token}/"
    )
    listing = admin_api.get(f"/api/v1/newsrooms/{daily.slug}/sources/").json()
    assert [item["id"] for item in listing] == [source.pk]


def test_a_source_polled_faster_than_every_15_seconds_is_refused_with_a_field_message(
    daily, admin_api
):
    response = admin_api.send(
        "POST",
        f"/api/v1/newsrooms/{daily.slug}/sources/",
        {**STATUS_PAGE, "interval_seconds": 5},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["interval_seconds"]
    assert "15 seconds" in response.json()["interval_seconds"][0]
    assert not SignalSource.objects.exists()


def test_a_source_of_unknown_kind_or_without_a_needed_url_is_refused(daily, admin_api):
    url = f"/api/v1/newsrooms/{daily.slug}/sources/"
    bad_kind = admin_api.send("POST", url, {**STATUS_PAGE, "kind": "carrier-pigeon"})
    no_url = admin_api.send("POST", url, {**STATUS_PAGE, "url": ""})
    bad_option = admin_api.send(
        "POST", url, {**STATUS_PAGE, "options": {"colour": "red"}}
    )

    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
    assert no_url.status_code == 400
    assert no_url.json() == {"url": ["A Statuspage v2 API source needs a URL."]}
    assert bad_option.status_code == 400 and "colour" in bad_option.json()["options"][0]
    assert not SignalSource.objects.exists()


def test_an_admin_edits_a_source_but_cannot_change_its_kind(
    daily, admin_user, admin_api
):
    source = services.source_create(
        user=admin_user, newsroom=daily, **{**STATUS_PAGE, "interval_seconds": 60}
    )
    url = f"/api/v1/sources/{source.pk}/"

    edited = admin_api.send("PATCH", url, {"interval_seconds": 120, "enabled": False})
    assert edited.status_code == 200, edited.content
    assert (edited.json()["interval_seconds"], edited.json()["enabled"]) == (120, False)
    too_fast = admin_api.send("PATCH", url, {"interval_seconds": 14})
    assert too_fast.status_code == 400 and "interval_seconds" in too_fast.json()
    kind = admin_api.send("PATCH", url, {"kind": "feed"})
    assert kind.status_code == 400 and kind.json() == {
        "kind": ["This field cannot be changed."]
    }

    source.refresh_from_db()
    assert (source.kind, source.interval_seconds, source.enabled) == (
        "statuspage",
        120,
        False,
    )
    assert admin_api.get(url).json()["interval_seconds"] == 120


def test_rotating_a_token_retires_the_old_webhook_url_at_once(
    article, admin_api, monitor
):
    old_token = monitor.webhook_token

    response = admin_api.send("POST", f"/api/v1/sources/{monitor.pk}/rotate-token/")

    assert response.status_code == 200
    new_token = response.json()["webhook_token"]
    assert new_token != old_token
    monitor.refresh_from_db()
    assert monitor.webhook_token == new_token
    old_hook = Client().post(
        f"/api/v1/signals/webhook/{old_token}/", "{}", content_type="application/json"
    )
    assert old_hook.status_code == 404


def test_only_the_newsrooms_admins_manage_its_sources(
    daily, admin_user, ada_api, rival_api, anonymous_api
):
    source = services.source_create(user=admin_user, newsroom=daily, **STATUS_PAGE)
    attempts = [
        ("GET", f"/api/v1/newsrooms/{daily.slug}/sources/", None),
        (
            "POST",
            f"/api/v1/newsrooms/{daily.slug}/sources/",
            {**STATUS_PAGE, "name": "X"},
        ),
        ("GET", f"/api/v1/sources/{source.pk}/", None),
        ("PATCH", f"/api/v1/sources/{source.pk}/", {"name": "Renamed"}),
        ("POST", f"/api/v1/sources/{source.pk}/rotate-token/", None),
    ]
    for method, url, body in attempts:
        for api, expected in ((ada_api, 403), (rival_api, 403), (anonymous_api, 401)):
            response = api.get(url) if method == "GET" else api.send(method, url, body)
            assert response.status_code == expected, (method, url, response.content)
            assert source.webhook_token not in response.content.decode()
    assert ada_api.get("/api/v1/newsrooms/no-such-paper/sources/").status_code == 404

    unchanged = SignalSource.objects.get()
    assert (unchanged.name, unchanged.webhook_token) == ("GitHub", source.webhook_token)


def test_editors_see_watched_sources_and_suggestions_without_any_webhook_token(
    article, suggestion, monitor, ada_api, admin_api
):
    secret = monitor.webhook_token
    answers = [
        ada_api.get(f"/api/v1/articles/{article.slug}/sources/"),
        ada_api.get(f"/api/v1/articles/{article.slug}/suggestions/"),
        ada_api.send("PUT", f"/api/v1/articles/{article.slug}/sources/{monitor.pk}/"),
    ]

    for answer in answers:
        assert answer.status_code == 200
        assert secret not in answer.content.decode()
        assert "webhook_token" not in answer.content.decode()
    assert answers[0].json()[0]["name"] == "Checkout monitor"
    # The same source, asked for by one who may manage it, carries its token.
    assert (
        admin_api.get(f"/api/v1/sources/{monitor.pk}/").json()["webhook_token"]
        == secret
    )
