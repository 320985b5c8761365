"""Reads of the sources app; each authorises while it fetches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from newsroom.models import Newsroom
from newsroom.permissions import Action, can, check
from newsroom.sources.models import SignalSource, Suggestion, SuggestionState

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from liveblog.models import LiveArticle

    User = AbstractBaseUser | AnonymousUser

# The panel shows the newest pending ones; older ones are stale news anyway.
PANEL_LIMIT = 50


def pending_suggestions(*, user: User, article: LiveArticle) -> list[Suggestion]:
    """Pending suggestions for the article, newest first; [] for anyone who may
    not handle them (contributors, other newsrooms).  One query."""
    if not can(user=user, newsroom=article.newsroom, action=Action.HANDLE_SUGGESTIONS):
        return []
    return list(
        Suggestion.objects.filter(article=article, state=SuggestionState.PENDING)
        .select_related("source")
        .order_by("-updated_at")[:PANEL_LIMIT]
    )


def suggestion_for_handling(*, user: User, suggestion_id: int) -> Suggestion:
    """The suggestion, if the user may publish or dismiss it; else 404/403."""
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("article__newsroom", "source", "handled_by"),
        pk=suggestion_id,
    )
    if not can(user=user, newsroom=suggestion.article.newsroom, action=Action.VIEW_DESK):
        raise Http404("No such suggestion.")  # outsiders do not learn it exists
    check(user=user, newsroom=suggestion.article.newsroom, action=Action.HANDLE_SUGGESTIONS)
    return suggestion


def watched_sources(*, article: LiveArticle) -> list[SignalSource]:
    """The sources the article watches, with their health, by name."""
    return list(SignalSource.objects.filter(watches__article=article).order_by("name"))


def newsroom_for_sources(*, user: User, slug: str) -> Newsroom:
    newsroom = get_object_or_404(Newsroom, slug=slug)
    if not can(user=user, newsroom=newsroom, action=Action.MANAGE_SOURCES):
        raise PermissionDenied("Only the newsroom's admins manage its sources.")
    return newsroom


def sources_of(*, newsroom: Newsroom) -> list[SignalSource]:
    return list(SignalSource.objects.filter(newsroom=newsroom).order_by("name"))


def source_for_manage(*, user: User, source_id: int) -> SignalSource:
    source = get_object_or_404(SignalSource.objects.select_related("newsroom"), pk=source_id)
    check(user=user, newsroom=source.newsroom, action=Action.MANAGE_SOURCES)
    return source


def source_for_webhook(*, token: str) -> SignalSource:
    """The enabled source owning this webhook token, else 404 (no hint which)."""
    source = SignalSource.objects.filter(webhook_token=token, enabled=True).first()
    if source is None or not token:
        raise Http404("Unknown webhook.")
    return source
