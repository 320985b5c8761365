"""Root URLs: the reader side (liveblog), the desk, accounts and the admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # Before "desk/": the desk's <slug>/ pattern would otherwise take "profile".
    path("desk/profile/", include("newsroom.integrations.urls")),
    # Outage signals: webhook, reader reports, desk suggestions and sources.
    path("", include("newsroom.sources.urls")),
    path("desk/", include("newsroom.desk_urls")),
    path("api/", include("newsroom.integrations.api.urls")),
    path("", include("liveblog.urls")),
]
