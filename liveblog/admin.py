"""Django admin for staff: browsing and repair.  Coverage changes that readers
must see go through the desk (the services), so the admin shows updates and
events read-only rather than saving around the event log."""

from __future__ import annotations

from django.contrib import admin

from liveblog.models import Event, LiveArticle, Update, UpdateRevision


@admin.register(LiveArticle)
class LiveArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "newsroom", "status", "seq", "modified_at"]
    list_filter = ["status", "newsroom"]
    search_fields = ["title", "slug"]
    readonly_fields = ["seq", "coverage_start", "coverage_end", "pinned_update", "modified_at"]


class RevisionInline(admin.TabularInline):
    model = UpdateRevision
    extra = 0
    can_delete = False
    readonly_fields = ["number", "body", "edited_by", "created_at"]
    exclude = ["body_html"]


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "state", "seq", "published_at"]
    list_filter = ["state", "kind"]
    inlines = [RevisionInline]

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["article", "seq", "type", "created_at"]
    list_filter = ["type"]

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
