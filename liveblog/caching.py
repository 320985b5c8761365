"""HTTP caching for public reads: validators keyed on the article's ``seq``.

Every public read (reader page, embeds, feeds, API reads) names its content by
the article's ``seq`` — bumped on every change — plus whatever else it depends
on (query options, the reader's day).  So a conditional request is answered
with 304 before any rendering, and a CDN or browser copy is never served past
``max-age`` + ``stale-while-revalidate`` once the article changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

    from liveblog.models import LiveArticle

# A CDN may serve a stale copy this many times max-age while it refetches: a
# spike of readers then costs the origin one request per edge per max-age.
STALE_FACTOR = 6


def article_etag(article: LiveArticle, *parts: object) -> str:
    """A strong ETag for a representation of the article at its current seq."""
    key = "-".join(str(part) for part in (article.pk, article.seq, *parts))
    if len(key) > 60 or not key.replace("-", "").isalnum():
        key = hashlib.sha1(key.encode()).hexdigest()[:20]
    return f'"{key}"'


def _timestamp(instant: dt.datetime | None) -> int | None:
    return int(instant.timestamp()) if instant else None


def not_modified(
    request: HttpRequest, *, etag: str, last_modified: dt.datetime | None, max_age: int
) -> HttpResponseBase | None:
    """A 304 (with the caching headers) when the client's copy is current, else None."""
    response = get_conditional_response(
        request, etag=etag, last_modified=_timestamp(last_modified)
    )
    if response is not None and response.status_code == 304:
        return public(response, etag=etag, last_modified=last_modified, max_age=max_age)
    return None


def public(
    response: HttpResponseBase,
    *,
    etag: str,
    last_modified: dt.datetime | None,
    max_age: int,
) -> HttpResponseBase:
    """Mark a public read cacheable by browsers and CDNs, with its validators."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(_timestamp(last_modified))
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        stale_while_revalidate=max_age * STALE_FACTOR,
    )
    return response
