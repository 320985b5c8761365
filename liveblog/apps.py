from __future__ import annotations

from django.apps import AppConfig


class LiveblogConfig(AppConfig):
    name = "liveblog"
    verbose_name = "Live coverage"

    def ready(self) -> None:
        from liveblog import checks  # noqa: F401  (registers system checks)
