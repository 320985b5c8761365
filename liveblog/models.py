"""Live articles, their updates, every revision of an update, and the event log.

The ``Event`` table is the log readers catch up from: each change to an article
writes exactly one row, in the same transaction as the change, carrying the
already-encoded message readers receive.  ``LiveArticle.seq`` numbers them.
"""

from __future__ import annotations

import html
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"“{value}” is not an IANA time zone, e.g. Europe/Madrid.")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


class LiveArticle(models.Model):
    newsroom = models.ForeignKey(
        "newsroom.Newsroom", on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField("what we know", blank=True, max_length=2000)
    time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone]
    )
    language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    status = models.CharField(
        max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    coverage_start = models.DateTimeField(null=True, blank=True)
    coverage_end = models.DateTimeField(null=True, blank=True)
    pinned_update = models.ForeignKey(
        "Update", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The number of the article's newest event; bumped under a row lock.
    seq = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Time of the newest event: the reader page's "last updated".
    modified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-modified_at"]
        indexes = [models.Index(fields=["status", "-modified_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.status == ArticleStatus.LIVE

    @property
    def is_public(self) -> bool:
        return self.status in (ArticleStatus.LIVE, ArticleStatus.ENDED)

    def get_absolute_url(self) -> str:
        return f"/live/{self.slug}/"


class UpdateKind(models.TextChoices):
    UPDATE = "update", "Update"
    CORRECTION = "correction", "Correction"
    KEY_EVENT = "key_event", "Key event"


class UpdateState(models.TextChoices):
    DRAFT = "draft", "Draft"  # a contributor's text, waiting for an editor
    PUBLISHED = "published", "Published"
    DELETED = "deleted", "Deleted"  # gone from readers, kept for editors


class Update(models.Model):
    article = models.ForeignKey(LiveArticle, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=UpdateKind.choices, default=UpdateKind.UPDATE)
    state = models.CharField(max_length=10, choices=UpdateState.choices, default=UpdateState.DRAFT)
    # The current text; every version, this one included, is an UpdateRevision.
    body = models.TextField()
    body_html = models.TextField()
    revision = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Attribution when the text came from an outside source (a suggestion).
    source_name = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=1000, blank=True)
    # The seq of the event that published it: the reader page's cursor and order.
    seq = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    struck_at = models.DateTimeField(null=True, blank=True)
    strike_reason = models.CharField(max_length=300, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-seq"]
        constraints = [
            models.UniqueConstraint(fields=["article", "seq"], name="update_unique_seq")
        ]
        indexes = [models.Index(fields=["article", "state", "-seq"])]

    def __str__(self) -> str:
        return f"{self.article.slug} #{self.pk}"

    @property
    def is_struck(self) -> bool:
        return self.struck_at is not None

    @property
    def body_text(self) -> str:
        """The update as plain text (JSON-LD, share descriptions, key events):
        tags dropped and entities decoded, so "a &amp; b" reads "a & b"."""
        return html.unescape(strip_tags(self.body_html)).strip()

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"

    def get_absolute_url(self) -> str:
        return f"/live/{self.article.slug}/updates/{self.pk}/"


class UpdateRevision(models.Model):
    """One version of an update's text; never changed once written."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    body_html = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["update", "number"]
        constraints = [
            models.UniqueConstraint(fields=["update", "number"], name="revision_unique_number")
        ]


class EventType(models.TextChoices):
    UPDATE_CREATED = "update.created"
    UPDATE_EDITED = "update.edited"
    UPDATE_STRUCK = "update.struck"
    UPDATE_DELETED = "update.deleted"
    UPDATE_PINNED = "update.pinned"
    UPDATE_UNPINNED = "update.unpinned"
    ARTICLE_UPDATED = "article.updated"


class Event(models.Model):
    """The outbox: one row per change, holding the exact text readers receive."""

    article = models.ForeignKey(LiveArticle, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=32, choices=EventType.choices)
    # Encoded once, when the change is made; sent as-is to every reader.
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["article", "seq"], name="event_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.seq} {self.type}"
