"""API tokens, idempotency keys, outbound webhooks and their delivery log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A personal API token.  Only its SHA-256 is stored: the token itself is
    shown once, when issued, and cannot be recovered from the database."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    # The first characters of the token, so a person can tell their tokens apart.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.prefix}… {self.name}".strip()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyKey(models.Model):
    """A client-supplied key and the response its first request got.

    A retried POST carrying the same key is answered with the stored response
    and does nothing; the unique constraint makes two concurrent tries one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=200)
    # SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="idempotency_one_per_user_key"
            )
        ]


class OutboundWebhook(models.Model):
    """A URL that receives every published event of a newsroom, signed."""

    newsroom = models.ForeignKey(
        "newsroom.Newsroom", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=1000)
    # HMAC-SHA256 key shared with the receiver; see services.webhook_signature.
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["newsroom", "pk"]

    def __str__(self) -> str:
        return f"{self.newsroom} → {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # queued, or waiting for its next try
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"  # every attempt failed; kept for the log


class WebhookDelivery(models.Model):
    """One event for one webhook.  Written in the same transaction as the event,
    so an event is never lost even if the broker or the receiver is down."""

    webhook = models.ForeignKey(
        OutboundWebhook, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "liveblog.Event", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event"], name="delivery_one_per_event"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.webhook_id}:{self.event_id} {self.status}"
