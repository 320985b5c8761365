from __future__ import annotations

from django.contrib import admin

from newsroom.sources.models import ArticleWatch, Signal, SignalSource, Suggestion


class WatchInline(admin.TabularInline):
    model = ArticleWatch
    extra = 0
    raw_id_fields = ["article"]


@admin.register(SignalSource)
class SignalSourceAdmin(admin.ModelAdmin):
    list_display = [
        "name", "newsroom", "kind", "enabled", "interval_seconds",
        "last_success_at", "consecutive_failures", "last_error",
    ]  # fmt: skip
    list_filter = ["kind", "enabled", "newsroom"]
    search_fields = ["name", "url"]
    # Health and parser state are the worker's; the token is rotated on the desk.
    readonly_fields = [
        "state", "etag", "last_modified", "next_poll_at", "last_polled_at",
        "last_success_at", "last_error_at", "last_error", "consecutive_failures",
        "failure_notified", "webhook_token",
    ]  # fmt: skip
    inlines = [WatchInline]


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "kind", "severity", "occurred_at", "received_via"]
    list_filter = ["kind", "severity", "received_via"]
    search_fields = ["title", "fingerprint"]
    readonly_fields = [field.name for field in Signal._meta.fields]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Read-only: publishing goes through the desk so it is attributed and pushed."""

    list_display = ["title", "article", "source", "severity", "state", "handled_by", "updated_at"]
    list_filter = ["state", "severity"]
    readonly_fields = [field.name for field in Suggestion._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
