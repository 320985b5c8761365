"""Typed access to Livedesk's app settings, read on each access so that
``override_settings`` works in tests."""

from __future__ import annotations

from django.conf import settings


class LiveblogSettings:
    @property
    def UPDATE_MAX_CHARS(self) -> int:
        return getattr(settings, "LIVEDESK_UPDATE_MAX_CHARS", 10_000)

    @property
    def PAGE_SIZE(self) -> int:
        return getattr(settings, "LIVEDESK_PAGE_SIZE", 20)

    @property
    def REDIS_URL(self) -> str:
        return settings.REDIS_URL

    @property
    def REDIS_PREFIX(self) -> str:
        return settings.LIVEDESK_REDIS_PREFIX

    @property
    def READER_QUEUE_SIZE(self) -> int:
        # A reader this many events behind is on a dead or stalled link; it is
        # closed and reconnects with `since`, catching up from the database.
        return getattr(settings, "LIVEDESK_READER_QUEUE_SIZE", 64)

    @property
    def HEARTBEAT_SECONDS(self) -> float:
        # Under the 30 s idle timeout of common proxies and load balancers.
        return getattr(settings, "LIVEDESK_HEARTBEAT_SECONDS", 25.0)

    @property
    def SITE_URL(self) -> str:
        return settings.SITE_URL

    @property
    def EVENTS_MAX_AGE(self) -> int:
        # Seconds a CDN or browser may reuse an events answer: short enough that a
        # polling reader is never more than a couple of seconds behind.
        return getattr(settings, "LIVEDESK_EVENTS_MAX_AGE", 2)

    @property
    def PAGE_MAX_AGE(self) -> int:
        return getattr(settings, "LIVEDESK_PAGE_MAX_AGE", 5)


liveblog_settings = LiveblogSettings()
