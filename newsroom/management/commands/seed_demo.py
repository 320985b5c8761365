"""``manage.py seed_demo``: the demo newsroom, its people and the Twitter outage
coverage.  Idempotent: running it again changes nothing and prints the logins."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from liveblog import services
from liveblog.models import LiveArticle, UpdateKind
from newsroom.models import Membership, Newsroom, Role

SLUG = "twitter-is-down"
ZONE = "Europe/Madrid"
PEOPLE = [
    # username, password, role, full name
    ("ada", "ada-demo-pass", Role.EDITOR, "Ada Editor"),
    ("grace", "grace-demo-pass", Role.CONTRIBUTOR, "Grace Contributor"),
    ("admin", "admin-demo-pass", Role.ADMIN, "Newsroom Admin"),
]
TIMELINE = [
    # Madrid time, kind, text
    ("14:05", UpdateKind.KEY_EVENT,
     "Twitter is down. Since about 2 p.m. the social network does not load for many "
     "users in Spain and across Europe: timelines stay empty and many people cannot "
     "log in."),
    ("14:12", UpdateKind.UPDATE,
     "Users who manage to open the app cannot post. They see the message "
     "*“Something went wrong, try reloading.”*"),
    ("14:20", UpdateKind.UPDATE,
     "There is no incident on Twitter's official status page, which still shows all "
     "systems as operational. The company has not commented."),
    ("14:31", UpdateKind.UPDATE,
     "**TweetDeck is down too.** The dashboard that newsrooms and brands use to "
     "follow Twitter does not load either."),
    ("14:41", UpdateKind.UPDATE,
     "Some users report that timelines are loading again on the mobile app, but "
     "posting still fails for many."),
    ("14:50", UpdateKind.KEY_EVENT, "All services have returned to normal operation."),
]


def story_day(now: dt.datetime) -> dt.date:
    """The most recent day on which 2:50 p.m. in Madrid has already passed."""
    local = now.astimezone(zoneinfo.ZoneInfo(ZONE))
    return local.date() if local.hour >= 15 else local.date() - dt.timedelta(days=1)


class Command(BaseCommand):
    help = "Create the demo newsroom, its editor and contributor, and the Twitter-outage article."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            newsroom, _ = Newsroom.objects.get_or_create(
                slug="demo", defaults={"name": "Livedesk Demo News", "url": "https://example.org/"}
            )
            User = get_user_model()
            users = {}
            for username, password, role, full_name in PEOPLE:
                user, created = User.objects.get_or_create(
                    username=username, defaults={"first_name": full_name.split()[0]}
                )
                if created:
                    user.set_password(password)
                    user.is_staff = role == Role.ADMIN
                    user.is_superuser = role == Role.ADMIN
                    user.save()
                Membership.objects.get_or_create(user=user, newsroom=newsroom, defaults={"role": role})
                users[username] = user
        if not LiveArticle.objects.filter(slug=SLUG).exists():
            self._seed_article(newsroom, users["ada"], users["grace"])
            self.stdout.write(self.style.SUCCESS("Seeded the demo article."))
        else:
            self.stdout.write("The demo article already exists; nothing changed.")
        self._seed_demo_source(newsroom)
        self.stdout.write("Demo logins (desk at /desk/):")
        for username, password, role, _ in PEOPLE:
            self.stdout.write(f"  {role.label:<12} {username} / {password}")

    def _seed_demo_source(self, newsroom: Newsroom) -> None:
        """The scripted outage that ``runstack`` serves, watched by the demo
        article, and the readers' report button on it.  Idempotent."""
        import os

        from newsroom.sources.models import (
            ArticleSignalSettings,
            ArticleWatch,
            SignalSource,
            SourceKind,
        )

        port = os.environ.get("LIVEDESK_DEMO_STATUSPAGE_PORT", "8765")
        source, _ = SignalSource.objects.get_or_create(
            newsroom=newsroom,
            kind=SourceKind.STATUSPAGE,
            url=f"http://127.0.0.1:{port}/",
            defaults={"name": "Twitter", "interval_seconds": 15},  # "Twitter's status page …"
        )
        article = LiveArticle.objects.get(slug=SLUG)
        ArticleWatch.objects.get_or_create(article=article, source=source)
        reports, _ = SignalSource.objects.get_or_create(
            newsroom=newsroom,
            kind=SourceKind.READER_REPORTS,
            defaults={"name": "Readers' reports"},
        )
        ArticleWatch.objects.get_or_create(article=article, source=reports)
        ArticleSignalSettings.objects.get_or_create(
            article=article,
            defaults={"reader_reports_enabled": True, "reader_reports_source": reports},
        )

    def _seed_article(self, newsroom: Newsroom, editor: Any, contributor: Any) -> None:
        zone = zoneinfo.ZoneInfo(ZONE)
        day = story_day(timezone.now())

        def at(clock: str) -> dt.datetime:
            hour, minute = map(int, clock.split(":"))
            return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)

        article = services.article_create(
            user=editor,
            newsroom=newsroom,
            title="Twitter is down: the social network does not work",
            slug=SLUG,
            summary=(
                "Twitter stopped working for many users at about 2 p.m. (Madrid time): "
                "they could not log in or post. TweetDeck failed too. Service was "
                "restored at 2:50 p.m."
            ),
            time_zone=ZONE,
            language="en",
        )
        article = services.article_go_live(user=editor, article=article, started_at=at("14:03"))
        last = None
        for clock, kind, text in TIMELINE:
            last = services.update_publish(
                user=editor, article=article, body=text, kind=kind, published_at=at(clock)
            )
        assert last is not None
        services.update_pin(user=editor, update=last)
        services.update_draft_save(
            user=contributor,
            article=article,
            body="Twitter has not yet explained the cause of the outage. (Draft: waiting for the company's statement.)",
        )
