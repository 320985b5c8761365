"""Fixtures for the integrations suite: tokens for the named people and an
API client that speaks JSON with a bearer token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from newsroom.integrations.services import token_issue


class Api:
    """The Django test client, speaking JSON to /api/v1/ with a token."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self, extra: dict[str, str]) -> dict[str, str]:
        headers = dict(extra)
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(
        self, path: str, headers: dict[str, str] | None = None, **params: Any
    ) -> Any:
        return self.client.get(path, params, headers=self._headers(headers or {}))

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        data = "" if body is None else json.dumps(body)
        return getattr(self.client, method.lower())(
            path,
            data,
            content_type="application/json",
            headers=self._headers(headers or {}),
        )


def _token_for(user: Any) -> str:
    _, raw = token_issue(user=user, name="tests")
    # Throttle counters live in Redis across tests; a reused user id starts clean.
    cache.delete(f"throttle_write_{user.pk}")
    return raw


@pytest.fixture
def ada_api(ada: Any) -> Api:
    return Api(_token_for(ada))


@pytest.fixture
def grace_api(grace: Any) -> Api:
    return Api(_token_for(grace))


@pytest.fixture
def rival_api(rival: Any) -> Api:
    return Api(_token_for(rival))


@pytest.fixture
def anonymous_api() -> Api:
    return Api()
