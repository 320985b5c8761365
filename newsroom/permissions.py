"""Who may do what, per newsroom.  Every write path (desk, API, sockets, tasks)
asks these functions; none of them decides on its own."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from newsroom.models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from newsroom.models import Newsroom


class Action(enum.Enum):
    """Every write a member can attempt on a newsroom's coverage."""

    VIEW_DESK = "view_desk"
    WRITE_DRAFT = "write_draft"
    CREATE_ARTICLE = "create_article"
    EDIT_ARTICLE = "edit_article"
    PUBLISH = "publish"
    EDIT_UPDATE = "edit_update"
    STRIKE = "strike"
    DELETE = "delete"
    PIN = "pin"
    END_COVERAGE = "end_coverage"
    HANDLE_SUGGESTIONS = "handle_suggestions"
    MANAGE_SOURCES = "manage_sources"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_SETTINGS = "manage_settings"


_CONTRIBUTOR = {Action.VIEW_DESK, Action.WRITE_DRAFT}
_EDITOR = _CONTRIBUTOR | {
    Action.CREATE_ARTICLE,
    Action.EDIT_ARTICLE,
    Action.PUBLISH,
    Action.EDIT_UPDATE,
    Action.STRIKE,
    Action.DELETE,
    Action.PIN,
    Action.END_COVERAGE,
    Action.HANDLE_SUGGESTIONS,
}
_ADMIN = _EDITOR | {Action.MANAGE_SOURCES, Action.MANAGE_MEMBERS, Action.MANAGE_SETTINGS}

ALLOWED_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CONTRIBUTOR: frozenset(_CONTRIBUTOR),
    Role.EDITOR: frozenset(_EDITOR),
    Role.ADMIN: frozenset(_ADMIN),
}


def role_in(*, user: AbstractBaseUser | AnonymousUser | None, newsroom: Newsroom) -> str | None:
    """The user's role in the newsroom, or None for readers and outsiders."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return (
        Membership.objects.filter(user=user, newsroom=newsroom)
        .values_list("role", flat=True)
        .first()
    )


def can(
    *, user: AbstractBaseUser | AnonymousUser | None, newsroom: Newsroom, action: Action
) -> bool:
    """True when the user's role in this newsroom allows the action."""
    role = role_in(user=user, newsroom=newsroom)
    return role is not None and action in ALLOWED_ACTIONS[role]


def check(
    *, user: AbstractBaseUser | AnonymousUser | None, newsroom: Newsroom, action: Action
) -> None:
    """Raise PermissionDenied unless the user may perform the action."""
    if not can(user=user, newsroom=newsroom, action=action):
        raise PermissionDenied(
            f"You may not {action.value.replace('_', ' ')} in {newsroom.name}."
        )
