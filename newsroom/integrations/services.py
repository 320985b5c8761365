"""Writes of the integrations app: API tokens, idempotent calls and webhooks.

Coverage itself is never written here: the API calls ``liveblog.services``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import httpx
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from liveblog.conf import liveblog_settings
from newsroom.integrations.conf import integrations_settings
from newsroom.integrations.models import (
    ApiToken,
    DeliveryStatus,
    IdempotencyKey,
    OutboundWebhook,
    WebhookDelivery,
)
from newsroom.permissions import Action, check

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from liveblog.models import Event, LiveArticle
    from newsroom.models import Newsroom

# Tokens --------------------------------------------------------------------

TOKEN_PREFIX = "ld_"  # lets secret scanners and people recognise a Livedesk token
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)  # one write a minute, not one a request


def _digest(raw: str) -> str:
    # Tokens carry 256 random bits: a plain SHA-256 is enough (no salt or
    # stretching needed, unlike passwords) and allows a unique-index lookup.
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, user: AbstractBaseUser, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for the user; returns it with the raw value, shown only now."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=raw[:10], digest=_digest(raw)
    )
    return token, raw


def token_revoke(*, user: AbstractBaseUser, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working at once.  Idempotent."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise PermissionDenied("That is not one of your tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token with this value (its user loaded), or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# Idempotency ---------------------------------------------------------------


class IdempotencyKeyReused(Exception):
    """The key was first used for a different request."""


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    data: Any
    replayed: bool


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(
        b"\n".join([method.encode(), path.encode(), body])
    ).hexdigest()


def idempotent_call(
    *,
    user: AbstractBaseUser,
    key: str,
    fingerprint: str,
    perform: Callable[[], tuple[int, Any]],
) -> StoredResponse:
    """Run ``perform`` once per (user, key); later calls get its stored response.

    ``perform`` and the key row commit together: a failed call stores nothing
    (the client may retry), and of two concurrent calls with one key the unique
    constraint lets exactly one commit; the other is rolled back, events and
    all, and answers with the winner's response.
    """
    stored = IdempotencyKey.objects.filter(user=user, key=key).first()
    if stored is None:
        try:
            with transaction.atomic():
                status_code, data = perform()
                IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    fingerprint=fingerprint,
                    status_code=status_code,
                    response=data,
                )
            return StoredResponse(status_code, data, replayed=False)
        except IntegrityError:
            stored = IdempotencyKey.objects.filter(user=user, key=key).first()
            if stored is None:
                raise
    if stored.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used for a different request."
        )
    return StoredResponse(stored.status_code, stored.response, replayed=True)


# Webhooks ------------------------------------------------------------------

SIGNATURE_HEADER = "X-Livedesk-Signature"
EVENT_HEADER = "X-Livedesk-Event"
DELIVERY_HEADER = "X-Livedesk-Delivery"


def webhook_create(
    *, user: AbstractBaseUser, newsroom: Newsroom, url: str, description: str = ""
) -> OutboundWebhook:
    """Register a receiver for the newsroom's events (newsroom admins)."""
    check(user=user, newsroom=newsroom, action=Action.MANAGE_SETTINGS)
    return OutboundWebhook.objects.create(
        newsroom=newsroom,
        url=url,
        secret=secrets.token_hex(32),
        description=description[:200],
    )


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: ``t=<unix time>,v1=<hex HMAC-SHA256>``.

    The MAC covers ``"<t>." + body`` so a receiver can refuse old replays by
    checking ``t`` as well as the MAC.
    """
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def webhook_signature_valid(*, secret: str, header: str, body: bytes) -> bool:
    """What a receiver does: recompute the MAC and compare in constant time."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    expected = webhook_signature(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, header)


def webhooks_enqueue_for_event(
    *, article: LiveArticle, event: Event
) -> list[WebhookDelivery]:
    """Record one delivery per active webhook of the article's newsroom and queue
    it after commit.

    Runs inside the transaction that records the event (``liveblog.events``
    calls it through ``event_recorded_hooks``): the deliveries commit with the
    event or not at all, so nothing is lost while the broker or a receiver is
    down; a delivery whose task was lost is still ``pending`` in the log.
    """
    from newsroom.integrations.tasks import deliver_webhook

    webhooks = list(
        OutboundWebhook.objects.filter(
            newsroom_id=article.newsroom_id, is_active=True
        ).values_list("pk", flat=True)
    )
    deliveries = [
        WebhookDelivery.objects.create(webhook_id=pk, event=event) for pk in webhooks
    ]
    for delivery in deliveries:
        deliver_webhook.delay_on_commit(delivery.pk)
    return deliveries


def webhook_payload(delivery: WebhookDelivery) -> bytes:
    event = delivery.event
    article = event.article
    message = json.loads(event.message)
    payload: dict[str, Any] = {
        "delivery": delivery.pk,
        "type": event.type,
        "seq": event.seq,
        "article": {
            "slug": article.slug,
            "title": article.title,
            "url": f"{liveblog_settings.SITE_URL}{article.get_absolute_url()}",
        },
        "created": event.created_at.isoformat(),
        # The same message readers received, with its rendered HTML regions.
        "event": message,
    }
    update = message.get("update")
    if update:
        payload["update_url"] = (
            f"{liveblog_settings.SITE_URL}/live/{article.slug}/updates/{update['id']}/"
        )
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def webhook_delivery_attempt(*, delivery_id: int) -> float | None:
    """Try one delivery once.  Returns the seconds to wait before the next try,
    or None when there is nothing more to do (delivered, failed for good, gone).

    Idempotent: a delivery that is no longer pending is left alone.  Backoff
    doubles from ``WEBHOOK_BACKOFF_SECONDS``; after ``WEBHOOK_MAX_ATTEMPTS``
    the delivery is logged as failed.
    """
    delivery = (
        WebhookDelivery.objects.select_related("webhook", "event__article")
        .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .first()
    )
    if delivery is None:
        return None
    body = webhook_payload(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Livedesk-Webhook/1",
        EVENT_HEADER: delivery.event.type,
        DELIVERY_HEADER: str(delivery.pk),
        SIGNATURE_HEADER: webhook_signature(
            secret=delivery.webhook.secret, timestamp=int(time.time()), body=body
        ),
    }
    status_code: int | None = None
    error = ""
    try:
        response = httpx.post(
            delivery.webhook.url,
            content=body,
            headers=headers,
            timeout=integrations_settings.WEBHOOK_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status_code
    delivery.last_error = error
    retry_in: float | None = None
    if not error:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts >= integrations_settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        retry_in = integrations_settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (
            delivery.attempts - 1
        )
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "status",
            "delivered_at",
        ]
    )
    return retry_in
