"""Template tags that put the sources app's panels on pages it does not own:
the desk's suggestions and source-health panels, the reader's report button.
The pages' own views stay unaware of this app."""

from __future__ import annotations

from typing import Any

from django import template

from newsroom.permissions import Action, can
from newsroom.sources import selectors
from newsroom.sources.models import ArticleSignalSettings, SignalSource

register = template.Library()


@register.filter
def as_reader_html(markdown_text: str) -> str:
    """A drafted suggestion as readers would see it once published: the one
    Markdown renderer, whose output is already sanitised."""
    from django.utils.safestring import mark_safe

    from liveblog.rendering import render_markdown

    return mark_safe(render_markdown(markdown_text))  # noqa: S308 (sanitised by nh3)


@register.inclusion_tag("newsroom/_suggestions.html", takes_context=True)
def suggestions_panel(context: dict[str, Any], article: Any) -> dict[str, Any]:
    request = context["request"]
    newsroom = article.newsroom
    may_handle = can(user=request.user, newsroom=newsroom, action=Action.HANDLE_SUGGESTIONS)
    settings = ArticleSignalSettings.objects.filter(article=article).first()
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "article": article,
        "may_handle": may_handle,
        "suggestions": selectors.pending_suggestions(user=request.user, article=article),
        "sources": selectors.watched_sources(article=article),
        "newsroom_sources": list(
            SignalSource.objects.filter(newsroom=newsroom).order_by("name")
        ) if may_handle else [],
        "reader_reports_enabled": bool(settings and settings.reader_reports_enabled),
        "can_manage_sources": can(
            user=request.user, newsroom=newsroom, action=Action.MANAGE_SOURCES
        ),
    }


@register.inclusion_tag("newsroom/sources_reader_report.html")
def reader_report_form(article: Any) -> dict[str, Any]:
    enabled = ArticleSignalSettings.objects.filter(
        article=article, reader_reports_enabled=True
    ).exists()
    return {"article": article, "enabled": enabled and article.is_live}
