from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from newsroom.consumers import DeskConsumer

websocket_urlpatterns = [
    # The desk acts for a logged-in editor: session auth, and only pages of this
    # site (Origin in ALLOWED_HOSTS) may open it, against cross-site hijacking.
    path(
        "ws/desk/<slug:slug>/",
        AllowedHostsOriginValidator(AuthMiddlewareStack(DeskConsumer.as_asgi())),
    ),
]
