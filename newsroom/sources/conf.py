"""Typed access to the sources app's settings, read on each access so that
``override_settings`` works in tests."""

from __future__ import annotations

from django.conf import settings


class SourcesSettings:
    @property
    def ALLOW_PRIVATE(self) -> bool:
        # Refusing private and loopback targets stops a source URL from being
        # used to read the newsroom's internal network (SSRF).  Tests and the
        # offline demo serve payloads on 127.0.0.1 and turn this on.
        return bool(getattr(settings, "LIVEDESK_SOURCES_ALLOW_PRIVATE", False))

    @property
    def FETCH_TIMEOUT(self) -> float:
        # Status pages answer in well under a second; ten covers a struggling
        # one without letting a dead one hold a worker.
        return float(getattr(settings, "LIVEDESK_SOURCES_FETCH_TIMEOUT", 10.0))

    @property
    def MAX_BYTES(self) -> int:
        # The largest real summary.json we have seen is ~300 KB; 2 MB is ample.
        return int(getattr(settings, "LIVEDESK_SOURCES_MAX_BYTES", 2_000_000))

    @property
    def WEBHOOK_MAX_BYTES(self) -> int:
        # A Statuspage incident webhook with every update is a few KB.
        return int(getattr(settings, "LIVEDESK_SOURCES_WEBHOOK_MAX_BYTES", 256_000))

    @property
    def FAILURES_BEFORE_ALERT(self) -> int:
        # One or two failed polls are routine; the third tells the editors once.
        return int(getattr(settings, "LIVEDESK_SOURCES_FAILURES_BEFORE_ALERT", 3))

    @property
    def BACKOFF_CAP_SECONDS(self) -> float:
        return float(getattr(settings, "LIVEDESK_SOURCES_BACKOFF_CAP_SECONDS", 3600.0))

    @property
    def READER_REPORT_SECONDS(self) -> int:
        # One counted report per client and article per window: a reader pressing
        # the button ten times is still one person having problems.
        return int(getattr(settings, "LIVEDESK_READER_REPORT_SECONDS", 600))

    @property
    def REDIS_URL(self) -> str:
        return settings.REDIS_URL

    @property
    def REDIS_PREFIX(self) -> str:
        return settings.LIVEDESK_REDIS_PREFIX


sources_settings = SourcesSettings()

# A source is polled at most this often: faster gains little over a webhook and
# would get the newsroom's IP rate-limited by the vendor.
MIN_INTERVAL_SECONDS = 15
DEFAULT_INTERVAL_SECONDS = 60
