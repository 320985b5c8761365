"""The OpenAPI schema validates, and every operation it documents is called
here and answers with a status the schema documents for it."""

from __future__ import annotations

import uuid
from typing import Any

from django.test import Client
from drf_spectacular.validation import validate_schema

from liveblog import services


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
    article, ada, ada_api
):
    draft = services.update_draft_save(user=ada, article=article, body="A draft")
    update = services.update_publish(user=ada, article=article, body="Published")
    to_delete = services.update_publish(user=ada, article=article, body="Will go")
    base = "/api/v1/articles"
    slug = article.slug
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
        if method == "get":
            response = ada_api.get(url)
        else:
            response = ada_api.send(
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
