"""Writes on the newsroom side: members, roles and newsroom settings.

Like every service, each checks the actor's role first (admins only here), then
changes the database in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from newsroom.models import Membership, Newsroom, Role
from newsroom.permissions import Action, check

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _check_not_last_admin(membership: Membership) -> None:
    if membership.role != Role.ADMIN:
        return
    admins = Membership.objects.filter(newsroom=membership.newsroom, role=Role.ADMIN).count()
    if admins <= 1:
        raise ValidationError("A newsroom needs at least one admin; add another admin first.")


def membership_add(
    *, actor: AbstractBaseUser, newsroom: Newsroom, username: str, role: str
) -> Membership:
    """Give an existing user a role in the newsroom (admins).  Idempotent per user:
    adding someone already in the newsroom changes their role."""
    check(user=actor, newsroom=newsroom, action=Action.MANAGE_MEMBERS)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role “{role}”."})
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": f"No user called “{username}”."})
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, newsroom=newsroom, defaults={"role": role}
        )
        if not created and membership.role != role:
            if role != Role.ADMIN:
                _check_not_last_admin(membership)
            membership.role = role
            membership.save(update_fields=["role"])
    return membership


def membership_remove(*, actor: AbstractBaseUser, membership: Membership) -> None:
    """Take a person out of the newsroom (admins); the last admin cannot go."""
    check(user=actor, newsroom=membership.newsroom, action=Action.MANAGE_MEMBERS)
    with transaction.atomic():
        _check_not_last_admin(membership)
        membership.delete()


def newsroom_update_settings(
    *, actor: AbstractBaseUser, newsroom: Newsroom, name: str, url: str, embed_origins: str
) -> Newsroom:
    """Change the newsroom's name, public URL and allowed embedding origins (admins)."""
    check(user=actor, newsroom=newsroom, action=Action.MANAGE_SETTINGS)
    origins = [line.strip() for line in embed_origins.splitlines() if line.strip()]
    for origin in origins:
        if origin != "*" and not origin.startswith(("https://", "http://")):
            raise ValidationError(
                {"embed_origins": f"“{origin}” is not an origin like https://example.com or *."}
            )
    newsroom.name, newsroom.url = name.strip(), url.strip()
    newsroom.embed_origins = "\n".join(origin.rstrip("/") for origin in origins)
    newsroom.full_clean()
    newsroom.save(update_fields=["name", "url", "embed_origins"])
    return newsroom
