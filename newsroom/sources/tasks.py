"""Celery tasks of the import worker.  Thin: load by id, take the source's lock,
call ``polling.source_poll`` or ``services.signals_import``.

- ``enqueue_due_sources`` (beat, every 15 s): enqueue each enabled, polled
  source whose ``next_poll_at`` has come; claiming it pushes ``next_poll_at``
  one interval ahead with a conditional UPDATE, so two beats never enqueue the
  same poll twice.
- ``poll_source(source_id)``: one poll.  A Redis lock per source means two
  workers never poll one source at once; a second run finds the lock taken
  and returns.  Safe to retry: every write is deduped by the signals' unique
  constraint, and the state is saved in the import's transaction.
- ``process_webhook(source_id, body)``: import a webhook body the view already
  validated, under the same lock, so a webhook and a poll of one source never
  interleave.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from functools import lru_cache

import redis
from celery import shared_task
from django.db import OperationalError
from django.db.models import Q
from django.utils import timezone

from newsroom.sources import services
from newsroom.sources.conf import sources_settings
from newsroom.sources.models import POLLED_KINDS, SignalSource
from newsroom.sources.polling import source_poll
from newsroom.sources.types import ParseError
from newsroom.sources.webhook import parse_webhook

logger = logging.getLogger(__name__)

# Longer than the slowest poll can take (fetch timeout ~2× 10 s plus import), so
# the lock never expires under a live poll; short enough that a worker killed
# mid-poll blocks the source for under a minute.
LOCK_SECONDS = 60
# A webhook waits this long for a running poll of its source to finish.
WEBHOOK_LOCK_WAIT_SECONDS = 30


@lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


@contextlib.contextmanager
def source_lock(source_id: int, *, wait: float = 0) -> Iterator[bool]:
    """Hold the source's Redis lock; yields False when another worker has it."""
    lock = _redis(sources_settings.REDIS_URL).lock(
        f"{sources_settings.REDIS_PREFIX}:sources:lock:{source_id}",
        timeout=LOCK_SECONDS,
        blocking=wait > 0,
        blocking_timeout=wait or None,
    )
    acquired = lock.acquire()
    try:
        yield bool(acquired)
    finally:
        if acquired:
            with contextlib.suppress(redis.exceptions.LockError):
                lock.release()


@shared_task(
    name="newsroom.sources.tasks.enqueue_due_sources", ignore_result=True
)
def enqueue_due_sources() -> int:
    """Enqueue a poll of every enabled source that is due; returns how many."""
    now = timezone.now()
    due = SignalSource.objects.filter(enabled=True, kind__in=list(POLLED_KINDS)).filter(
        Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    )
    count = 0
    for source_id, next_poll_at, interval in due.values_list(
        "pk", "next_poll_at", "interval_seconds"
    ):
        claimed = SignalSource.objects.filter(pk=source_id, next_poll_at=next_poll_at).update(
            next_poll_at=now + timezone.timedelta(seconds=interval)
        )
        if claimed:
            poll_source.delay(source_id)
            count += 1
    return count


@shared_task(
    name="newsroom.sources.tasks.poll_source",
    ignore_result=True,
    autoretry_for=(OperationalError,),  # a locked or restarting database passes
    retry_backoff=True,
    max_retries=3,
)
def poll_source(source_id: int) -> int | None:
    """Poll one source now; returns the number of new signals (None: skipped or failed)."""
    with source_lock(source_id) as acquired:
        if not acquired:
            logger.info("source %s is being polled elsewhere; skipped", source_id)
            return None
        source = SignalSource.objects.filter(pk=source_id, enabled=True).first()
        if source is None:
            return None
        result = source_poll(source=source)
        return None if result is None else len(result.signals)


@shared_task(
    name="newsroom.sources.tasks.process_webhook",
    bind=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def process_webhook(self: object, source_id: int, body: str) -> int:
    """Import one webhook body for a source; returns the number of new signals."""
    source = SignalSource.objects.filter(pk=source_id).first()
    if source is None:
        return 0
    try:
        changes = parse_webhook(
            body, source_key=f"source-{source.pk}", page_name=source.name, page_url=source.url or None
        )
    except ParseError as error:  # the view checked it; a change of code since, say
        logger.warning("webhook for source %s no longer parses: %s", source_id, error)
        return 0
    with source_lock(source_id, wait=WEBHOOK_LOCK_WAIT_SECONDS) as acquired:
        if not acquired:
            raise OperationalError(f"source {source_id} stayed locked; retrying the webhook")
        result = services.signals_import(source=source, changes=changes, via="webhook")
    return len(result.signals)
