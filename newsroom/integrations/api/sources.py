"""The API of outage signals: suggestions on an article, and the newsroom's sources.

Thin views over ``newsroom.sources``: each fetches through a sources (or
liveblog) selector that authorises while fetching, then calls one service, so
a token holder may do exactly what the desk lets them do:

- editors list, publish and dismiss an article's suggestions and choose which
  sources it watches (``Action.HANDLE_SUGGESTIONS``);
- admins create and edit the newsroom's sources and rotate their webhook tokens
  (``Action.MANAGE_SOURCES``).

Every endpoint needs a token, reads included: pending suggestions and source
health are desk matters, not public coverage.  A source's webhook token is the
only secret guarding its inbound webhook, so it appears only in the
``ManagedSource`` shape, which only the management endpoints answer with.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from liveblog import selectors as liveblog_selectors
from liveblog.api.serializers import UpdateSerializer
from liveblog.conf import liveblog_settings
from liveblog.models import Update
from newsroom.integrations.api.serializers import ErrorSerializer
from newsroom.integrations.api.views import ERRORS, IDEMPOTENCY_HEADER, WriteMixin
from newsroom.permissions import Action
from newsroom.sources import selectors, services
from newsroom.sources.conf import DEFAULT_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS
from newsroom.sources.models import (
    SignalSource,
    SourceKind,
    Suggestion,
    SuggestionState,
)

# Shapes ----------------------------------------------------------------------


class SourceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = SignalSource
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class SuggestionSerializer(serializers.ModelSerializer):
    """A pending suggestion as the desk panel shows it."""

    source = SourceSummarySerializer(read_only=True)
    body = serializers.CharField(read_only=True, help_text="The drafted Markdown.")

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "title",
            "body",
            "severity",
            "url",
            "state",
            "source",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class HandledSuggestionSerializer(serializers.Serializer):
    """A suggestion just published or dismissed, with the update it became."""

    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=SuggestionState.choices)
    handled_by = serializers.CharField()
    handled_at = serializers.DateTimeField()
    update = UpdateSerializer(allow_null=True)


class SuggestionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    state = serializers.ChoiceField(choices=SuggestionState.choices)
    handled_by = serializers.CharField()
    handled_at = serializers.DateTimeField(allow_null=True)
    update_id = serializers.IntegerField(allow_null=True)


class SuggestionPublishSerializer(serializers.Serializer):
    body = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="Your edited text (Markdown); omit it to publish the draft as is.",
    )


class SourceHealthSerializer(serializers.Serializer):
    healthy = serializers.BooleanField(source="is_healthy")
    consecutive_failures = serializers.IntegerField()
    last_polled_at = serializers.DateTimeField(allow_null=True)
    last_success_at = serializers.DateTimeField(allow_null=True)
    last_error_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField()
    next_poll_at = serializers.DateTimeField(allow_null=True)


class SourceSerializer(serializers.ModelSerializer):
    """A source as any editor of the newsroom may see it: no webhook token."""

    health = SourceHealthSerializer(source="*", read_only=True)

    class Meta:
        model = SignalSource
        fields = [
            "id",
            "name",
            "kind",
            "url",
            "interval_seconds",
            "options",
            "enabled",
            "health",
            "created_at",
        ]
        read_only_fields = fields


class ManagedSourceSerializer(SourceSerializer):
    """A source as its newsroom's admins see it, with the webhook secret."""

    webhook_url = serializers.SerializerMethodField(
        help_text="Where a sender POSTs; the token in it is the only credential."
    )

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "webhook_token", "webhook_url"]
        read_only_fields = fields

    def get_webhook_url(self, source: SignalSource) -> str:
        path = reverse("sources:webhook", kwargs={"token": source.webhook_token})
        return f"{liveblog_settings.SITE_URL}{path}"


# Inputs only check types and presence; the services own the rules (URL scheme,
# the minimum interval, options per kind), so the API and the desk give the
# same messages.
INTERVAL_HELP = (
    f"Seconds between polls, at least {MIN_INTERVAL_SECONDS} "
    f"(default {DEFAULT_INTERVAL_SECONDS})."
)
OPTIONS_HELP = (
    'Per kind, e.g. {"keyword": "Welcome"} for a probe, {"min_count": 20} for '
    "report counts."
)


class SourceCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    url = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000
    )
    interval_seconds = serializers.IntegerField(
        required=False, default=DEFAULT_INTERVAL_SECONDS, help_text=INTERVAL_HELP
    )
    options = serializers.DictField(
        required=False, default=dict, help_text=OPTIONS_HELP
    )
    enabled = serializers.BooleanField(required=False, default=True)


class SourceEditSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    url = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    interval_seconds = serializers.IntegerField(required=False, help_text=INTERVAL_HELP)
    options = serializers.DictField(required=False, help_text=OPTIONS_HELP)
    enabled = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A silently ignored `kind` would let a client believe it changed one.
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: ["This field cannot be changed."] for name in unknown}
            )
        return attrs


