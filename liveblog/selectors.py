"""Reads of live coverage.  Each selector owns its joins; the tests pin the
number of queries each one makes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from liveblog.conf import liveblog_settings
from liveblog.models import (
    ArticleStatus,
    Event,
    LiveArticle,
    Update,
    UpdateKind,
    UpdateState,
)
from newsroom.permissions import Action, can

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def public_articles() -> QuerySet[LiveArticle]:
    """Live and ended articles, live first, newest change first."""
    return (
        LiveArticle.objects.filter(status__in=[ArticleStatus.LIVE, ArticleStatus.ENDED])
        .select_related("newsroom")
        .order_by("-status", "-modified_at")  # "live" sorts after "ended"
    )


def article_for_reader(*, slug: str) -> LiveArticle:
    """A public article by slug with its newsroom and pinned update; 404 otherwise."""
    try:
        return LiveArticle.objects.select_related("newsroom", "pinned_update").get(
            slug=slug, status__in=[ArticleStatus.LIVE, ArticleStatus.ENDED]
        )
    except LiveArticle.DoesNotExist:
        raise Http404("No live article here.")


@dataclass(frozen=True)
class ArticleVersion:
    """What a public read needs to name its content: enough for an ETag, a 304
    or a cache lookup, without loading (or compiling a join for) the article."""

    pk: int
    seq: int
    modified_at: dt.datetime
    time_zone: str


def article_version(*, slug: str) -> ArticleVersion:
    """A public article's id, seq, last change and zone in one narrow query; 404
    otherwise.  The hot paths (events endpoint, cached reader page) start here:
    profiling showed compiling the full select_related join cost more than the
    query itself."""
    row = (
        LiveArticle.objects.filter(
            slug=slug, status__in=[ArticleStatus.LIVE, ArticleStatus.ENDED]
        )
        .values_list("pk", "seq", "modified_at", "time_zone")
        .first()
    )
    if row is None:
        raise Http404("No live article here.")
    return ArticleVersion(*row)


def article_for_edit(
    *,
    user: AbstractBaseUser | AnonymousUser,
    slug: str,
    action: Action = Action.VIEW_DESK,
) -> LiveArticle:
    """An article the user may act on in their newsroom; raises 404 or PermissionDenied.

    Authorised while fetching: the caller never holds an article it may not touch.
    """
    try:
        article = LiveArticle.objects.select_related("newsroom", "pinned_update").get(slug=slug)
    except LiveArticle.DoesNotExist:
        raise Http404("No such article.")
    if not can(user=user, newsroom=article.newsroom, action=action):
        raise PermissionDenied("You are not on this article's newsroom desk.")
    return article


def update_for_edit(
    *, user: AbstractBaseUser | AnonymousUser, update_id: int, action: Action
) -> Update:
    """An update the user may act on (the action decides which role it takes)."""
    try:
        update = Update.objects.select_related("article__newsroom", "article__pinned_update").get(
            pk=update_id
        )
    except Update.DoesNotExist:
        raise Http404("No such update.")
    if not can(user=user, newsroom=update.article.newsroom, action=action):
        # A contributor may still open their own draft.
        own_draft = (
            update.state == UpdateState.DRAFT
            and update.author_id == getattr(user, "pk", None)
            and can(user=user, newsroom=update.article.newsroom, action=Action.WRITE_DRAFT)
        )
        if not own_draft:
            raise PermissionDenied("You may not change this update.")
    return update


def desk_articles(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[LiveArticle]:
    """The articles of every newsroom the user belongs to."""
    if not user.is_authenticated:
        return LiveArticle.objects.none()
    return (
        LiveArticle.objects.filter(newsroom__memberships__user=user)
        .select_related("newsroom")
        .order_by("status", "-modified_at")
    )


@dataclass(frozen=True)
class StreamPage:
    updates: list[Update]
    older_cursor: int | None  # pass as ?before= to get the next page; None at the end


def published_updates(article: LiveArticle) -> QuerySet[Update]:
    return Update.objects.filter(article=article, state=UpdateState.PUBLISHED)


def _with_article(updates: list[Update], article: LiveArticle) -> list[Update]:
    """Give each update the article already in hand: templates follow
    ``update.article`` (permalinks), which would otherwise cost a query per update."""
    for update in updates:
        update.article = article
    return updates


def stream_page(
    *, article: LiveArticle, before: int | None = None, limit: int | None = None
) -> StreamPage:
    """Published updates newest first, ``limit`` at a time, before a seq cursor.

    One query: it fetches one row more than the page to know whether older ones
    exist.
    """
    limit = limit or liveblog_settings.PAGE_SIZE
    queryset = published_updates(article).order_by("-seq")
    if before is not None:
        queryset = queryset.filter(seq__lt=before)
    rows = _with_article(list(queryset[: limit + 1]), article)
    page = rows[:limit]
    older = page[-1].seq if len(rows) > limit and page else None
    return StreamPage(updates=page, older_cursor=older)


def key_events(*, article: LiveArticle) -> list[Update]:
    """Published key events, newest first, for the "Key events" list (one query)."""
    return _with_article(
        list(published_updates(article).filter(kind=UpdateKind.KEY_EVENT).order_by("-seq")),
        article,
    )


def events_since(*, article_id: int, since: int, limit: int = 500) -> list[tuple[int, str]]:
    """(seq, encoded message) of the article's events after ``since``, in order."""
    return list(
        Event.objects.filter(article_id=article_id, seq__gt=since)
        .order_by("seq")
        .values_list("seq", "message")[:limit]
    )


def revisions_for_editor(*, update: Update) -> list:
    return list(update.revisions.select_related("edited_by").order_by("-number"))
