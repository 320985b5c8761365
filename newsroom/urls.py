"""Root URLs: the reader side (liveblog), the desk, accounts and the admin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("desk/", include("newsroom.desk_urls")),
    path("", include("liveblog.urls")),
]
