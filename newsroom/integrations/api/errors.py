"""One JSON shape for every API error.

- 400 ``{"field": ["message", ...]}`` for invalid input (the services' own
  messages, the same ones the desk shows), or ``{"detail": "..."}``;
- 401/403/404/429 ``{"detail": "..."}``;
- 409 for a stale edit, carrying the current revision and text;
- 413 for a body over ``LIVEDESK_API_MAX_BODY_BYTES``;
- 422 for an Idempotency-Key reused with a different request.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from liveblog.services import EditConflict
from newsroom.integrations.services import IdempotencyKeyReused


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, EditConflict):
        return Response(
            {
                "detail": str(exc),
                "code": "edit_conflict",
                "current_revision": exc.current_revision,
                "current_body": exc.current_body,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data: dict[str, Any] = {
                ("detail" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            data = {"detail": " ".join(exc.messages)}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IdempotencyKeyReused):
        return Response(
            {"detail": str(exc), "code": "idempotency_key_reused"},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    return drf_exception_handler(exc, context)
