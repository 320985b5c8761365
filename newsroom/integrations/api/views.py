"""The write API: thin views over ``liveblog.services``.

Each view subclasses the public read view of the same URL (``liveblog.api``)
and adds its writes.  A write fetches its object through a selector that
authorises while fetching, then calls exactly one service; the service checks
the role again, so a token can do what its holder can do on the desk, no more.
POSTs honour an ``Idempotency-Key`` header: a retry gets the first answer and
posts nothing.
"""

from __future__ import annotations

from typing import Any, Callable

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from liveblog import selectors, services
from liveblog.api import views as public
from liveblog.api.serializers import ArticleSerializer, UpdateSerializer
from liveblog.models import LiveArticle, Update
from newsroom.integrations.api import serializers as inputs
from newsroom.integrations.api.authentication import BearerTokenAuthentication
from newsroom.integrations.api.errors import PayloadTooLarge
from newsroom.integrations.api.throttles import WriteThrottle
from newsroom.integrations.conf import integrations_settings
from newsroom.integrations.services import idempotent_call, request_fingerprint
from newsroom.models import Newsroom
from newsroom.permissions import Action

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID): a retried request with the same key "
    "gets the first response and changes nothing.",
)
ERRORS = {
    400: OpenApiResponse(description="Invalid input: `{field: [messages]}`."),
    401: OpenApiResponse(inputs.ErrorSerializer, description="No valid token."),
    403: OpenApiResponse(
        inputs.ErrorSerializer, description="Your role does not allow it."
    ),
    404: OpenApiResponse(
        inputs.ErrorSerializer, description="No such article or update."
    ),
    413: OpenApiResponse(inputs.ErrorSerializer, description="Body too large."),
    429: OpenApiResponse(
        inputs.ErrorSerializer, description="Too many writes; retry later."
    ),
}


class TokenForWrites(BasePermission):
    """Reads are public; anything else needs an authenticated token holder."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


class WriteMixin(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [TokenForWrites]
    throttle_classes = [WriteThrottle]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if request.method not in SAFE_METHODS:
            limit = integrations_settings.API_MAX_BODY_BYTES
            declared = request.META.get("CONTENT_LENGTH") or "0"
            if declared.isdigit() and int(declared) > limit:
                raise PayloadTooLarge(f"The body may be at most {limit:,} bytes.")
            # Read now (fingerprint and size), before the parser streams it.
            if len(request._request.body) > limit:
                raise PayloadTooLarge(f"The body may be at most {limit:,} bytes.")
        super().initial(request, *args, **kwargs)

    def finalize_response(
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in SAFE_METHODS:
            response["Cache-Control"] = "no-store"
        return response

    def valid(self, serializer_class: type, request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def idempotent(
        self, request: Request, perform: Callable[[], tuple[int, Any]]
    ) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            status_code, data = perform()
            return Response(data, status=status_code)
        stored = idempotent_call(
            user=request.user,
            key=key[:200],
            fingerprint=request_fingerprint(
                method=request.method or "",
                path=request.path,
                body=request._request.body,
            ),
            perform=perform,
        )
        response = Response(stored.data, status=stored.status_code)
        if stored.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


def _update_in(*, user: Any, slug: str, update_id: int) -> Update:
    update = selectors.update_for_edit(
        user=user, update_id=update_id, action=Action.VIEW_DESK
    )
    if update.article.slug != slug:
        raise Http404("No such update in this article.")
    return update


def _updated(update: Update) -> dict[str, Any]:
    return dict(UpdateSerializer(update, context={"article": update.article}).data)


class ArticleList(WriteMixin, public.ArticleList):
    @extend_schema(
        request=inputs.ArticleCreateSerializer,
        responses={201: ArticleSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request) -> Response:
        """Create a draft live article in one of your newsrooms (editors)."""
        data = self.valid(inputs.ArticleCreateSerializer, request)
        newsroom = Newsroom.objects.filter(slug=data.pop("newsroom")).first()
        if newsroom is None:
            return Response({"newsroom": ["No such newsroom."]}, status=400)

        def perform() -> tuple[int, Any]:
            article = services.article_create(
                user=request.user, newsroom=newsroom, **data
            )
            return 201, dict(ArticleSerializer(article).data)

        return self.idempotent(request, perform)


class ArticleDetail(WriteMixin, public.ArticleDetail):
    @extend_schema(
        request=inputs.ArticleEditSerializer,
        responses={200: ArticleSerializer, **ERRORS},
    )
    def patch(self, request: Request, slug: str) -> Response:
        """Edit title, summary, zone or language; `status` goes live or ends."""
        article: LiveArticle = selectors.article_for_edit(user=request.user, slug=slug)
        data = self.valid(inputs.ArticleEditSerializer, request)
        target = data.pop("status", None)
        if data:
            fields = {
                name: data.get(name, getattr(article, name))
                for name in ("title", "summary", "time_zone", "language")
            }
            article = services.article_edit(
                user=request.user, article=article, **fields
            )
        if target == "live":
            article = services.article_go_live(user=request.user, article=article)
        elif target == "ended":
            article = services.article_end(user=request.user, article=article)
        article.refresh_from_db()
        return Response(ArticleSerializer(article).data)


class ArticleUnpin(WriteMixin):
    @extend_schema(request=None, responses={200: ArticleSerializer, **ERRORS})
    def delete(self, request: Request, slug: str) -> Response:
        """Clear the article's pinned slot."""
        article = selectors.article_for_edit(user=request.user, slug=slug)
        article = services.update_unpin(user=request.user, article=article)
        article.refresh_from_db()
        return Response(ArticleSerializer(article).data)


