"""Typed access to the integrations app's settings, read on each access so that
``override_settings`` works in tests."""

from __future__ import annotations

from django.conf import settings


class IntegrationsSettings:
    @property
    def API_WRITE_RATE(self) -> str:
        # Two writes a second sustained is far above any human desk and still
        # stops a runaway script before it floods readers.
        return getattr(settings, "LIVEDESK_API_WRITE_RATE", "120/min")

    @property
    def API_MAX_BODY_BYTES(self) -> int:
        # An update is at most 10,000 characters (up to 4 bytes each in UTF-8)
        # plus a little JSON: 64 KiB is generous; anything bigger is a mistake.
        return getattr(settings, "LIVEDESK_API_MAX_BODY_BYTES", 64 * 1024)

    @property
    def WEBHOOK_MAX_ATTEMPTS(self) -> int:
        # With the default backoff (10 s doubling) 8 attempts span ~20 minutes:
        # long enough to ride out a receiver's restart or deploy.
        return getattr(settings, "LIVEDESK_WEBHOOK_MAX_ATTEMPTS", 8)

    @property
    def WEBHOOK_BACKOFF_SECONDS(self) -> float:
        return getattr(settings, "LIVEDESK_WEBHOOK_BACKOFF_SECONDS", 10.0)

    @property
    def WEBHOOK_TIMEOUT_SECONDS(self) -> float:
        # A receiver slower than this holds a worker; it is retried later instead.
        return getattr(settings, "LIVEDESK_WEBHOOK_TIMEOUT_SECONDS", 5.0)


integrations_settings = IntegrationsSettings()
