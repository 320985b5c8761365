"""OpenAPI additions: the bearer-token scheme, and the events endpoint (a plain
Django view in ``liveblog.views`` that DRF does not see) so the schema
documents every public read."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "newsroom.integrations.api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from the desk profile page "
            "or `manage.py issue_token`.",
        }


EVENTS_PATH = "/api/v1/articles/{slug}/events/"


def add_events_endpoint(
    result: dict[str, Any], generator: Any, **kwargs: Any
) -> dict[str, Any]:
    """Postprocessing hook: document ``GET /api/v1/articles/{slug}/events/``."""
    result.setdefault("components", {}).setdefault("schemas", {})["EventsPage"] = {
        "type": "object",
        "required": ["seq", "events"],
        "properties": {
            "seq": {"type": "integer", "description": "The article's newest seq."},
            "more": {
                "type": "boolean",
                "description": "More events follow: ask again with the last seq.",
            },
            "events": {
                "type": "array",
                "items": {"type": "object", "additionalProperties": True},
                "description": "Messages as the WebSocket sends them, in seq order.",
            },
            "resync": {
                "type": "boolean",
                "description": "`since` cannot be honoured: reload the stream.",
            },
            "error": {"type": "string"},
        },
    }
    result["paths"][EVENTS_PATH] = {
        "get": {
            "operationId": "api_v1_articles_events_list",
            "summary": "Events after a seq",
            "description": "The polling fallback and gap filler: every event after "
            "`since`, pre-encoded, with a short public Cache-Control and an ETag.",
            "tags": ["api"],
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
                {
                    "name": "since",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 0},
                },
            ],
            "responses": {
                "200": {
                    "description": "Events after `since`.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/EventsPage"}
                        }
                    },
                },
                "304": {"description": "Not modified."},
                "400": {
                    "description": "`since` is not a whole number.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/EventsPage"}
                        }
                    },
                },
                "404": {"description": "No public article with this slug."},
            },
        }
    }
    return result