class UpdateList(WriteMixin, public.UpdateList):
    @extend_schema(
        request=inputs.UpdateCreateSerializer,
        responses={201: UpdateSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request: Request, slug: str) -> Response:
        """Publish an update (editors) or save a draft (`draft: true`)."""
        article = selectors.article_for_edit(user=request.user, slug=slug)
        data = self.valid(inputs.UpdateCreateSerializer, request)

        def perform() -> tuple[int, Any]:
            if data["draft"]:
                update = services.update_draft_save(
                    user=request.user,
                    article=article,
                    body=data["body"],
                    kind=data["kind"],
                )
            else:
                update = services.update_publish(
                    user=request.user,
                    article=article,
                    body=data["body"],
                    kind=data["kind"],
                    source_name=data["source_name"],
                    source_url=data["source_url"],
                )
            update.article = article
            return 201, _updated(update)

        return self.idempotent(request, perform)


class UpdateDetail(WriteMixin, public.UpdateDetail):
    @extend_schema(
        request=inputs.UpdateEditSerializer,
        responses={
            200: UpdateSerializer,
            409: OpenApiResponse(
                inputs.ConflictSerializer, description="Stale base_revision."
            ),
            **ERRORS,
        },
    )
    def patch(self, request: Request, slug: str, update_id: int) -> Response:
        """Edit an update against the revision you started from (409 if it moved on)."""
        update = _update_in(user=request.user, slug=slug, update_id=update_id)
        data = self.valid(inputs.UpdateEditSerializer, request)
        update = services.update_edit(
            user=request.user,
            update=update,
            body=data["body"],
            kind=data.get("kind"),
            base_revision=data["base_revision"],
        )
        return Response(_updated(update))

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def delete(self, request: Request, slug: str, update_id: int) -> Response:
        """Remove an update from readers' pages (it stays in the desk's history)."""
        update = _update_in(user=request.user, slug=slug, update_id=update_id)
        services.update_delete(user=request.user, update=update)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UpdateAction(WriteMixin):
    """Base of the one-verb update endpoints (strike, pin, publish a draft)."""

    def act(self, request: Request, update: Update) -> Update:
        raise NotImplementedError

    def post(self, request: Request, slug: str, update_id: int) -> Response:
        update = _update_in(user=request.user, slug=slug, update_id=update_id)

        def perform() -> tuple[int, Any]:
            done = self.act(request, update)
            done.article = update.article
            return 200, _updated(done)

        return self.idempotent(request, perform)


class UpdateStrike(UpdateAction):
    @extend_schema(
        request=inputs.StrikeSerializer,
        responses={200: UpdateSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_HEADER],
        description="Strike (publicly retract) an update, with a reason.",
    )
    def post(self, request: Request, slug: str, update_id: int) -> Response:
        return super().post(request, slug, update_id)

    def act(self, request: Request, update: Update) -> Update:
        reason = self.valid(inputs.StrikeSerializer, request)["reason"]
        return services.update_strike(user=request.user, update=update, reason=reason)


class UpdatePin(UpdateAction):
    @extend_schema(
        request=None,
        responses={200: UpdateSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_HEADER],
        description="Pin an update above the stream (replacing any earlier pin).",
    )
    def post(self, request: Request, slug: str, update_id: int) -> Response:
        return super().post(request, slug, update_id)

    def act(self, request: Request, update: Update) -> Update:
        return services.update_pin(user=request.user, update=update)


class UpdatePublishDraft(UpdateAction):
    @extend_schema(
        request=None,
        responses={200: UpdateSerializer, **ERRORS},
        parameters=[IDEMPOTENCY_HEADER],
        description="Publish a draft as it stands (editors).",
    )
    def post(self, request: Request, slug: str, update_id: int) -> Response:
        return super().post(request, slug, update_id)

    def act(self, request: Request, update: Update) -> Update:
        return services.update_draft_publish(user=request.user, update=update)
