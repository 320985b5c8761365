"""Every change to live coverage goes through these functions: the desk, the
admin, the API, the sockets and the worker all call them, so they behave alike.

Each service checks the actor's permission first, then changes the database
inside one transaction that also records the event readers will receive (see
``liveblog.events``); the event is published only after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liveblog.conf import liveblog_settings
from liveblog.events import UpdateRegions, record_event
from liveblog.models import (
    ArticleStatus,
    EventType,
    LiveArticle,
    Update,
    UpdateKind,
    UpdateRevision,
    UpdateState,
)
from liveblog.presentation import (
    article_today,
    render_header,
    render_key_event,
    render_pinned,
    render_update_card,
)
from liveblog.rendering import render_markdown, strip_control_characters
from newsroom.permissions import Action, check

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from newsroom.models import Newsroom

    User = AbstractBaseUser


class EditConflict(Exception):
    """An edit was based on a revision that is no longer current."""

    def __init__(self, *, update: Update) -> None:
        self.current_revision = update.revision
        self.current_body = update.body
        super().__init__(
            f"This update was changed by someone else (now revision {update.revision}); "
            "your text was not saved over theirs."
        )


def clean_body(body: str) -> str:
    """Validate an update's Markdown: not empty, not over the length limit.
    Control characters (NUL and the like, pasted from anywhere) are dropped."""
    body = strip_control_characters(body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something before posting."})
    limit = liveblog_settings.UPDATE_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(
            {"body": f"An update can be at most {limit:,} characters; this one has {len(body):,}."}
        )
    return body


def _locked(article: LiveArticle) -> LiveArticle:
    """Re-read the article under a row lock: seq numbers are allocated under it."""
    return LiveArticle.objects.select_for_update(of=("self",)).select_related(
        "pinned_update", "newsroom"
    ).get(pk=article.pk)


def _update_body(update: Update, article: LiveArticle) -> dict[str, Any]:
    today = article_today(article)
    regions: UpdateRegions = {
        "id": update.pk,
        "seq": update.seq,
        "kind": update.kind,
        "state": update.state,
        "card": render_update_card(update, article=article, today=today),
        "key_event": render_key_event(update, article=article, today=today),
    }
    body: dict[str, Any] = {"update": regions}
    if article.pinned_update_id == update.pk:
        article.pinned_update = update
        body["pinned"] = render_pinned(article, today=today)
    return body


def _header_body(article: LiveArticle) -> dict[str, Any]:
    return {"header": render_header(article, today=article_today(article))}


# Articles -----------------------------------------------------------------


def article_create(
    *,
    user: User,
    newsroom: Newsroom,
    title: str,
    slug: str,
    summary: str = "",
    time_zone: str = "UTC",
    language: str = "en",
) -> LiveArticle:
    """Create a draft live article in the newsroom (editors and admins)."""
    check(user=user, newsroom=newsroom, action=Action.CREATE_ARTICLE)
    article = LiveArticle(
        newsroom=newsroom,
        title=title,
        slug=slug,
        summary=summary,
        time_zone=time_zone,
        language=language,
        created_by=user,
    )
    article.full_clean()
    article.save()
    return article


def article_edit(
    *,
    user: User,
    article: LiveArticle,
    title: str,
    summary: str,
    time_zone: str,
    language: str,
) -> LiveArticle:
    """Change an article's title, summary, zone or language; readers see it live."""
    check(user=user, newsroom=article.newsroom, action=Action.EDIT_ARTICLE)
    with transaction.atomic():
        article = _locked(article)
        article.title, article.summary = title, summary
        article.time_zone, article.language = time_zone, language
        # Only what this service changes is validated: an article whose creator's
        # account was since deleted (created_by is NULL) can still be edited.
        article.full_clean(exclude=["created_by"])
        article.save(update_fields=["title", "summary", "time_zone", "language"])
        record_event(article=article, type=EventType.ARTICLE_UPDATED, body=_header_body(article))
    return article


def article_page_changed(*, user: User, article: LiveArticle) -> LiveArticle:
    """Record that the reader page changed although the article's own fields did
    not (another app's page option, such as the readers' report button).

    Publishes article.updated, which moves the article's seq: every cached copy
    of the page (keyed on seq) is superseded and readers' pages refresh their
    header.
    """
    check(user=user, newsroom=article.newsroom, action=Action.EDIT_ARTICLE)
    with transaction.atomic():
        article = _locked(article)
        record_event(article=article, type=EventType.ARTICLE_UPDATED, body=_header_body(article))
    return article


