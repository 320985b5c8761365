"""The desk profile page: API tokens, and for newsroom admins the outbound
webhooks with their delivery log.  Thin: parse, call one service, show."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from newsroom.integrations import selectors, services
from newsroom.integrations.forms import TokenForm, WebhookForm
from newsroom.permissions import Action
from newsroom.selectors import newsrooms_where


def _profile(
    request: HttpRequest, *, new_token: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    admin_of = newsrooms_where(user=user, action=Action.MANAGE_SETTINGS)
    webhooks = selectors.webhooks_for_admin(user=user)
    return render(
        request,
        "integrations/profile.html",
        {
            "tokens": list(selectors.tokens_of(user=user)),
            "new_token": new_token,
            "token_form": TokenForm(),
            "webhooks": list(webhooks),
            "webhook_form": WebhookForm(newsrooms=admin_of) if admin_of else None,
            "deliveries": selectors.recent_deliveries(webhooks=webhooks)
            if admin_of
            else [],
        },
        status=status,
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Your API tokens; issue a new one (shown once) or revoke one."""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _, raw = services.token_issue(
                user=request.user, name=form.cleaned_data["name"]
            )
            messages.success(
                request, "Token issued. Copy it now: it is not shown again."
            )
            response = _profile(request, new_token=raw)
            response["Cache-Control"] = "no-store"
            return response
    return _profile(request)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    services.token_revoke(user=request.user, token_id=token_id)
    messages.success(request, "Token revoked. Requests using it now get 401.")
    return redirect("integrations:profile")


@login_required
@require_POST
def webhook_add(request: HttpRequest) -> HttpResponse:
    admin_of = newsrooms_where(user=request.user, action=Action.MANAGE_SETTINGS)
    if not admin_of:
        raise PermissionDenied("Only newsroom admins manage webhooks.")
    form = WebhookForm(request.POST, newsrooms=admin_of)
    if form.is_valid():
        webhook = services.webhook_create(
            user=request.user,
            newsroom=form.cleaned_data["newsroom"],
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
        )
        messages.success(
            request, f"Webhook added. Its signing secret: {webhook.secret}"
        )
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    return redirect("integrations:profile")
