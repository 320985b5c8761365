"""Rate limits on the write API, per token holder."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from newsroom.integrations.conf import integrations_settings


class WriteThrottle(SimpleRateThrottle):
    """``LIVEDESK_API_WRITE_RATE`` writes per user; reads are never throttled here
    (they are cacheable and a CDN absorbs them)."""

    scope = "write"

    def get_rate(self) -> str:
        # Read on each request, not at import, so the setting can change in tests.
        return integrations_settings.API_WRITE_RATE

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user is None or not request.user.is_authenticated:
            return self.cache_format % {
                "scope": self.scope,
                "ident": self.get_ident(request),
            }
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