def article_go_live(
    *, user: User, article: LiveArticle, started_at: dt.datetime | None = None
) -> LiveArticle:
    """Open the coverage to readers; coverage starts now, or at ``started_at``
    (imports and the demo).  Idempotent when already live."""
    check(user=user, newsroom=article.newsroom, action=Action.PUBLISH)
    with transaction.atomic():
        article = _locked(article)
        if article.status == ArticleStatus.LIVE:
            return article
        article.status = ArticleStatus.LIVE
        article.coverage_start = started_at or article.coverage_start or timezone.now()
        article.coverage_end = None
        article.save(update_fields=["status", "coverage_start", "coverage_end"])
        record_event(article=article, type=EventType.ARTICLE_UPDATED, body=_header_body(article))
    return article


def article_end(*, user: User, article: LiveArticle) -> LiveArticle:
    """End the coverage: readers see "This live coverage has ended" with the time."""
    check(user=user, newsroom=article.newsroom, action=Action.END_COVERAGE)
    with transaction.atomic():
        article = _locked(article)
        if article.status == ArticleStatus.ENDED:
            return article
        now = timezone.now()
        article.status = ArticleStatus.ENDED
        article.coverage_start = article.coverage_start or now
        article.coverage_end = now
        article.save(update_fields=["status", "coverage_start", "coverage_end"])
        record_event(article=article, type=EventType.ARTICLE_UPDATED, body=_header_body(article))
    return article


# Updates ------------------------------------------------------------------


def _new_update(
    *,
    article: LiveArticle,
    author: User,
    body: str,
    kind: str,
    state: str,
    source_name: str = "",
    source_url: str = "",
) -> Update:
    if kind not in UpdateKind.values:
        raise ValidationError({"kind": f"Unknown kind “{kind}”."})
    html = render_markdown(body)
    update = Update.objects.create(
        article=article,
        kind=kind,
        state=state,
        body=body,
        body_html=html,
        author=author,
        source_name=source_name[:200],
        source_url=source_url[:1000],
    )
    UpdateRevision.objects.create(update=update, number=1, body=body, body_html=html, edited_by=author)
    return update


def _publish_existing(
    update: Update, article: LiveArticle, published_at: dt.datetime | None = None
) -> None:
    update.state = UpdateState.PUBLISHED
    update.published_at = published_at or timezone.now()
    # The update's place in the stream is the seq of the event that publishes it.
    update.seq = article.seq + 1
    update.save(update_fields=["state", "published_at", "seq"])
    record_event(article=article, type=EventType.UPDATE_CREATED, body=_update_body(update, article))


def update_publish(
    *,
    user: User,
    article: LiveArticle,
    body: str,
    kind: str = UpdateKind.UPDATE,
    source_name: str = "",
    source_url: str = "",
    published_at: dt.datetime | None = None,
) -> Update:
    """Publish a new update to readers (editors).  Publishes update.created.

    ``published_at`` backdates the update (imports and the demo's timeline);
    by default it is now.
    """
    check(user=user, newsroom=article.newsroom, action=Action.PUBLISH)
    body = clean_body(body)
    with transaction.atomic():
        article = _locked(article)
        update = _new_update(
            article=article,
            author=user,
            body=body,
            kind=kind,
            state=UpdateState.DRAFT,
            source_name=source_name,
            source_url=source_url,
        )
        _publish_existing(update, article, published_at)
    return update


def update_draft_save(
    *, user: User, article: LiveArticle, body: str, kind: str = UpdateKind.UPDATE
) -> Update:
    """Save a draft for an editor to publish (contributors and up); readers see nothing."""
    check(user=user, newsroom=article.newsroom, action=Action.WRITE_DRAFT)
    body = clean_body(body)
    with transaction.atomic():
        return _new_update(
            article=article, author=user, body=body, kind=kind, state=UpdateState.DRAFT
        )


def update_draft_publish(*, user: User, update: Update) -> Update:
    """Publish a contributor's draft as it stands (editors).  Publishes update.created."""
    check(user=user, newsroom=update.article.newsroom, action=Action.PUBLISH)
    with transaction.atomic():
        article = _locked(update.article)
        update = Update.objects.select_for_update().get(pk=update.pk)
        if update.state != UpdateState.DRAFT:
            raise ValidationError("Only a draft can be published; this update already was.")
        _publish_existing(update, article)
    return update


