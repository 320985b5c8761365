"""The ASGI app: Django for HTTP; WebSockets for readers (open, receive-only)
and the desk (session-authenticated, Origin checked against ALLOWED_HOSTS)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from liveblog.routing import websocket_urlpatterns as reader_routes  # noqa: E402
from liveblog.shortcut import EventsShortcut  # noqa: E402
from newsroom.routing import websocket_urlpatterns as desk_routes  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Conditional polls of an article this process watches are answered
        # without Django (liveblog.shortcut); everything else is Django's.
        "http": EventsShortcut(django_asgi_app),
        # Reader routes are open (embeds live on other sites); desk routes carry
        # their own auth and Origin checks (newsroom.routing).
        "websocket": URLRouter([*reader_routes, *desk_routes]),
    }
)