# Errors ------------------------------------------------------------------------

READ_ERRORS = {code: ERRORS[code] for code in (401, 403, 404)}
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such article, suggestion, source or newsroom (or not yours).",
)
ALREADY_HANDLED = OpenApiResponse(
    SuggestionConflictSerializer,
    description="Another editor already published or dismissed it; says who.",
)


class SuggestionAlreadyHandled(Exception):
    """A publish or dismiss lost to an earlier one; answered 409 with who won."""

    def __init__(self, suggestion: Suggestion, message: str) -> None:
        super().__init__(message)
        self.payload = {
            "detail": message,
            "code": "already_handled",
            "state": suggestion.state,
            "handled_by": (
                suggestion.handled_by.get_username() if suggestion.handled_by else ""
            ),
            "handled_at": (
                suggestion.handled_at.isoformat() if suggestion.handled_at else None
            ),
            "update_id": suggestion.published_update_id,
        }


def _conflict_if_handled(suggestion: Suggestion, error: ValidationError) -> None:
    """Turn the service's "already handled" refusal into a 409.

    The service locks the row and is the only judge of "still pending"; any
    other ValidationError (an empty edited body, say) stays a 400.
    """
    suggestion.refresh_from_db(
        fields=["state", "handled_by", "handled_at", "published_update"]
    )
    if suggestion.state != SuggestionState.PENDING:
        raise SuggestionAlreadyHandled(suggestion, " ".join(error.messages))


# Views -------------------------------------------------------------------------


class TokenHolderView(WriteMixin):
    """Base of these endpoints: a token for every method, answers never cached."""

    permission_classes = [IsAuthenticated]

    def finalize_response(
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        # Per-user answers, some with a secret: no shared cache may keep one.
        response["Cache-Control"] = "private, no-store"
        return response

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, SuggestionAlreadyHandled):
            response = Response(exc.payload, status=status.HTTP_409_CONFLICT)
            response.exception = True
            return response
        return super().handle_exception(exc)


def _handled(suggestion: Suggestion, update: Update | None) -> dict[str, Any]:
    return {
        "id": suggestion.pk,
        "state": suggestion.state,
        "handled_by": (
            suggestion.handled_by.get_username() if suggestion.handled_by else ""
        ),
        "handled_at": suggestion.handled_at.isoformat()
        if suggestion.handled_at
        else None,
        "update": None
        if update is None
        else dict(
            UpdateSerializer(update, context={"article": suggestion.article}).data
        ),
    }


class ArticleSuggestions(TokenHolderView):
    @extend_schema(
        responses={200: SuggestionSerializer(many=True), **READ_ERRORS, 404: NOT_FOUND}
    )
    def get(self, request: Request, slug: str) -> Response:
        """Pending suggestions of an article, newest first (its newsroom's editors)."""
        article = liveblog_selectors.article_for_edit(
            user=request.user, slug=slug, action=Action.HANDLE_SUGGESTIONS
        )
        pending = selectors.pending_suggestions(user=request.user, article=article)
        return Response(SuggestionSerializer(pending, many=True).data)


class SuggestionPublish(TokenHolderView):
    @extend_schema(
        request=SuggestionPublishSerializer,
        responses={
            200: HandledSuggestionSerializer,
            409: ALREADY_HANDLED,
            **ERRORS,
            404: NOT_FOUND,
        },
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, suggestion_id: int) -> Response:
        """Publish a suggestion as an update attributed to its source, as drafted
        or with your edited `body` (editors).  A suggestion is published once:
        the second attempt gets 409 saying who handled it."""
        suggestion = selectors.suggestion_for_handling(
            user=request.user, suggestion_id=suggestion_id
        )
        body = self.valid(SuggestionPublishSerializer, request).get("body")

        def perform() -> tuple[int, Any]:
            try:
                update = services.suggestion_publish(
                    user=request.user, suggestion=suggestion, body=body
                )
            except ValidationError as error:
                _conflict_if_handled(suggestion, error)
                raise
            return 200, _handled(suggestion, update)

        return self.idempotent(request, perform)


class SuggestionDismiss(TokenHolderView):
    @extend_schema(
        request=None,
        responses={
            200: HandledSuggestionSerializer,
            409: ALREADY_HANDLED,
            **ERRORS,
            404: NOT_FOUND,
        },
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, suggestion_id: int) -> Response:
        """Dismiss a pending suggestion (editors); nothing is published."""
        suggestion = selectors.suggestion_for_handling(
            user=request.user, suggestion_id=suggestion_id
        )

        def perform() -> tuple[int, Any]:
            try:
                handled = services.suggestion_dismiss(
                    user=request.user, suggestion=suggestion
                )
            except ValidationError as error:
                _conflict_if_handled(suggestion, error)
                raise
            return 200, _handled(handled, None)

        return self.idempotent(request, perform)


