"""What the desk is told about suggestions and sources, and the one way to tell it.

Messages go to the article's desk group on the channel layer
(``desk.<article_id>``); ``newsroom.consumers.DeskConsumer.desk_message``
forwards the payload to each editor's browser, where ``suggestions.js`` handles
it by ``type``.  They are sent only after the transaction that caused them
commits, and losing one loses nothing: the desk page lists the same state from
the database on every load.
"""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.template.loader import render_to_string

from newsroom.consumers import desk_group
from newsroom.sources.models import SignalSource, Suggestion

logger = logging.getLogger(__name__)

SUGGESTION_CREATED = "suggestion.created"  # new, or re-drafted with more detail
SUGGESTION_HANDLED = "suggestion.handled"  # published or dismissed by an editor
SOURCE_HEALTH = "source.health"  # a watched source started or stopped failing


class SuggestionMessage(TypedDict):
    type: str
    id: int
    state: str
    html: str  # the card, rendered once by the same template as the desk page


class HandledMessage(TypedDict):
    type: str
    id: int
    state: str
    handled_by: str
    update_id: int | None


class HealthMessage(TypedDict):
    type: str
    source_id: int
    healthy: bool
    html: str


def suggestion_message(suggestion: Suggestion) -> SuggestionMessage:
    html = render_to_string("newsroom/_suggestion.html", {"suggestion": suggestion})
    return {"type": SUGGESTION_CREATED, "id": suggestion.pk, "state": suggestion.state, "html": html}


def handled_message(suggestion: Suggestion) -> HandledMessage:
    return {
        "type": SUGGESTION_HANDLED,
        "id": suggestion.pk,
        "state": suggestion.state,
        "handled_by": suggestion.handled_by.get_username() if suggestion.handled_by else "",
        "update_id": suggestion.published_update_id,
    }


def health_message(source: SignalSource) -> HealthMessage:
    html = render_to_string("newsroom/_source_health.html", {"source": source})
    return {"type": SOURCE_HEALTH, "source_id": source.pk, "healthy": source.is_healthy, "html": html}


def send_to_desk(*, article_id: int, payload: dict[str, Any] | Any) -> None:
    """Send one message to every editor on the article's desk.  Never raises:
    the database already holds the state, the message only saves a reload."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(
            desk_group(article_id), {"type": "desk.message", "payload": payload}
        )
    except Exception:  # a Redis hiccup must not fail the worker's import
        logger.warning("could not notify desk %s", article_id, exc_info=True)


def send_after_commit(*, article_id: int, payload: dict[str, Any] | Any) -> None:
    """``send_to_desk`` once the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: send_to_desk(article_id=article_id, payload=payload))
