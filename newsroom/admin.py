from __future__ import annotations

from django.contrib import admin

from newsroom.models import Membership, Newsroom


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Newsroom)
class NewsroomAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "newsroom", "role"]
    list_filter = ["role", "newsroom"]
