"""``manage.py issue_token <username> [--name NAME]``: print a new API token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsroom.integrations.services import token_issue


class Command(BaseCommand):
    help = "Issue an API token for a user and print it (it is stored only hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named “{username}”.")
        _, raw = token_issue(user=user, name=name or "issued from the command line")
        self.stdout.write(raw)
