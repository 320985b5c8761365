"""factory_boy factories for the suite's test data."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from liveblog.models import ArticleStatus, LiveArticle
from newsroom.models import Membership, Newsroom, Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    password = factory.django.Password(PASSWORD)


class NewsroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Newsroom

    name = factory.Sequence(lambda n: f"Newsroom {n}")
    slug = factory.Sequence(lambda n: f"newsroom-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    newsroom = factory.SubFactory(NewsroomFactory)
    role = Role.EDITOR


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveArticle

    newsroom = factory.SubFactory(NewsroomFactory)
    title = factory.Sequence(lambda n: f"Service {n} is down")
    slug = factory.Sequence(lambda n: f"service-{n}-is-down")
    summary = "What we know so far."
    time_zone = "Europe/Madrid"
    language = "en"
    status = ArticleStatus.DRAFT