class NewsroomSources(TokenHolderView):
    @extend_schema(
        responses={
            200: ManagedSourceSerializer(many=True),
            **READ_ERRORS,
            404: NOT_FOUND,
        }
    )
    def get(self, request: Request, slug: str) -> Response:
        """The newsroom's sources with health and webhook URLs (admins)."""
        newsroom = selectors.newsroom_for_sources(user=request.user, slug=slug)
        sources = selectors.sources_of(newsroom=newsroom)
        return Response(ManagedSourceSerializer(sources, many=True).data)

    @extend_schema(
        request=SourceCreateSerializer,
        responses={201: ManagedSourceSerializer, **ERRORS, 404: NOT_FOUND},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, slug: str) -> Response:
        """Add a source (admins).  Its first poll records a baseline and
        suggests nothing."""
        newsroom = selectors.newsroom_for_sources(user=request.user, slug=slug)
        data = self.valid(SourceCreateSerializer, request)

        def perform() -> tuple[int, Any]:
            source = services.source_create(
                user=request.user, newsroom=newsroom, **data
            )
            return 201, dict(ManagedSourceSerializer(source).data)

        return self.idempotent(request, perform)


class SourceDetail(TokenHolderView):
    @extend_schema(
        responses={200: ManagedSourceSerializer, **READ_ERRORS, 404: NOT_FOUND}
    )
    def get(self, request: Request, source_id: int) -> Response:
        """One source with its health and webhook URL (admins)."""
        source = selectors.source_for_manage(user=request.user, source_id=source_id)
        return Response(ManagedSourceSerializer(source).data)

    @extend_schema(
        request=SourceEditSerializer,
        responses={200: ManagedSourceSerializer, **ERRORS, 404: NOT_FOUND},
    )
    def patch(self, request: Request, source_id: int) -> Response:
        """Change name, URL, interval, options or enabled (admins).  A new URL
        starts again from a baseline; the kind cannot change."""
        source = selectors.source_for_manage(user=request.user, source_id=source_id)
        changes = self.valid(SourceEditSerializer, request)
        source = services.source_update(user=request.user, source=source, **changes)
        return Response(ManagedSourceSerializer(source).data)


class SourceRotateToken(TokenHolderView):
    @extend_schema(
        request=None,
        responses={200: ManagedSourceSerializer, **ERRORS, 404: NOT_FOUND},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, source_id: int) -> Response:
        """Issue a new webhook token (admins); the old webhook URL stops working."""
        source = selectors.source_for_manage(user=request.user, source_id=source_id)

        def perform() -> tuple[int, Any]:
            rotated = services.source_rotate_token(user=request.user, source=source)
            return 200, dict(ManagedSourceSerializer(rotated).data)

        return self.idempotent(request, perform)


class ArticleSources(TokenHolderView):
    @extend_schema(
        responses={200: SourceSerializer(many=True), **READ_ERRORS, 404: NOT_FOUND}
    )
    def get(self, request: Request, slug: str) -> Response:
        """The sources the article watches, with their health (editors)."""
        article = liveblog_selectors.article_for_edit(
            user=request.user, slug=slug, action=Action.HANDLE_SUGGESTIONS
        )
        watched = selectors.watched_sources(article=article)
        return Response(SourceSerializer(watched, many=True).data)


class ArticleSourceWatch(TokenHolderView):
    """Watching is a set membership: PUT adds, DELETE removes, both repeatable."""

    def _pair(self, request: Request, slug: str, source_id: int) -> tuple[Any, Any]:
        article = liveblog_selectors.article_for_edit(
            user=request.user, slug=slug, action=Action.HANDLE_SUGGESTIONS
        )
        # Only the article's own newsroom's sources: another newsroom's source
        # ids are not confirmed to exist.  A newsroom has a handful of sources.
        source = next(
            (
                source
                for source in selectors.sources_of(newsroom=article.newsroom)
                if source.pk == source_id
            ),
            None,
        )
        if source is None:
            raise Http404("No such source in this article's newsroom.")
        return article, source

    @extend_schema(
        request=None, responses={200: SourceSerializer, **ERRORS, 404: NOT_FOUND}
    )
    def put(self, request: Request, slug: str, source_id: int) -> Response:
        """Make the article watch a source: its changes become suggestions here."""
        article, source = self._pair(request, slug, source_id)
        services.watch_set(
            user=request.user, article=article, source=source, watching=True
        )
        return Response(SourceSerializer(source).data)

    @extend_schema(request=None, responses={204: None, **ERRORS, 404: NOT_FOUND})
    def delete(self, request: Request, slug: str, source_id: int) -> Response:
        """Stop watching a source (suggestions already made stay)."""
        article, source = self._pair(request, slug, source_id)
        services.watch_set(
            user=request.user, article=article, source=source, watching=False
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