def update_edit(
    *,
    user: User,
    update: Update,
    body: str,
    kind: str | None = None,
    base_revision: int | None = None,
) -> Update:
    """Save a new revision of an update; readers see it marked "Edited".

    ``base_revision`` is the revision the editor started from: if someone saved
    another since, ``EditConflict`` is raised and nothing is written.  Every
    earlier version stays as an ``UpdateRevision``.  Contributors may edit their
    own drafts; published text needs an editor.  Publishes update.edited.
    """
    newsroom = update.article.newsroom
    if update.state == UpdateState.DRAFT and update.author_id == getattr(user, "pk", None):
        check(user=user, newsroom=newsroom, action=Action.WRITE_DRAFT)
    else:
        check(user=user, newsroom=newsroom, action=Action.EDIT_UPDATE)
    body = clean_body(body)
    with transaction.atomic():
        article = _locked(update.article)
        update = Update.objects.select_for_update().get(pk=update.pk)
        if update.state == UpdateState.DELETED:
            raise ValidationError("A deleted update cannot be edited.")
        if base_revision is not None and base_revision != update.revision:
            raise EditConflict(update=update)
        if body == update.body and (kind is None or kind == update.kind):
            return update  # nothing changed: no revision, no event
        if kind is not None and kind not in UpdateKind.values:
            raise ValidationError({"kind": f"Unknown kind “{kind}”."})
        update.revision += 1
        update.body = body
        update.body_html = render_markdown(body)
        update.kind = kind or update.kind
        fields = ["revision", "body", "body_html", "kind"]
        if update.state == UpdateState.PUBLISHED:
            update.edited_at = timezone.now()
            fields.append("edited_at")
        update.save(update_fields=fields)
        UpdateRevision.objects.create(
            update=update,
            number=update.revision,
            body=update.body,
            body_html=update.body_html,
            edited_by=user,
        )
        if update.state == UpdateState.PUBLISHED:
            record_event(
                article=article, type=EventType.UPDATE_EDITED, body=_update_body(update, article)
            )
    return update


def update_strike(*, user: User, update: Update, reason: str = "") -> Update:
    """Retract an update publicly: it stays visible, struck through, with the reason."""
    check(user=user, newsroom=update.article.newsroom, action=Action.STRIKE)
    with transaction.atomic():
        article = _locked(update.article)
        update = Update.objects.select_for_update().get(pk=update.pk)
        if update.state != UpdateState.PUBLISHED:
            raise ValidationError("Only a published update can be struck.")
        if update.is_struck:
            return update
        update.struck_at = timezone.now()
        update.strike_reason = reason.strip()[:300]
        update.save(update_fields=["struck_at", "strike_reason"])
        record_event(article=article, type=EventType.UPDATE_STRUCK, body=_update_body(update, article))
    return update


def update_delete(*, user: User, update: Update) -> Update:
    """Remove an update from readers' pages; editors still see it in the history."""
    check(user=user, newsroom=update.article.newsroom, action=Action.DELETE)
    with transaction.atomic():
        article = _locked(update.article)
        update = Update.objects.select_for_update().get(pk=update.pk)
        if update.state == UpdateState.DELETED:
            return update
        was_published = update.state == UpdateState.PUBLISHED
        update.state = UpdateState.DELETED
        update.deleted_at = timezone.now()
        update.save(update_fields=["state", "deleted_at"])
        body = _update_body(update, article)
        if article.pinned_update_id == update.pk:
            article.pinned_update = None
            article.save(update_fields=["pinned_update"])
            body["pinned"] = ""
        if was_published:
            record_event(article=article, type=EventType.UPDATE_DELETED, body=body)
    return update


def update_pin(*, user: User, update: Update) -> Update:
    """Pin one published update above the stream (replacing any earlier pin)."""
    check(user=user, newsroom=update.article.newsroom, action=Action.PIN)
    with transaction.atomic():
        article = _locked(update.article)
        if update.article_id != article.pk:
            raise ValidationError("That update belongs to another article.")
        update = Update.objects.get(pk=update.pk)
        if update.state != UpdateState.PUBLISHED:
            raise ValidationError("Only a published update can be pinned.")
        if article.pinned_update_id == update.pk:
            return update
        article.pinned_update = update
        article.save(update_fields=["pinned_update"])
        record_event(article=article, type=EventType.UPDATE_PINNED, body=_update_body(update, article))
    return update


def update_unpin(*, user: User, article: LiveArticle) -> LiveArticle:
    """Clear the pinned slot (no-op when nothing is pinned)."""
    check(user=user, newsroom=article.newsroom, action=Action.PIN)
    with transaction.atomic():
        article = _locked(article)
        pinned = article.pinned_update
        if pinned is None:
            return article
        article.pinned_update = None
        article.save(update_fields=["pinned_update"])
        body = _update_body(pinned, article)
        body["pinned"] = ""
        record_event(article=article, type=EventType.UPDATE_UNPINNED, body=body)
    return article
