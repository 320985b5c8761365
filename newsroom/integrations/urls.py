from __future__ import annotations

from django.urls import path

from newsroom.integrations import views

app_name = "integrations"

# Mounted at /desk/profile/ (before the desk's <slug>/ pattern).
urlpatterns = [
    path("", views.profile, name="profile"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("webhooks/add/", views.webhook_add, name="webhook_add"),
]
