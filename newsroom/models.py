"""Newsrooms and the people in them.

A person's powers come from their ``Membership`` role in one newsroom; nothing is
granted site-wide except Django's own staff flag for the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """What a member may do in their newsroom (each role includes the ones below)."""

    ADMIN = "admin", "Admin"  # members and settings, plus everything an editor does
    EDITOR = "editor", "Editor"  # publish, edit, strike, delete, pin, end coverage
    CONTRIBUTOR = "contributor", "Contributor"  # writes drafts; an editor publishes


class Newsroom(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    # Shown as the publisher in JSON-LD and feeds.
    url = models.URLField(blank=True)
    # Origins allowed to frame this newsroom's embeds: "*" or one per line.
    embed_origins = models.TextField(blank=True, default="*")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    newsroom = models.ForeignKey(
        Newsroom, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONTRIBUTOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "newsroom"], name="membership_one_per_user_newsroom"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.newsroom} ({self.role})"
