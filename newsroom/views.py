"""The editor desk: thin views over ``liveblog.services`` and the selectors.

Every POST fetches its object through a selector that authorises while fetching,
then calls one service; services check the role again, so no path skips a check.
"""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liveblog import selectors, services
from liveblog.conf import liveblog_settings
from liveblog.models import Update, UpdateState
from liveblog.presentation import article_today
from liveblog.rendering import render_markdown
from liveblog.timelabels import update_label
from newsroom import forms
from newsroom.permissions import Action, can
from newsroom.selectors import newsrooms_where, roles_by_newsroom


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@login_required
def desk_home(request: HttpRequest) -> HttpResponse:
    """Every article of the newsrooms the user belongs to."""
    articles = list(selectors.desk_articles(user=request.user))
    return render(
        request,
        "newsroom/desk_home.html",
        {
            "articles": articles,
            "roles": roles_by_newsroom(user=request.user),
            "can_create": bool(newsrooms_where(user=request.user, action=Action.CREATE_ARTICLE)),
            "managed": newsrooms_where(user=request.user, action=Action.MANAGE_MEMBERS),
        },
    )


@login_required
def article_new(request: HttpRequest) -> HttpResponse:
    newsrooms = newsrooms_where(user=request.user, action=Action.CREATE_ARTICLE)
    if not newsrooms:
        raise PermissionDenied("Only editors can open a live article.")
    form = forms.ArticleForm(request.POST or None, newsrooms=newsrooms)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(
                user=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Article created as a draft. Go live when ready.")
            return redirect("newsroom:article", slug=article.slug)
    return render(request, "newsroom/article_new.html", {"form": form})


def _desk_context(request: HttpRequest, article: Any, **extra: Any) -> dict[str, Any]:
    user = request.user
    updates = list(
        Update.objects.filter(article=article)
        .exclude(state=UpdateState.DRAFT)
        .select_related("author")
        .order_by("-seq")[:100]
    )
    drafts = list(
        Update.objects.filter(article=article, state=UpdateState.DRAFT)
        .select_related("author")
        .order_by("-created_at")
    )
    newsroom = article.newsroom
    today = article_today(article)
    for update in updates:
        # The label readers see, in the article's zone and language.
        update.label = (
            update_label(
                update.published_at,
                kind=update.kind,
                time_zone=article.time_zone,
                language=article.language,
                today=today,
            )
            if update.published_at
            else ""
        )
    return {
        "article": article,
        "updates": updates,
        "drafts": drafts,
        "can_publish": can(user=user, newsroom=newsroom, action=Action.PUBLISH),
        "can_edit_article": can(user=user, newsroom=newsroom, action=Action.EDIT_ARTICLE),
        "max_chars": liveblog_settings.UPDATE_MAX_CHARS,
        "form": extra.pop("form", None) or forms.UpdateForm(),
        "settings_form": forms.ArticleSettingsForm(
            initial={
                "title": article.title,
                "summary": article.summary,
                "time_zone": article.time_zone,
                "language": article.language,
            }
        ),
        **extra,
    }


@login_required
def article_desk(request: HttpRequest, slug: str) -> HttpResponse:
    """The article's desk: composer with live preview, the stream with its controls."""
    article = selectors.article_for_edit(user=request.user, slug=slug)
    return render(request, "newsroom/article_desk.html", _desk_context(request, article))


@login_required
@require_POST
def update_post(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish (editors) or save a draft (contributors).  On error the text stays."""
    article = selectors.article_for_edit(user=request.user, slug=slug, action=Action.WRITE_DRAFT)
    form = forms.UpdateForm(request.POST)
    if form.is_valid():
        as_draft = request.POST.get("as_draft") or not can(
            user=request.user, newsroom=article.newsroom, action=Action.PUBLISH
        )
        save = services.update_draft_save if as_draft else services.update_publish
        try:
            save(
                user=request.user,
                article=article,
                body=form.cleaned_data["body"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            for message in _errors(error):
                form.add_error("body", message)
        else:
            messages.success(request, "Draft saved." if as_draft else "Published.")
            return redirect("newsroom:article", slug=slug)
    context = _desk_context(request, article, form=form)
    return render(request, "newsroom/article_desk.html", context, status=400)


def _update_action(
    request: HttpRequest, update_id: int, action: Action, do: Callable[[Update], Any], done: str
) -> HttpResponse:
    update = selectors.update_for_edit(user=request.user, update_id=update_id, action=action)
    try:
        do(update)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("newsroom:article", slug=update.article.slug)


@login_required
@require_POST
def update_strike(request: HttpRequest, update_id: int) -> HttpResponse:
    form = forms.StrikeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _update_action(
        request, update_id, Action.STRIKE,
        lambda u: services.update_strike(user=request.user, update=u, reason=reason),
        "Update struck.",
    )


@login_required
@require_POST
def update_delete(request: HttpRequest, update_id: int) -> HttpResponse:
    return _update_action(
        request, update_id, Action.DELETE,
        lambda u: services.update_delete(user=request.user, update=u),
        "Update deleted. It stays in the history below.",
    )


@login_required
@require_POST
def update_pin(request: HttpRequest, update_id: int) -> HttpResponse:
    return _update_action(
        request, update_id, Action.PIN,
        lambda u: services.update_pin(user=request.user, update=u),
        "Pinned above the stream.",
    )


@login_required
@require_POST
def update_publish_draft(request: HttpRequest, update_id: int) -> HttpResponse:
    return _update_action(
        request, update_id, Action.PUBLISH,
        lambda u: services.update_draft_publish(user=request.user, update=u),
        "Draft published.",
    )


@login_required
@require_POST
def article_unpin(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_for_edit(user=request.user, slug=slug, action=Action.PIN)
    services.update_unpin(user=request.user, article=article)
    messages.success(request, "Unpinned.")
    return redirect("newsroom:article", slug=slug)


@login_required
@require_POST
def article_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Go live or end the coverage."""
    target = request.POST.get("status")
    if target == "live":
        article = selectors.article_for_edit(user=request.user, slug=slug, action=Action.PUBLISH)
        services.article_go_live(user=request.user, article=article)
        messages.success(request, "The article is live.")
    elif target == "ended":
        article = selectors.article_for_edit(
            user=request.user, slug=slug, action=Action.END_COVERAGE
        )
        services.article_end(user=request.user, article=article)
        messages.success(request, "Coverage ended. Readers now see that it has ended.")
    else:
        messages.error(request, "Unknown status.")
    return redirect("newsroom:article", slug=slug)


@login_required
@require_POST
def article_settings(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_for_edit(user=request.user, slug=slug, action=Action.EDIT_ARTICLE)
    form = forms.ArticleSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.article_edit(user=request.user, article=article, **form.cleaned_data)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, "Article saved.")
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    return redirect("newsroom:article", slug=slug)


@login_required
def update_edit(request: HttpRequest, update_id: int) -> HttpResponse:
    """Edit an update against the revision the editor opened; show its history."""
    update = selectors.update_for_edit(
        user=request.user, update_id=update_id, action=Action.EDIT_UPDATE
    )
    conflict = None
    if request.method == "POST":
        form = forms.EditUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.update_edit(
                    user=request.user,
                    update=update,
                    body=form.cleaned_data["body"],
                    kind=form.cleaned_data["kind"],
                    base_revision=form.cleaned_data["base_revision"],
                )
            except services.EditConflict as error:
                conflict = error
                update.refresh_from_db()
                # The editor's text stays in the box, now based on the current
                # revision: after merging, saving again must not conflict again.
                data = request.POST.copy()
                data["base_revision"] = str(update.revision)
                form = forms.EditUpdateForm(data)
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error("body", message)
            else:
                messages.success(request, "Update edited. Readers see it marked as edited.")
                return redirect("newsroom:article", slug=update.article.slug)
    else:
        form = forms.EditUpdateForm(
            initial={"body": update.body, "kind": update.kind, "base_revision": update.revision}
        )
    return render(
        request,
        "newsroom/update_edit.html",
        {
            "update": update,
            "article": update.article,
            "form": form,
            "conflict": conflict,
            "revisions": selectors.revisions_for_editor(update=update),
            "max_chars": liveblog_settings.UPDATE_MAX_CHARS,
        },
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Exactly what readers will see for this Markdown (the same render function)."""
    if not newsrooms_where(user=request.user, action=Action.WRITE_DRAFT):
        raise PermissionDenied
    body = request.POST.get("body", "")
    limit = liveblog_settings.UPDATE_MAX_CHARS
    return JsonResponse(
        {"html": render_markdown(body[: limit + 1]), "chars": len(body), "limit": limit}
    )


def redirect_to_desk(request: HttpRequest) -> HttpResponseRedirect:
    return redirect("newsroom:home")


def _newsroom_for_admin(request: HttpRequest, slug: str) -> Any:
    from django.shortcuts import get_object_or_404

    from newsroom.models import Newsroom

    newsroom = get_object_or_404(Newsroom, slug=slug)
    if not can(user=request.user, newsroom=newsroom, action=Action.MANAGE_MEMBERS):
        raise PermissionDenied("Only the newsroom's admins manage it.")
    return newsroom


@login_required
def newsroom_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Members, roles and settings of one newsroom (its admins)."""
    from newsroom import services as newsroom_services
    from newsroom.models import Membership

    newsroom = _newsroom_for_admin(request, slug)
    member_form = forms.MemberForm(prefix="member")
    settings_form = forms.NewsroomSettingsForm(
        prefix="settings",
        initial={"name": newsroom.name, "url": newsroom.url, "embed_origins": newsroom.embed_origins},
    )
    status = 200
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                membership = Membership.objects.get(pk=request.POST["remove"], newsroom=newsroom)
                newsroom_services.membership_remove(actor=request.user, membership=membership)
                messages.success(request, f"{membership.user} removed.")
                return redirect("newsroom:manage", slug=slug)
            if "member-username" in request.POST:
                member_form = forms.MemberForm(request.POST, prefix="member")
                if member_form.is_valid():
                    newsroom_services.membership_add(
                        actor=request.user, newsroom=newsroom, **member_form.cleaned_data
                    )
                    messages.success(request, "Member saved.")
                    return redirect("newsroom:manage", slug=slug)
            else:
                settings_form = forms.NewsroomSettingsForm(request.POST, prefix="settings")
                if settings_form.is_valid():
                    newsroom_services.newsroom_update_settings(
                        actor=request.user, newsroom=newsroom, **settings_form.cleaned_data
                    )
                    messages.success(request, "Settings saved.")
                    return redirect("newsroom:manage", slug=slug)
        except Membership.DoesNotExist:
            messages.error(request, "That person is not in this newsroom.")
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        status = 400
    members = newsroom.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "newsroom/newsroom_manage.html",
        {"newsroom": newsroom, "members": members, "member_form": member_form,
         "settings_form": settings_form},
        status=status,
    )
