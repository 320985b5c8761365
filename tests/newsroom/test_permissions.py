"""Who may do what: every role × every action × their own newsroom or another,
tried through the desk (as a browser would) and through the services (as the
API, sockets and worker do).  Both paths must agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client

from liveblog import services
from liveblog.models import ArticleStatus, LiveArticle, Update, UpdateState
from newsroom.models import Role
from tests.factories import PASSWORD, ArticleFactory, MembershipFactory, UserFactory

ROLES = ["admin", "editor", "contributor", "reader", "anonymous"]
WRITERS = {"admin", "editor"}


@dataclass
class Target:
    """One newsroom's coverage, in the state every action can be tried on."""

    newsroom: Any
    article: LiveArticle  # live, with a published update and a pinned one
    update: Update  # published
    pinned: Update  # published and pinned
    draft: Update  # a contributor's draft
    draft_article: LiveArticle  # not live yet

    def refresh(self) -> None:
        for item in (
            self.article,
            self.update,
            self.pinned,
            self.draft,
            self.draft_article,
        ):
            item.refresh_from_db()


def build_target(newsroom: Any, editor: Any, contributor: Any, slug: str) -> Target:
    article = services.article_go_live(
        user=editor, article=ArticleFactory(newsroom=newsroom, slug=slug)
    )
    update = services.update_publish(user=editor, article=article, body="Published")
    pinned = services.update_publish(user=editor, article=article, body="Pinned")
    services.update_pin(user=editor, update=pinned)
    draft = services.update_draft_save(
        user=contributor, article=article, body="A draft"
    )
    return Target(
        newsroom=newsroom,
        article=LiveArticle.objects.get(pk=article.pk),
        update=update,
        pinned=pinned,
        draft=draft,
        draft_article=ArticleFactory(newsroom=newsroom, slug=f"{slug}-draft"),
    )


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash passwords cheaply: these tests log in hundreds of times, and PBKDF2's
    deliberate slowness would dominate the run.  Roles are under test, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(daily, gazette, ada, grace, admin_user, reader):
    gazette_editor = UserFactory(username="gazette-editor")
    MembershipFactory(user=gazette_editor, newsroom=gazette, role=Role.EDITOR)
    gazette_writer = UserFactory(username="gazette-writer")
    MembershipFactory(user=gazette_writer, newsroom=gazette, role=Role.CONTRIBUTOR)
    return {
        "users": {
            "admin": admin_user,
            "editor": ada,
            "contributor": grace,
            "reader": reader,
        },
        "own": build_target(daily, ada, grace, "daily-outage"),
        "other": build_target(
            gazette, gazette_editor, gazette_writer, "gazette-outage"
        ),
    }


def published_count(t: Target) -> int:
    return Update.objects.filter(article=t.article, state=UpdateState.PUBLISHED).count()


@dataclass
class ActionCase:
    """How to attempt one action through the desk and through a service, and how
    to tell from the database whether it happened."""

    view: Callable[[Client, Target], Any]
    service: Callable[[Any, Target], Any]
    happened: Callable[[Target, dict], bool]
    before: Callable[[Target], dict] = lambda t: {"published": published_count(t)}


def _article_form(t: Target, slug: str) -> dict:
    return {
        "newsroom": t.newsroom.pk,
        "title": "New outage",
        "slug": slug,
        "summary": "",
        "time_zone": "Europe/Madrid",
        "language": "en",
    }


