from __future__ import annotations

from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """Outage signals: sources, the import worker, signals and desk suggestions.

    The pure core (parsers, diffing, drafting, fetching) lives in this package's
    plain modules and imports no Django; models, services and tasks build on it.
    """

    name = "newsroom.sources"
    label = "sources"
    verbose_name = "Outage signals"
    default_auto_field = "django.db.models.BigAutoField"
