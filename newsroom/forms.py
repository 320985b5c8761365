from __future__ import annotations

from django import forms

from liveblog.models import Language, LiveArticle, UpdateKind, validate_time_zone
from newsroom.models import Newsroom, Role


class ArticleForm(forms.ModelForm):
    class Meta:
        model = LiveArticle
        fields = ["newsroom", "title", "slug", "summary", "time_zone", "language"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "time_zone": "IANA zone of the story, e.g. Europe/Madrid or America/New_York.",
            "summary": "What we know, in a sentence or two (Markdown).",
        }

    def __init__(self, *args: object, newsrooms: list[Newsroom], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["newsroom"].queryset = Newsroom.objects.filter(
            pk__in=[n.pk for n in newsrooms]
        )


class ArticleSettingsForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    time_zone = forms.CharField(max_length=64, validators=[validate_time_zone])
    language = forms.ChoiceField(choices=Language.choices)


class UpdateForm(forms.Form):
    # The service enforces the length limit; the field's own limit is a backstop
    # that keeps the text in the box with the same message.
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "What just happened? (Markdown)"}),
        strip=True,
    )
    kind = forms.ChoiceField(choices=UpdateKind.choices, initial=UpdateKind.UPDATE)


class EditUpdateForm(UpdateForm):
    base_revision = forms.IntegerField(widget=forms.HiddenInput)


class StrikeForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Role.choices)


class NewsroomSettingsForm(forms.Form):
    name = forms.CharField(max_length=120)
    url = forms.URLField(required=False, assume_scheme="https")
    embed_origins = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Sites allowed to embed this newsroom's live articles: * for any, "
        "or one origin per line (https://partner.example).",
    )
