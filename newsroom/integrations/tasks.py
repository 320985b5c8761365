"""Celery tasks of the integrations app: thin, load by id, call a service."""

from __future__ import annotations

from celery import shared_task

from newsroom.integrations.services import webhook_delivery_attempt


@shared_task(ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    """Try one webhook delivery; if it failed and may be retried, queue the next
    try after the backoff.  Idempotent: a delivery no longer pending is skipped."""
    retry_in = webhook_delivery_attempt(delivery_id=delivery_id)
    if retry_in is not None:
        deliver_webhook.apply_async((delivery_id,), countdown=retry_in)
