"""Reads of the newsroom side: memberships and the newsrooms a person works in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsroom.models import Membership, Newsroom, Role
from newsroom.permissions import ALLOWED_ACTIONS, Action

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def newsrooms_where(
    *, user: AbstractBaseUser | AnonymousUser, action: Action
) -> list[Newsroom]:
    """Newsrooms in which the user's role allows the action."""
    if not user.is_authenticated:
        return []
    roles = [role for role in Role.values if action in ALLOWED_ACTIONS[role]]
    return list(
        Newsroom.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()
    )


def roles_by_newsroom(*, user: AbstractBaseUser | AnonymousUser) -> dict[int, str]:
    if not user.is_authenticated:
        return {}
    return dict(Membership.objects.filter(user=user).values_list("newsroom_id", "role"))
