"""Project settings for the API, its schema, the Content-Security-Policy and the
webhooks; star-imported at the end of ``newsroom.settings``.

Kept here so the integrations app owns its configuration; every value reads an
environment variable with an embedded default, like the rest of the settings.
"""

from __future__ import annotations

import environ
from csp.constants import NONE, SELF

env = environ.Env()

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "newsroom.integrations.api.authentication.BearerTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "newsroom.integrations.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Livedesk API",
    "DESCRIPTION": (
        "Public reads of live coverage (no authentication, cacheable) and "
        "token-authenticated writes with the same permission rules as the desk. "
        "Send `Authorization: Bearer <token>`; tokens are issued on the desk "
        "profile page or with `manage.py issue_token`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Updates and signal sources both have a `kind` and a `state`: name each set.
    "ENUM_NAME_OVERRIDES": {
        "UpdateKindEnum": "liveblog.models.UpdateKind",
        "UpdateStateEnum": "liveblog.models.UpdateState",
        "SourceKindEnum": "newsroom.sources.models.SourceKind",
        "SuggestionStateEnum": "newsroom.sources.models.SuggestionState",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "newsroom.integrations.api.schema.add_events_endpoint",
    ],
}

# Content-Security-Policy on every page.  Scripts only from this site, never
# inline; embeds widen frame-ancestors per newsroom (liveblog.embeds).  Inline
# style attributes stay allowed because desk templates use a few.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "https:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Write-API limits (see newsroom.integrations.conf for why each default).
LIVEDESK_API_WRITE_RATE = env.str("LIVEDESK_API_WRITE_RATE", default="120/min")
LIVEDESK_API_MAX_BODY_BYTES = env.int("LIVEDESK_API_MAX_BODY_BYTES", default=64 * 1024)
LIVEDESK_WEBHOOK_MAX_ATTEMPTS = env.int("LIVEDESK_WEBHOOK_MAX_ATTEMPTS", default=8)
LIVEDESK_WEBHOOK_BACKOFF_SECONDS = env.float(
    "LIVEDESK_WEBHOOK_BACKOFF_SECONDS", default=10.0
)
LIVEDESK_WEBHOOK_TIMEOUT_SECONDS = env.float(
    "LIVEDESK_WEBHOOK_TIMEOUT_SECONDS", default=5.0
)
