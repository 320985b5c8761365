"""Shared fixtures: the named people of the suite and a live article.

- ada: editor of the Daily newsroom
- grace: contributor in the Daily newsroom
- admin: admin of the Daily newsroom
- rival: editor of another newsroom (the Gazette)
- reader: a logged-in user with no newsroom
"""

from __future__ import annotations

from typing import Any

import pytest

from liveblog import services
from newsroom.models import Role
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    NewsroomFactory,
    UserFactory,
)


@pytest.fixture
def daily(db: Any) -> Any:
    return NewsroomFactory(name="The Daily", slug="daily")


@pytest.fixture
def gazette(db: Any) -> Any:
    return NewsroomFactory(name="The Gazette", slug="gazette")


def _member(username: str, newsroom: Any, role: str) -> Any:
    user = UserFactory(username=username)
    MembershipFactory(user=user, newsroom=newsroom, role=role)
    return user


@pytest.fixture
def ada(daily: Any) -> Any:
    return _member("ada", daily, Role.EDITOR)


@pytest.fixture
def grace(daily: Any) -> Any:
    return _member("grace", daily, Role.CONTRIBUTOR)


@pytest.fixture
def admin_user(daily: Any) -> Any:
    return _member("admin", daily, Role.ADMIN)


@pytest.fixture
def rival(gazette: Any) -> Any:
    return _member("rival", gazette, Role.EDITOR)


@pytest.fixture
def reader(db: Any) -> Any:
    return UserFactory(username="reader")


@pytest.fixture
def article(daily: Any, ada: Any) -> Any:
    """A live article in the Daily, Madrid time, English."""
    created = ArticleFactory(newsroom=daily, slug="twitter-is-down", title="Twitter is down")
    return services.article_go_live(user=ada, article=created)


@pytest.fixture
def asgi_server(transactional_db: Any) -> Any:
    """The real ASGI app under uvicorn on a free port, sharing the test database."""
    from tests.support.servers import AsgiServer

    server = AsgiServer().start()
    yield server
    server.stop()
