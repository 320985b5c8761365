"""Event types and the one way to record and publish an event.

``record_event`` runs inside the service's transaction: it bumps the article's
``seq``, encodes the message once and stores it in the ``Event`` outbox.  After
the transaction commits, ``publish`` sends that same text with one Redis
``PUBLISH``; every server process hands it unchanged to each of its readers.
If the publish fails, nothing is lost: readers catch up from the outbox.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any, Callable, NotRequired, TypedDict

import redis
from django.db import transaction
from django.utils import timezone

from liveblog.conf import liveblog_settings
from liveblog.models import Event, EventType, LiveArticle

logger = logging.getLogger(__name__)


class UpdateRegions(TypedDict):
    """Ready-made HTML for every region of the page an update appears in."""

    id: int
    seq: int | None
    kind: str
    state: str
    card: str  # the update in the stream ("" once deleted)
    key_event: str  # its entry in "Key events" ("" when not a key event)


class EventMessage(TypedDict):
    """What every reader receives; encoded once per change."""

    type: str
    seq: int
    article: str
    modified: str  # ISO 8601 UTC
    modified_label: str  # "Last updated 2:50 p.m." in the article's language
    update: NotRequired[UpdateRegions]
    pinned: NotRequired[str]  # the whole pinned slot, when it changed
    header: NotRequired[str]  # the article header, for article.updated


# Called as ``hook(article=..., event=...)`` inside the transaction that records
# each event, so whatever a hook writes commits with the event or not at all.
# Apps outside liveblog append here from AppConfig.ready() (the integrations
# app queues webhook deliveries); liveblog never imports them.
event_recorded_hooks: list[Callable[..., Any]] = []


def channel_name(article_id: int) -> str:
    """The Redis pub/sub channel carrying one article's events."""
    return f"{liveblog_settings.REDIS_PREFIX}:article:{article_id}"


def record_event(
    *, article: LiveArticle, type: EventType, body: dict[str, Any]
) -> Event:
    """Append one event to the article's log and publish it after commit.

    Must run inside ``transaction.atomic()`` with the article row locked
    (``select_for_update``) so that ``seq`` numbers are gap-free and never reused.
    """
    from liveblog.presentation import last_updated_label

    now = timezone.now()
    article.seq += 1
    article.modified_at = now
    LiveArticle.objects.filter(pk=article.pk).update(seq=article.seq, modified_at=now)
    message: EventMessage = {
        "type": type.value,
        "seq": article.seq,
        "article": article.slug,
        "modified": now.isoformat(),
        "modified_label": last_updated_label(article),
        **body,  # type: ignore[typeddict-item]
    }
    # Encoded here, once; `<` escaped so the text is also safe inside a <script>.
    text = json.dumps(message, ensure_ascii=False, separators=(",", ":")).replace(
        "<", "\\u003c"
    )
    event = Event.objects.create(article=article, seq=article.seq, type=type, message=text)
    for hook in event_recorded_hooks:
        hook(article=article, event=event)
    article_id = article.pk
    transaction.on_commit(lambda: publish(article_id=article_id, message=text))
    return event


@lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def publish(*, article_id: int, message: str) -> None:
    """Ring the doorbell: one PUBLISH of the pre-encoded event.  Never raises."""
    try:
        _redis(liveblog_settings.REDIS_URL).publish(channel_name(article_id), message)
    except redis.RedisError:
        # The outbox holds the event; subscribers resync from it on reconnect and
        # clients fill gaps over HTTP.  Losing the doorbell only delays delivery.
        logger.warning("could not publish event for article %s", article_id, exc_info=True)
