from __future__ import annotations

from django.urls import path

from liveblog.consumers import ReaderConsumer

websocket_urlpatterns = [
    path("ws/live/<slug:slug>/", ReaderConsumer.as_asgi()),
]
