"""How updates and articles look to readers: the HTML regions of the reader page.

The reader page and the events are built from these same functions, so an
event's HTML is exactly what a fresh page render would show (the contract the
tests check: stale page + events == fresh page).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone

from liveblog.models import UpdateKind, UpdateState
from liveblog.timelabels import local_time, time_label, update_label

if TYPE_CHECKING:
    from liveblog.models import LiveArticle, Update

_WORDS = {
    "en": {
        "edited": "Edited",
        "last_updated": "Last updated",
        "struck": "Retracted",
        "live": "LIVE",
        "ended": "Ended",
        "draft": "Draft",
        "ended_notice": "This live coverage has ended",
        "key_event": "Key event",
        "correction": "Correction",
        "pinned": "Pinned",
        "key_events": "Key events",
        "older": "Older updates",
        "new_updates": "new updates",
        "permalink": "Link to this update",
        "source": "Source",
    },
    "es": {
        "edited": "Editado",
        "last_updated": "Última actualización",
        "struck": "Retirado",
        "live": "EN DIRECTO",
        "ended": "Finalizado",
        "draft": "Borrador",
        "ended_notice": "Esta cobertura en directo ha finalizado",
        "key_event": "Momento clave",
        "correction": "Corrección",
        "pinned": "Fijado",
        "key_events": "Momentos clave",
        "older": "Actualizaciones anteriores",
        "new_updates": "actualizaciones nuevas",
        "permalink": "Enlace a esta actualización",
        "source": "Fuente",
    },
}


def words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["en"])


def today_in(time_zone: str) -> dt.date:
    """Today's date in a zone: labels from other days carry a date."""
    return local_time(timezone.now(), time_zone).date()


def article_today(article: LiveArticle) -> dt.date:
    """Today's date in the article's zone."""
    return today_in(article.time_zone)


def last_updated_label(article: LiveArticle) -> str:
    instant = article.modified_at or timezone.now()
    when = time_label(
        instant,
        time_zone=article.time_zone,
        language=article.language,
        today=article_today(article),
    )
    return f"{words(article.language)['last_updated']} {when}"


def update_context(update: Update, *, article: LiveArticle, today: dt.date) -> dict[str, Any]:
    language = article.language
    published = update.published_at or update.created_at
    edited_label = ""
    if update.edited_at:
        edited_label = time_label(
            update.edited_at, time_zone=article.time_zone, language=language, today=today
        )
    return {
        "update": update,
        "article": article,
        "label": update_label(
            published,
            kind=update.kind,
            time_zone=article.time_zone,
            language=language,
            today=today,
        ),
        "edited_label": edited_label,
        "struck_label": words(language)["struck"],
        "w": words(language),
        "is_key_event": update.kind == UpdateKind.KEY_EVENT,
        "is_correction": update.kind == UpdateKind.CORRECTION,
    }


def render_update_card(update: Update, *, article: LiveArticle, today: dt.date) -> str:
    """The update as it stands in the stream ("" when readers must not see it)."""
    if update.state != UpdateState.PUBLISHED:
        return ""
    return render_to_string(
        "liveblog/_update.html", update_context(update, article=article, today=today)
    )


def render_key_event(update: Update, *, article: LiveArticle, today: dt.date) -> str:
    """Its line in the "Key events" list ("" when it is not a visible key event)."""
    if update.state != UpdateState.PUBLISHED or update.kind != UpdateKind.KEY_EVENT:
        return ""
    return render_to_string(
        "liveblog/_key_event.html", update_context(update, article=article, today=today)
    )


def render_pinned(article: LiveArticle, *, today: dt.date) -> str:
    """The pinned slot above the stream ("" when nothing is pinned)."""
    pinned = article.pinned_update
    if pinned is None or pinned.state != UpdateState.PUBLISHED:
        return ""
    return render_to_string(
        "liveblog/_pinned.html",
        update_context(pinned, article=article, today=today) | {"pinned": True},
    )


def render_header(article: LiveArticle, *, today: dt.date) -> str:
    """Title, status badge, summary and the ended notice."""
    from liveblog.rendering import render_markdown

    ended_label = ""
    if article.coverage_end:
        ended_label = time_label(
            article.coverage_end,
            time_zone=article.time_zone,
            language=article.language,
            today=today,
        )
    return render_to_string(
        "liveblog/_header.html",
        {
            "article": article,
            "w": words(article.language),
            # The summary is short and rarely changes; it is rendered when the
            # header is (on a change or a cached page render), never per reader.
            "summary_html": render_markdown(article.summary),
            "ended_label": ended_label,
            "last_updated": last_updated_label(article),
        },
    )
