"""Newsroom admins manage members, roles and settings on the desk."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from newsroom import services
from newsroom.models import Membership, Role
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer")


def test_admin_adds_a_member_on_the_desk_and_they_can_then_open_the_desk(client, admin_user, daily, newcomer, article):
    client.login(username="admin", password=PASSWORD)
    response = client.post(
        f"/desk/newsrooms/{daily.slug}/", {"member-username": "newcomer", "member-role": Role.EDITOR}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer, newsroom=daily).role == Role.EDITOR
    client.logout()
    client.login(username="newcomer", password=PASSWORD)
    assert client.get(f"/desk/{article.slug}/").status_code == 200


@pytest.mark.parametrize("who", ["ada", "grace", "rival"])
def test_only_the_newsrooms_admins_can_open_its_management_page(client, who, ada, grace, rival, daily):
    client.login(username=who, password=PASSWORD)
    assert client.get(f"/desk/newsrooms/{daily.slug}/").status_code == 403


def test_an_editor_cannot_add_members_through_the_service(ada, daily, newcomer):
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=ada, newsroom=daily, username="newcomer", role=Role.ADMIN)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_last_admin_cannot_be_removed_or_demoted(admin_user, daily):
    membership = Membership.objects.get(user=admin_user, newsroom=daily)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=admin_user, membership=membership)
    with pytest.raises(ValidationError):
        services.membership_add(actor=admin_user, newsroom=daily, username="admin", role=Role.EDITOR)
    assert Membership.objects.get(pk=membership.pk).role == Role.ADMIN


def test_adding_an_unknown_user_says_so_and_changes_nothing(client, admin_user, daily):
    client.login(username="admin", password=PASSWORD)
    response = client.post(
        f"/desk/newsrooms/{daily.slug}/", {"member-username": "nobody", "member-role": Role.EDITOR}
    )
    assert response.status_code == 400
    assert "No user called" in response.content.decode()
    assert Membership.objects.filter(newsroom=daily).count() == 1


def test_admin_sets_allowed_embedding_origins_and_bad_ones_are_refused(admin_user, daily):
    services.newsroom_update_settings(
        actor=admin_user, newsroom=daily, name="The Daily", url="https://daily.example",
        embed_origins="https://partner.example/\nhttps://other.example",
    )
    daily.refresh_from_db()
    assert daily.embed_origins.splitlines() == ["https://partner.example", "https://other.example"]
    with pytest.raises(ValidationError):
        services.newsroom_update_settings(
            actor=admin_user, newsroom=daily, name="The Daily", url="", embed_origins="javascript:alert(1)"
        )
