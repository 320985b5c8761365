"""The v1 API: public reads, token writes with the desk's permissions, and its
errors (400, 401, 403, 404, 409, 413, 422, 429)."""

from __future__ import annotations

import uuid
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client, override_settings

from liveblog import services
from liveblog.models import Update, UpdateState


def _updates_url(article: Any) -> str:
    return f"/api/v1/articles/{article.slug}/updates/"


def test_editor_posts_an_update_with_a_token_and_readers_get_it_from_the_public_api(
    article, ada_api, anonymous_api
):
    response = ada_api.send(
        "POST", _updates_url(article), {"body": "Timelines are **back**."}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "published"
    assert "<strong>back</strong>" in created["html"]

    listing = anonymous_api.get(_updates_url(article)).json()
    assert [item["id"] for item in listing["results"]] == [created["id"]]
    events = anonymous_api.get(
        f"/api/v1/articles/{article.slug}/events/", since=0
    ).json()
    assert events["events"][-1]["update"]["id"] == created["id"]


def test_updates_page_newest_first_by_cursor_without_repeats_while_new_ones_arrive(
    article, ada, anonymous_api
):
    posted = [
        services.update_publish(user=ada, article=article, body=f"Update {n}")
        for n in range(5)
    ]
    first = anonymous_api.get(_updates_url(article), limit=2).json()
    assert [u["body"] for u in first["results"]] == ["Update 4", "Update 3"]
    services.update_publish(user=ada, article=article, body="Newer, mid-pagination")
    seen = [u["id"] for u in first["results"]]
    next_url = first["next"]
    while next_url:
        page = Client().get(next_url).json()
        seen += [u["id"] for u in page["results"]]
        next_url = page["next"]
    assert seen == [u.pk for u in reversed(posted)]


def test_public_article_detail_and_list_show_live_articles_only(
    article, daily, ada, anonymous_api
):
    from tests.factories import ArticleFactory

    ArticleFactory(newsroom=daily, slug="still-a-draft")
    detail = anonymous_api.get(f"/api/v1/articles/{article.slug}/")
    assert detail.status_code == 200
    assert detail.json()["seq"] == article.seq
    assert detail.json()["links"]["embed"].endswith(f"/embed/{article.slug}/")
    slugs = [
        a["slug"] for a in anonymous_api.get("/api/v1/articles/").json()["results"]
    ]
    assert slugs == [article.slug]
    assert anonymous_api.get("/api/v1/articles/still-a-draft/").status_code == 404


def test_writes_without_a_token_get_401_with_a_json_message(article, anonymous_api):
    response = anonymous_api.send("POST", _updates_url(article), {"body": "Hi"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()
    assert not Update.objects.exists()


def test_a_revoked_token_stops_working_at_once(article, ada, ada_api):
    assert (
        ada_api.send("POST", _updates_url(article), {"body": "one"}).status_code == 201
    )
    token = ada.api_tokens.get()
    from newsroom.integrations.services import token_revoke

    token_revoke(user=ada, token_id=token.pk)
    response = ada_api.send("POST", _updates_url(article), {"body": "two"})
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert Update.objects.count() == 1


def test_roles_apply_as_on_the_desk_contributor_drafts_rival_newsroom_refused(
    article, grace_api, rival_api
):
    refused = grace_api.send("POST", _updates_url(article), {"body": "Publish me"})
    assert refused.status_code == 403
    draft = grace_api.send(
        "POST", _updates_url(article), {"body": "Draft me", "draft": True}
    )
    assert draft.status_code == 201 and draft.json()["state"] == "draft"
    outsider = rival_api.send("POST", _updates_url(article), {"body": "Not my paper"})
    assert outsider.status_code == 403
    assert Update.objects.filter(state=UpdateState.PUBLISHED).count() == 0


def test_a_retried_post_with_the_same_idempotency_key_posts_once(article, ada_api):
    key = str(uuid.uuid4())
    first = ada_api.send(
        "POST", _updates_url(article), {"body": "Once"}, {"Idempotency-Key": key}
    )
    again = ada_api.send(
        "POST", _updates_url(article), {"body": "Once"}, {"Idempotency-Key": key}
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Update.objects.filter(article=article).count() == 1
    article.refresh_from_db()
    assert article.seq == 2  # go-live + one update.created: the retry published nothing

    other = ada_api.send(
        "POST", _updates_url(article), {"body": "Other"}, {"Idempotency-Key": key}
    )
    assert other.status_code == 422
    assert Update.objects.filter(article=article).count() == 1


def test_a_stale_edit_gets_409_with_the_current_text_and_saves_nothing(
    article, ada, ada_api
):
    update = services.update_publish(user=ada, article=article, body="Original")
    url = f"{_updates_url(article)}{update.pk}/"
    first = ada_api.send("PATCH", url, {"body": "Colleague's fix", "base_revision": 1})
    assert first.status_code == 200 and first.json()["revision"] == 2
    stale = ada_api.send("PATCH", url, {"body": "My fix", "base_revision": 1})
    assert stale.status_code == 409
    assert stale.json()["current_revision"] == 2
    assert stale.json()["current_body"] == "Colleague's fix"
    update.refresh_from_db()
    assert update.body == "Colleague's fix"


def test_invalid_input_gets_400_with_field_messages(article, ada_api):
    empty = ada_api.send("POST", _updates_url(article), {"body": "   "})
    assert empty.status_code == 400
    assert empty.json() == {"body": ["Write something before posting."]}
    missing = ada_api.send("POST", _updates_url(article), {"kind": "nonsense"})
    assert missing.status_code == 400
    assert set(missing.json()) == {"body", "kind"}


def test_an_oversized_body_gets_413(article, ada_api):
    with override_settings(LIVEDESK_API_MAX_BODY_BYTES=1000):
        response = ada_api.send("POST", _updates_url(article), {"body": "x" * 2000})
    assert response.status_code == 413
    assert "at most 1,000 bytes" in response.json()["detail"]
    assert not Update.objects.exists()


def test_writes_beyond_the_rate_limit_get_429_while_reads_still_work(article, ada_api):
    with override_settings(LIVEDESK_API_WRITE_RATE="3/min"):
        statuses = [
            ada_api.send("POST", _updates_url(article), {"body": f"n{n}"}).status_code
            for n in range(4)
        ]
        assert statuses == [201, 201, 201, 429]
        limited = ada_api.send("POST", _updates_url(article), {"body": "again"})
        assert "Retry-After" in limited
        assert ada_api.get(_updates_url(article)).status_code == 200
    assert Update.objects.count() == 3


def test_unknown_article_or_update_is_404_json(article, ada_api):
    assert (
        ada_api.send(
            "POST", "/api/v1/articles/nope/updates/", {"body": "x"}
        ).status_code
        == 404
    )
    missing = ada_api.send(
        "PATCH", f"{_updates_url(article)}999999/", {"body": "x", "base_revision": 1}
    )
    assert missing.status_code == 404
    assert "detail" in missing.json()


def test_an_update_of_another_article_is_not_reachable_through_this_article(
    article, daily, ada, ada_api
):
    from tests.factories import ArticleFactory

    other = services.article_go_live(user=ada, article=ArticleFactory(newsroom=daily))
    update = services.update_publish(user=ada, article=other, body="Elsewhere")
    response = ada_api.send("POST", f"{_updates_url(article)}{update.pk}/pin/")
    assert response.status_code == 404


def test_issue_token_command_prints_a_working_token(article, ada):
    out = StringIO()
    call_command("issue_token", "ada", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("ld_")
    response = Client().post(
        _updates_url(article),
        '{"body": "From the CLI"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201
    assert ada.api_tokens.get().digest != raw  # stored hashed, never in clear


def test_tokens_are_issued_once_shown_and_revoked_on_the_desk_profile_page(
    article, ada
):
    client = Client()
    client.force_login(ada)
    page = client.post("/desk/profile/", {"name": "CMS"})
    assert page.status_code == 200
    raw = page.context["new_token"]
    assert raw in page.content.decode()
    assert raw not in client.get("/desk/profile/").content.decode()  # shown only once
    token = ada.api_tokens.get()
    client.post(f"/desk/profile/tokens/{token.pk}/revoke/")
    api_call = Client().get(
        "/api/v1/articles/", headers={"Authorization": f"Bearer {raw}"}
    )
    assert api_call.status_code == 401


def test_nobody_revokes_someone_elses_token(ada, grace):
    from newsroom.integrations.services import token_issue

    token, _ = token_issue(user=ada)
    client = Client()
    client.force_login(grace)
    assert client.post(f"/desk/profile/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
