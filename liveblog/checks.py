"""System checks for Livedesk's settings, with stable IDs the tests assert."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from liveblog.conf import liveblog_settings


@register()
def check_livedesk_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if not str(settings.REDIS_URL).startswith(("redis://", "rediss://", "unix://")):
        problems.append(
            Error(
                "REDIS_URL must be a redis://, rediss:// or unix:// URL.",
                hint="Set REDIS_URL, or leave it unset and start with `make run`.",
                id="liveblog.E001",
            )
        )
    if liveblog_settings.READER_QUEUE_SIZE < 8:
        problems.append(
            Warning(
                "LIVEDESK_READER_QUEUE_SIZE below 8 closes readers on ordinary bursts.",
                id="liveblog.W001",
            )
        )
    if not liveblog_settings.SITE_URL.startswith(("http://", "https://")):
        problems.append(
            Error(
                "LIVEDESK_SITE_URL must be an absolute http(s) URL.",
                hint="e.g. https://live.example.com",
                id="liveblog.E002",
            )
        )
    return problems
