from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "newsroom.integrations"
    label = "integrations"
    verbose_name = "Integrations (API, webhooks)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from liveblog import events
        from newsroom.integrations import services
        from newsroom.integrations.api import schema  # noqa: F401  (OpenAPI extensions)

        # liveblog knows nothing of webhooks: it calls whatever hooks are listed
        # while it records an event.  Appended once even if ready() runs twice.
        if services.webhooks_enqueue_for_event not in events.event_recorded_hooks:
            events.event_recorded_hooks.append(services.webhooks_enqueue_for_event)
