"""The OpenAPI schema validates, and every operation it documents is called
here and answers with a status the schema documents for it."""

from __future__ import annotations

import uuid
from typing import Any

from django.test import Client
from drf_spectacular.validation import validate_schema

from liveblog import services
from newsroom.sources import services as source_services
from tests.integrations.conftest import Api, _token_for
from tests.integrations.test_sources_api import outage_reported, watched_monitor


def _schema() -> dict[str, Any]:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_openapi_schema_is_valid_openapi_3(db):
    schema = _schema()
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema
    assert schema["openapi"].startswith("3.")
    assert "bearerToken" in schema["components"]["securitySchemes"]


def test_api_docs_page_loads_its_scripts_from_this_site(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "<script>" not in html  # the split view: no inline script, CSP holds


def test_every_documented_operation_answers_with_a_documented_status(
    article, ada, ada_api, admin_user
):
    draft = services.update_draft_save(user=ada, article=article, body="A draft")
    update = services.update_publish(user=ada, article=article, body="Published")
    to_delete = services.update_publish(user=ada, article=article, body="Will go")
    base = "/api/v1/articles"
    slug = article.slug
    monitor = watched_monitor(article)
    to_publish, to_dismiss = outage_reported(monitor) + outage_reported(
        monitor, incident="inc-43"
    )
    managed = source_services.source_create(
        user=admin_user, newsroom=article.newsroom, name="GitHub", kind="webhook"
    )
    # Managing sources takes an admin; everything else is done as ada, an editor.
    admin_api = Api(_token_for(admin_user))
    admin_paths = {
        "/api/v1/newsrooms/{slug}/sources/",
        "/api/v1/sources/{source_id}/",
        "/api/v1/sources/{source_id}/rotate-token/",
    }
    calls: list[tuple[str, str, str, Any]] = [
        ("get", "/api/v1/articles/", "/api/v1/articles/", None),
        (
            "post",
            "/api/v1/articles/",
            "/api/v1/articles/",
            {"newsroom": "daily", "title": "Site B is down", "slug": "site-b-is-down"},
        ),
        ("get", "/api/v1/articles/{slug}/", f"{base}/{slug}/", None),
        (
            "patch",
            "/api/v1/articles/{slug}/",
            f"{base}/{slug}/",
            {"title": "Twitter was down"},
        ),
        (
            "get",
            "/api/v1/articles/{slug}/events/",
            f"{base}/{slug}/events/?since=0",
            None,
        ),
        ("get", "/api/v1/articles/{slug}/updates/", f"{base}/{slug}/updates/", None),
        (
            "post",
            "/api/v1/articles/{slug}/updates/",
            f"{base}/{slug}/updates/",
            {"body": "New"},
        ),
        (
            "get",
            "/api/v1/articles/{slug}/updates/{update_id}/",
            f"{base}/{slug}/updates/{update.pk}/",
            None,
        ),
        (
            "patch",
            "/api/v1/articles/{slug}/updates/{update_id}/",
            f"{base}/{slug}/updates/{update.pk}/",
            {"body": "Published, fixed", "base_revision": 1},
        ),
        (
            "post",
            "/api/v1/articles/{slug}/updates/{update_id}/pin/",
            f"{base}/{slug}/updates/{update.pk}/pin/",
            None,
        ),
        ("delete", "/api/v1/articles/{slug}/pin/", f"{base}/{slug}/pin/", None),
        (
            "post",
            "/api/v1/articles/{slug}/updates/{update_id}/strike/",
            f"{base}/{slug}/updates/{update.pk}/strike/",
            {"reason": "Wrong"},
        ),
        (
            "post",
            "/api/v1/articles/{slug}/updates/{update_id}/publish/",
            f"{base}/{slug}/updates/{draft.pk}/publish/",
            None,
        ),
        (
            "delete",
            "/api/v1/articles/{slug}/updates/{update_id}/",
            f"{base}/{slug}/updates/{to_delete.pk}/",
            None,
        ),
        (
            "get",
            "/api/v1/articles/{slug}/suggestions/",
            f"{base}/{slug}/suggestions/",
            None,
        ),
        (
            "post",
            "/api/v1/suggestions/{suggestion_id}/publish/",
            f"/api/v1/suggestions/{to_publish.pk}/publish/",
            {"body": "Checkout is failing."},
        ),
        (
            "post",
            "/api/v1/suggestions/{suggestion_id}/dismiss/",
            f"/api/v1/suggestions/{to_dismiss.pk}/dismiss/",
            None,
        ),
        (
            "get",
            "/api/v1/newsrooms/{slug}/sources/",
            "/api/v1/newsrooms/daily/sources/",
            None,
        ),
        (
            "post",
            "/api/v1/newsrooms/{slug}/sources/",
            "/api/v1/newsrooms/daily/sources/",
            {"name": "Probe", "kind": "probe", "url": "https://example.com/"},
        ),
        (
            "get",
            "/api/v1/sources/{source_id}/",
            f"/api/v1/sources/{managed.pk}/",
            None,
        ),
        (
            "patch",
            "/api/v1/sources/{source_id}/",
            f"/api/v1/sources/{managed.pk}/",
            {"interval_seconds": 30},
        ),
        (
            "post",
            "/api/v1/sources/{source_id}/rotate-token/",
            f"/api/v1/sources/{managed.pk}/rotate-token/",
            None,
        ),
        ("get", "/api/v1/articles/{slug}/sources/", f"{base}/{slug}/sources/", None),
        (
            "put",
            "/api/v1/articles/{slug}/sources/{source_id}/",
            f"{base}/{slug}/sources/{managed.pk}/",
            None,
        ),
        (
            "delete",
            "/api/v1/articles/{slug}/sources/{source_id}/",
            f"{base}/{slug}/sources/{managed.pk}/",
            None,
        ),
    ]
    schema = _schema()
    documented = {
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "patch", "put", "delete")
    }
    assert {(method, path) for method, path, _, _ in calls} == documented

    for method, path, url, body in calls:
        api = admin_api if path in admin_paths else ada_api
        if method == "get":
            response = api.get(url)
        else:
            response = api.send(
                method, url, body, {"Idempotency-Key": str(uuid.uuid4())}
            )
        allowed = set(schema["paths"][path][method]["responses"])
        assert str(response.status_code) in allowed, (
            method,
            url,
            response.status_code,
            response.content,
        )
        assert response.status_code < 300, (method, url, response.content)
