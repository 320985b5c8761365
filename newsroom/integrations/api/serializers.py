"""Input shapes of the write API.  Validation of content (body length, slug
uniqueness, time zones) stays in the services, so the API and the desk give
the same messages; these only check types and presence."""

from __future__ import annotations

from rest_framework import serializers

from liveblog.models import Language, UpdateKind


class ArticleCreateSerializer(serializers.Serializer):
    newsroom = serializers.SlugField(help_text="The newsroom's slug.")
    title = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=120)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    time_zone = serializers.CharField(required=False, default="UTC")
    language = serializers.ChoiceField(
        choices=Language.choices, required=False, default="en"
    )


class ArticleEditSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    time_zone = serializers.CharField(required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    status = serializers.ChoiceField(
        choices=[("live", "live"), ("ended", "ended")],
        required=False,
        help_text="`live` opens the coverage to readers; `ended` ends it.",
    )


class UpdateCreateSerializer(serializers.Serializer):
    body = serializers.CharField(
        help_text="Markdown.", trim_whitespace=False, allow_blank=True
    )
    kind = serializers.ChoiceField(
        choices=UpdateKind.choices, required=False, default="update"
    )
    draft = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Save as a draft for an editor to publish.",
    )
    source_name = serializers.CharField(required=False, allow_blank=True, default="")
    source_url = serializers.URLField(required=False, allow_blank=True, default="")


class UpdateEditSerializer(serializers.Serializer):
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=UpdateKind.choices, required=False)
    base_revision = serializers.IntegerField(
        min_value=1,
        help_text="The revision this edit started from; a newer one is a 409.",
    )


class StrikeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current_revision = serializers.IntegerField()
    current_body = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