ACTIONS: dict[str, ActionCase] = {
    "create article": ActionCase(
        view=lambda c, t: c.post("/desk/new/", _article_form(t, "created-by-view")),
        service=lambda u, t: services.article_create(
            user=u, newsroom=t.newsroom, title="New outage", slug="created-by-service"
        ),
        happened=lambda t, b: LiveArticle.objects.filter(
            slug__startswith="created-by", newsroom=t.newsroom
        ).exists(),
    ),
    "publish": ActionCase(
        view=lambda c, t: c.post(
            f"/desk/{t.article.slug}/post/", {"body": "News", "kind": "update"}
        ),
        service=lambda u, t: services.update_publish(
            user=u, article=t.article, body="News"
        ),
        happened=lambda t, b: published_count(t) == b["published"] + 1,
    ),
    "save draft": ActionCase(
        view=lambda c, t: c.post(
            f"/desk/{t.article.slug}/post/",
            {"body": "Draft", "kind": "update", "as_draft": "1"},
        ),
        service=lambda u, t: services.update_draft_save(
            user=u, article=t.article, body="Draft"
        ),
        happened=lambda t, b: (
            Update.objects.filter(article=t.article, state=UpdateState.DRAFT).count()
            == 2
        ),
    ),
    "edit update": ActionCase(
        view=lambda c, t: c.post(
            f"/desk/updates/{t.update.pk}/edit/",
            {"body": "Edited", "kind": "update", "base_revision": 1},
        ),
        service=lambda u, t: services.update_edit(
            user=u, update=t.update, body="Edited"
        ),
        happened=lambda t, b: t.update.body == "Edited",
    ),
    "strike": ActionCase(
        view=lambda c, t: c.post(
            f"/desk/updates/{t.update.pk}/strike/", {"reason": "wrong"}
        ),
        service=lambda u, t: services.update_strike(
            user=u, update=t.update, reason="wrong"
        ),
        happened=lambda t, b: t.update.is_struck,
    ),
    "delete": ActionCase(
        view=lambda c, t: c.post(f"/desk/updates/{t.update.pk}/delete/"),
        service=lambda u, t: services.update_delete(user=u, update=t.update),
        happened=lambda t, b: t.update.state == UpdateState.DELETED,
    ),
    "pin": ActionCase(
        view=lambda c, t: c.post(f"/desk/updates/{t.update.pk}/pin/"),
        service=lambda u, t: services.update_pin(user=u, update=t.update),
        happened=lambda t, b: t.article.pinned_update_id == t.update.pk,
    ),
    "unpin": ActionCase(
        view=lambda c, t: c.post(f"/desk/{t.article.slug}/unpin/"),
        service=lambda u, t: services.update_unpin(user=u, article=t.article),
        happened=lambda t, b: t.article.pinned_update_id is None,
    ),
    "end coverage": ActionCase(
        view=lambda c, t: c.post(
            f"/desk/{t.article.slug}/status/", {"status": "ended"}
        ),
        service=lambda u, t: services.article_end(user=u, article=t.article),
        happened=lambda t, b: t.article.status == ArticleStatus.ENDED,
    ),
    "go live": ActionCase(
        view=lambda c, t: c.post(
            f"/desk/{t.draft_article.slug}/status/", {"status": "live"}
        ),
        service=lambda u, t: services.article_go_live(user=u, article=t.draft_article),
        happened=lambda t, b: t.draft_article.status == ArticleStatus.LIVE,
    ),
    "edit article settings": ActionCase(
        view=lambda c, t: c.post(
            f"/desk/{t.article.slug}/settings/",
            {"title": "Renamed", "summary": "", "time_zone": "UTC", "language": "en"},
        ),
        service=lambda u, t: services.article_edit(
            user=u,
            article=t.article,
            title="Renamed",
            summary="",
            time_zone="UTC",
            language="en",
        ),
        happened=lambda t, b: t.article.title == "Renamed",
    ),
    "publish draft": ActionCase(
        view=lambda c, t: c.post(f"/desk/updates/{t.draft.pk}/publish/"),
        service=lambda u, t: services.update_draft_publish(user=u, update=t.draft),
        happened=lambda t, b: t.draft.state == UpdateState.PUBLISHED,
    ),
}


def allowed(role: str, action: str, where: str) -> bool:
    if where != "own":
        return False
    return role in WRITERS or (role == "contributor" and action == "save draft")


MATRIX = [
    pytest.param(role, action, where, id=f"{role}-{action.replace(' ', '_')}-{where}")
    for role in ROLES
    for action in ACTIONS
    for where in ("own", "other")
]


def test_matrix_covers_every_role_action_and_newsroom():
    assert len(MATRIX) == 5 * 12 * 2


@pytest.mark.parametrize(("role", "action", "where"), MATRIX)
def test_desk_enforces_roles(world, role, action, where):
    case, target = ACTIONS[action], world[where]
    client = Client()
    if role != "anonymous":
        assert client.login(username=world["users"][role].username, password=PASSWORD)
    before = case.before(target)
    response = case.view(client, target)
    target.refresh()
    happened = case.happened(target, before)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/desk/")
        assert not happened
    elif allowed(role, action, where):
        assert response.status_code == 302, response.content[:500]
        assert response["Location"].startswith("/desk/")
        assert happened
    else:
        assert not happened
        if action == "create article" and role in WRITERS:
            # Another newsroom is simply not offered in the form's choices.
            assert response.status_code == 200
            assert "Select a valid choice" in response.content.decode()
        elif action == "publish" and role == "contributor" and where == "own":
            # The composer saves a contributor's text as a draft instead.
            assert response.status_code == 302
            assert Update.objects.filter(
                article=target.article, body="News"
            ).get().state == (UpdateState.DRAFT)
        else:
            assert response.status_code == 403


@pytest.mark.parametrize(("role", "action", "where"), MATRIX)
def test_services_enforce_roles(world, role, action, where):
    case, target = ACTIONS[action], world[where]
    user = AnonymousUser() if role == "anonymous" else world["users"][role]
    before = case.before(target)
    if allowed(role, action, where):
        case.service(user, target)
        target.refresh()
        assert case.happened(target, before)
    else:
        with pytest.raises(PermissionDenied):
            case.service(user, target)
        target.refresh()
        assert not case.happened(target, before)


def test_the_desk_home_shows_only_the_users_newsrooms(world):
    for role, expected in [
        ("editor", ["daily-outage"]),
        ("contributor", ["daily-outage"]),
        ("reader", []),
    ]:
        client = Client()
        client.login(username=world["users"][role].username, password=PASSWORD)
        html = client.get("/desk/").content.decode()
        assert ("/desk/daily-outage/" in html) == bool(expected), role
        assert "/desk/gazette-outage/" not in html, role


def test_an_outsider_cannot_even_read_another_newsrooms_desk(world):
    client = Client()
    client.login(username="ada", password=PASSWORD)
    assert client.get("/desk/gazette-outage/").status_code == 403
    assert (
        client.get(f"/desk/updates/{world['other'].update.pk}/edit/").status_code == 403
    )
