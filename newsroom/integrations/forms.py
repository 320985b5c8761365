from __future__ import annotations

from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, required=False, help_text="What uses it, e.g. “CMS”."
    )


class WebhookForm(forms.Form):
    newsroom = forms.ModelChoiceField(queryset=None, empty_label=None)  # type: ignore[arg-type]
    url = forms.URLField(max_length=1000, assume_scheme="https")
    description = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: object, newsrooms: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from newsroom.models import Newsroom

        self.fields["newsroom"].queryset = Newsroom.objects.filter(  # type: ignore[attr-defined]
            pk__in=[n.pk for n in newsrooms]
        )
