"""Reads of the integrations app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from newsroom.integrations.models import ApiToken, OutboundWebhook, WebhookDelivery
from newsroom.permissions import Action
from newsroom.selectors import newsrooms_where

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def tokens_of(*, user: AbstractBaseUser) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def webhooks_for_admin(*, user: AbstractBaseUser) -> QuerySet[OutboundWebhook]:
    """Webhooks of the newsrooms whose settings the user manages."""
    newsrooms = newsrooms_where(user=user, action=Action.MANAGE_SETTINGS)
    return OutboundWebhook.objects.filter(newsroom__in=newsrooms).select_related(
        "newsroom"
    )


def recent_deliveries(
    *, webhooks: QuerySet[OutboundWebhook], limit: int = 50
) -> list[WebhookDelivery]:
    """The newest deliveries of these webhooks, with their event, for the desk log."""
    return list(
        WebhookDelivery.objects.filter(webhook__in=webhooks)
        .select_related("webhook", "event__article")
        .order_by("-pk")[:limit]
    )
