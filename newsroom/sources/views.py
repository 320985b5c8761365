"""Interfaces of the sources app: the inbound webhook, the desk's suggestion and
source controls, and the readers' report button.  Each parses input, calls one
selector and one service, and shapes the answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from liveblog import selectors as liveblog_selectors
from newsroom.permissions import Action
from newsroom.sources import selectors, services
from newsroom.sources.conf import MIN_INTERVAL_SECONDS, sources_settings
from newsroom.sources.models import SignalSource, SourceKind
from newsroom.sources.tasks import process_webhook
from newsroom.sources.types import ParseError
from newsroom.sources.webhook import parse_webhook


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _messages_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# Inbound webhook -------------------------------------------------------------


@csrf_exempt  # called by other servers; the secret token in the URL authenticates
@require_POST
def webhook(request: HttpRequest, token: str) -> HttpResponse:
    """Accept a Statuspage or generic webhook body: 202 at once, work on the worker.

    Answers 404 for an unknown token, 413 past the size cap, 400 with the reason
    for a body that is not JSON or not a shape we know.  The body is checked
    here (cheap, pure) so the sender learns of a mistake; the import itself is
    queued.
    """
    source = selectors.source_for_webhook(token=token)
    limit = sources_settings.WEBHOOK_MAX_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        return JsonResponse({"error": f"Body larger than {limit:,} bytes."}, status=413)
    raw = request.read(limit + 1)
    if len(raw) > limit:
        return JsonResponse({"error": f"Body larger than {limit:,} bytes."}, status=413)
    try:
        text = raw.decode("utf-8-sig")
        changes = parse_webhook(
            text, source_key=f"source-{source.pk}", page_name=source.name, page_url=source.url or None
        )
    except UnicodeDecodeError:
        return JsonResponse({"error": "Body is not UTF-8 JSON."}, status=400)
    except ParseError as error:
        return JsonResponse({"error": str(error)}, status=400)
    process_webhook.delay(source.pk, text)
    return JsonResponse({"accepted": True, "changes": len(changes)}, status=202)


# Suggestions on the desk --------------------------------------------------------


@login_required
@require_POST
def suggestion_publish(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """Publish as is, or (``body`` given: the composer's "Edit first") as edited."""
    suggestion = selectors.suggestion_for_handling(user=request.user, suggestion_id=suggestion_id)
    body = request.POST.get("body")
    try:
        update = services.suggestion_publish(
            user=request.user, suggestion=suggestion, body=body if body else None
        )
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"error": _messages_of(error)}, status=409)
        messages.error(request, _messages_of(error))
    else:
        if _wants_json(request):
            return JsonResponse({"state": "published", "update_id": update.pk})
        messages.success(request, "Suggestion published.")
    return redirect("newsroom:article", slug=suggestion.article.slug)


@login_required
@require_POST
def suggestion_dismiss(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_for_handling(user=request.user, suggestion_id=suggestion_id)
    try:
        services.suggestion_dismiss(user=request.user, suggestion=suggestion)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"error": _messages_of(error)}, status=409)
        messages.error(request, _messages_of(error))
    else:
        if _wants_json(request):
            return JsonResponse({"state": "dismissed"})
        messages.success(request, "Suggestion dismissed.")
    return redirect("newsroom:article", slug=suggestion.article.slug)


@login_required
@require_POST
def article_watches(request: HttpRequest, slug: str) -> HttpResponse:
    """Save which sources the article watches and whether readers may report."""
    article = liveblog_selectors.article_for_edit(
        user=request.user, slug=slug, action=Action.HANDLE_SUGGESTIONS
    )
    chosen = {int(value) for value in request.POST.getlist("source") if value.isdigit()}
    for source in SignalSource.objects.filter(newsroom=article.newsroom):
        services.watch_set(
            user=request.user, article=article, source=source, watching=source.pk in chosen
        )
    if "reader_reports" in request.POST or "reader_reports_form" in request.POST:
        services.article_reader_reports_set(
            user=request.user, article=article, enabled=request.POST.get("reader_reports") == "1"
        )
    messages.success(request, "Sources saved.")
    return redirect("newsroom:article", slug=slug)


# Managing sources -------------------------------------------------------------


class SourceForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=SourceKind.choices)
    url = forms.URLField(max_length=1000, required=False, assume_scheme="https")
    interval_seconds = forms.IntegerField(min_value=MIN_INTERVAL_SECONDS, initial=60)
    options = forms.JSONField(
        required=False,
        initial=dict,
        help_text='Per kind, e.g. {"keyword": "Welcome"} for a probe, '
        '{"min_count": 20} for report counts.',
    )
    enabled = forms.BooleanField(required=False, initial=True)


@login_required
def sources_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The newsroom's sources: health, webhook URLs, add one (admins)."""
    newsroom = selectors.newsroom_for_sources(user=request.user, slug=slug)
    form = SourceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.source_create(
                    user=request.user,
                    newsroom=newsroom,
                    kind=form.cleaned_data["kind"],
                    **_source_fields(form),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Source added. Its first poll records a baseline.")
                return redirect("sources:manage", slug=slug)
        status = 400
    return render(
        request,
        "newsroom/sources.html",
        {"newsroom": newsroom, "sources": selectors.sources_of(newsroom=newsroom), "form": form},
        status=status,
    )


def _source_fields(form: SourceForm) -> dict[str, Any]:
    """The editable fields of a valid source form, as the services take them
    (the kind is set once, at creation)."""
    data = form.cleaned_data
    return {
        "name": data["name"],
        "url": data["url"] or "",
        "interval_seconds": data["interval_seconds"],
        "options": data["options"] or {},
        "enabled": data["enabled"],
    }


@login_required
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    source = selectors.source_for_manage(user=request.user, source_id=source_id)
    initial: dict[str, Any] = {
        "name": source.name, "kind": source.kind, "url": source.url,
        "interval_seconds": source.interval_seconds, "options": source.options,
        "enabled": source.enabled,
    }  # fmt: skip
    form = SourceForm(request.POST or None, initial=initial)
    form.fields["kind"].disabled = True
    status = 200
    if request.method == "POST":
        if "rotate_token" in request.POST:
            services.source_rotate_token(user=request.user, source=source)
            messages.success(request, "New webhook URL issued; the old one no longer works.")
            return redirect("sources:edit", source_id=source.pk)
        if form.is_valid():
            try:
                services.source_update(user=request.user, source=source, **_source_fields(form))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Source saved.")
                return redirect("sources:manage", slug=source.newsroom.slug)
        status = 400
    return render(
        request,
        "newsroom/sources_edit.html",
        {"source": source, "form": form, "newsroom": source.newsroom},
        status=status,
    )


# Readers' reports ---------------------------------------------------------------


def _client_key(request: HttpRequest) -> str:
    # REMOTE_ADDR is what the proxy in front sets; a forged X-Forwarded-For must
    # not let one client count as many.
    return request.META.get("REMOTE_ADDR") or "unknown"


@csrf_exempt  # anonymous and idempotent per client; the page is cached publicly
@require_POST
def reader_report(request: HttpRequest, slug: str) -> HttpResponse:
    """A reader's "Having problems too?": counted once per client per window."""
    article = liveblog_selectors.article_for_reader(slug=slug)
    counted = services.reader_report_record(article=article, client_key=_client_key(request))
    status = 202 if counted else 429
    if _wants_json(request):
        return JsonResponse({"counted": counted}, status=status)
    return render(
        request,
        "newsroom/sources_reader_thanks.html",
        {"article": article, "counted": counted},
        status=status,
    )

