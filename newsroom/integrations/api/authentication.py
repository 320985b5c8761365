"""``Authorization: Bearer <token>`` authentication for the write API."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from newsroom.integrations.services import token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A personal token issued on the desk profile page or by ``issue_token``.

    A missing header leaves the request anonymous (public reads work); a wrong,
    revoked or deactivated user's token is a 401, never a silent anonymous read.
    """

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = (
            authentication.get_authorization_header(request).decode("latin-1").split()
        )
        if not header or header[0].lower() not in ("bearer", "token"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send `Authorization: Bearer <token>`."
            )
        token = token_authenticate(raw=header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This token is unknown or was revoked."
            )
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
