"""Every write to live coverage, as the desk's people make it: what changes in the
database, what readers are told (one event per change, in seq order), and what
each role may not do."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liveblog import services
from liveblog.models import (
    ArticleStatus,
    Event,
    EventType,
    LiveArticle,
    Update,
    UpdateKind,
    UpdateRevision,
    UpdateState,
)
from tests.factories import ArticleFactory


def events_of(article: LiveArticle) -> list[dict]:
    return [
        json.loads(event.message) for event in Event.objects.filter(article=article)
    ]


def test_creating_an_article_makes_a_draft_readers_cannot_see(daily, ada):
    article = services.article_create(
        user=ada,
        newsroom=daily,
        title="Twitter is down",
        slug="twitter-down",
        summary="Users cannot log in.",
        time_zone="Europe/Madrid",
        language="es",
    )
    assert article.status == ArticleStatus.DRAFT
    assert not article.is_public
    assert article.coverage_start is None
    assert article.created_by == ada
    assert article.seq == 0


def test_creating_an_article_refuses_a_zone_that_is_not_iana(daily, ada):
    with pytest.raises(ValidationError) as caught:
        services.article_create(
            user=ada, newsroom=daily, title="T", slug="t", time_zone="Madrid/Spain"
        )
    assert "time_zone" in caught.value.message_dict
    assert not LiveArticle.objects.filter(slug="t").exists()


def test_going_live_sets_coverage_start_and_tells_readers(daily, ada):
    article = ArticleFactory(newsroom=daily)
    article = services.article_go_live(user=ada, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.LIVE
    assert article.coverage_start is not None
    assert article.seq == 1
    [event] = events_of(article)
    assert event["type"] == EventType.ARTICLE_UPDATED
    assert event["seq"] == 1
    assert "LIVE" in event["header"]


def test_going_live_twice_changes_nothing(article, ada):
    started, seq = article.coverage_start, article.seq
    services.article_go_live(user=ada, article=article)
    article.refresh_from_db()
    assert (article.coverage_start, article.seq) == (started, seq)


def test_ending_coverage_records_the_end_and_shows_the_ended_notice(article, ada):
    services.article_end(user=ada, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.ENDED
    assert article.coverage_end is not None
    assert article.coverage_end >= article.coverage_start
    event = events_of(article)[-1]
    assert event["type"] == EventType.ARTICLE_UPDATED
    assert "This live coverage has ended" in event["header"]


def test_reopening_ended_coverage_clears_the_end(article, ada):
    services.article_end(user=ada, article=article)
    services.article_go_live(user=ada, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.LIVE
    assert article.coverage_end is None


def test_editing_article_settings_is_sent_to_readers(article, ada):
    services.article_edit(
        user=ada,
        article=article,
        title="Twitter is down across Europe",
        summary="Since **2 p.m.**",
        time_zone="Europe/Madrid",
        language="es",
    )
    article.refresh_from_db()
    assert article.title == "Twitter is down across Europe"
    event = events_of(article)[-1]
    assert "Twitter is down across Europe" in event["header"]
    assert "EN DIRECTO" in event["header"]
    assert "<strong>2 p.m.</strong>" in event["header"]


def test_publishing_stores_sanitised_html_and_a_first_revision(article, ada):
    update = services.update_publish(
        user=ada, article=article, body="  Users see *Something went wrong*  "
    )
    update.refresh_from_db()
    assert update.state == UpdateState.PUBLISHED
    assert update.body == "Users see *Something went wrong*"
    assert update.body_html == "<p>Users see <em>Something went wrong</em></p>"
    assert update.published_at is not None
    assert update.author == ada
    [revision] = update.revisions.all()
    assert (revision.number, revision.body, revision.edited_by) == (1, update.body, ada)


def test_each_published_update_takes_the_next_seq_and_one_event(article, ada):
    first = services.update_publish(user=ada, article=article, body="one")
    second = services.update_publish(user=ada, article=article, body="two")
    article.refresh_from_db()
    assert (first.seq, second.seq) == (2, 3)  # seq 1 was going live
    assert article.seq == 3
    assert [e["seq"] for e in events_of(article)] == [1, 2, 3]
    last = events_of(article)[-1]
    assert last["type"] == EventType.UPDATE_CREATED
    assert last["update"]["id"] == second.pk
    assert "two" in last["update"]["card"]
    assert last["modified_label"].startswith("Last updated ")


def test_an_empty_update_is_refused(article, ada):
    with pytest.raises(ValidationError) as caught:
        services.update_publish(user=ada, article=article, body="   \n ")
    assert caught.value.message_dict["body"] == ["Write something before posting."]


def test_the_ten_thousand_character_limit_counts_exactly(article, ada):
    services.update_publish(user=ada, article=article, body="x" * 10_000)
    with pytest.raises(ValidationError) as caught:
        services.update_publish(user=ada, article=article, body="x" * 10_001)
    assert caught.value.message_dict["body"] == [
        "An update can be at most 10,000 characters; this one has 10,001."
    ]
    assert Update.objects.filter(article=article).count() == 1


def test_an_unknown_kind_is_refused_and_nothing_is_written(article, ada):
    seq = article.seq
    with pytest.raises(ValidationError):
        services.update_publish(user=ada, article=article, body="x", kind="rumour")
    article.refresh_from_db()
    assert article.seq == seq
    assert not Update.objects.exists()


def test_a_contributor_draft_is_invisible_until_an_editor_publishes_it(
    article, ada, grace
):
    seq = article.seq
    draft = services.update_draft_save(user=grace, article=article, body="Draft text")
    article.refresh_from_db()
    assert draft.state == UpdateState.DRAFT
    assert draft.seq is None
    assert article.seq == seq  # no event: readers are told nothing
    published = services.update_draft_publish(user=ada, update=draft)
    article.refresh_from_db()
    assert published.state == UpdateState.PUBLISHED
    assert published.seq == article.seq == seq + 1
    assert published.author == grace
    assert events_of(article)[-1]["update"]["id"] == draft.pk


def test_a_contributor_cannot_publish_even_their_own_draft(article, grace):
    draft = services.update_draft_save(user=grace, article=article, body="Draft text")
    with pytest.raises(PermissionDenied):
        services.update_draft_publish(user=grace, update=draft)
    with pytest.raises(PermissionDenied):
        services.update_publish(user=grace, article=article, body="Straight to readers")


def test_publishing_a_draft_twice_is_refused(article, ada, grace):
    draft = services.update_draft_save(user=grace, article=article, body="Draft text")
    services.update_draft_publish(user=ada, update=draft)
    with pytest.raises(ValidationError):
        services.update_draft_publish(user=ada, update=draft)


def test_a_contributor_may_revise_their_own_draft_but_not_someone_elses(
    article, ada, grace
):
    draft = services.update_draft_save(user=grace, article=article, body="First go")
    services.update_edit(user=grace, update=draft, body="Second go")
    draft.refresh_from_db()
    assert draft.body == "Second go"
    assert draft.edited_at is None  # readers never saw the first go
    other = services.update_draft_save(user=ada, article=article, body="Ada's draft")
    with pytest.raises(PermissionDenied):
        services.update_edit(user=grace, update=other, body="Overwritten")
    published = services.update_publish(user=ada, article=article, body="Published")
    with pytest.raises(PermissionDenied):
        services.update_edit(user=grace, update=published, body="Overwritten")


def test_editing_keeps_every_revision_and_marks_the_update_edited(
    article, ada, admin_user
):
    update = services.update_publish(
        user=ada, article=article, body="Down since 2 p.m."
    )
    services.update_edit(
        user=ada, update=update, body="Down since 1:50 p.m.", base_revision=1
    )
    services.update_edit(
        user=admin_user, update=update, body="Down since 1:45 p.m.", base_revision=2
    )
    update.refresh_from_db()
    assert update.revision == 3
    assert update.body == "Down since 1:45 p.m."
    assert update.edited_at is not None
    revisions = list(UpdateRevision.objects.filter(update=update).order_by("number"))
    assert [(r.number, r.body, r.edited_by) for r in revisions] == [
        (1, "Down since 2 p.m.", ada),
        (2, "Down since 1:50 p.m.", ada),
        (3, "Down since 1:45 p.m.", admin_user),
    ]
    event = events_of(article)[-1]
    assert event["type"] == EventType.UPDATE_EDITED
    assert "1:45 p.m." in event["update"]["card"]
    assert "Edited" in event["update"]["card"]


def test_a_stale_edit_raises_a_conflict_and_writes_nothing(article, ada, admin_user):
    update = services.update_publish(user=ada, article=article, body="Original")
    services.update_edit(
        user=admin_user, update=update, body="Admin's fix", base_revision=1
    )
    seq = LiveArticle.objects.get(pk=article.pk).seq
    with pytest.raises(services.EditConflict) as caught:
        services.update_edit(user=ada, update=update, body="Ada's fix", base_revision=1)
    assert caught.value.current_revision == 2
    assert caught.value.current_body == "Admin's fix"
    update.refresh_from_db()
    assert update.body == "Admin's fix"
    assert update.revisions.count() == 2
    assert LiveArticle.objects.get(pk=article.pk).seq == seq


def test_an_edit_that_changes_nothing_writes_nothing(article, ada):
    update = services.update_publish(user=ada, article=article, body="Same")
    seq = LiveArticle.objects.get(pk=article.pk).seq
    services.update_edit(user=ada, update=update, body="Same  ", base_revision=1)
    update.refresh_from_db()
    assert update.revision == 1
    assert update.edited_at is None
    assert LiveArticle.objects.get(pk=article.pk).seq == seq


def test_an_edit_over_the_limit_is_refused(article, ada):
    update = services.update_publish(user=ada, article=article, body="Short")
    with pytest.raises(ValidationError):
        services.update_edit(user=ada, update=update, body="y" * 10_001)
    update.refresh_from_db()
    assert update.body == "Short"


def test_striking_keeps_the_update_visible_with_its_reason(article, ada):
    update = services.update_publish(
        user=ada, article=article, body="TweetDeck is fine"
    )
    services.update_strike(user=ada, update=update, reason="  TweetDeck was down too. ")
    update.refresh_from_db()
    assert update.is_struck
    assert update.state == UpdateState.PUBLISHED
    assert update.strike_reason == "TweetDeck was down too."
    event = events_of(article)[-1]
    assert event["type"] == EventType.UPDATE_STRUCK
    assert "TweetDeck is fine" in event["update"]["card"]
    assert "TweetDeck was down too." in event["update"]["card"]
    assert "ld-is-struck" in event["update"]["card"]


def test_striking_twice_or_striking_a_draft_changes_nothing_or_is_refused(
    article, ada, grace
):
    update = services.update_publish(user=ada, article=article, body="x")
    services.update_strike(user=ada, update=update, reason="first")
    seq = LiveArticle.objects.get(pk=article.pk).seq
    services.update_strike(user=ada, update=update, reason="second")
    update.refresh_from_db()
    assert update.strike_reason == "first"
    assert LiveArticle.objects.get(pk=article.pk).seq == seq
    draft = services.update_draft_save(user=grace, article=article, body="d")
    with pytest.raises(ValidationError):
        services.update_strike(user=ada, update=draft)


def test_deleting_removes_the_update_for_readers_but_keeps_its_history(article, ada):
    update = services.update_publish(user=ada, article=article, body="Wrong")
    services.update_delete(user=ada, update=update)
    update.refresh_from_db()
    assert update.state == UpdateState.DELETED
    assert update.deleted_at is not None
    assert update.revisions.count() == 1
    event = events_of(article)[-1]
    assert event["type"] == EventType.UPDATE_DELETED
    assert event["update"]["card"] == ""
    assert event["update"]["id"] == update.pk
    with pytest.raises(ValidationError):
        services.update_edit(user=ada, update=update, body="Resurrected")


def test_deleting_a_draft_tells_readers_nothing(article, ada, grace):
    draft = services.update_draft_save(user=grace, article=article, body="d")
    seq = LiveArticle.objects.get(pk=article.pk).seq
    services.update_delete(user=ada, update=draft)
    assert LiveArticle.objects.get(pk=article.pk).seq == seq


def test_pinning_replaces_any_earlier_pin_and_unpinning_clears_it(article, ada):
    first = services.update_publish(user=ada, article=article, body="First")
    second = services.update_publish(user=ada, article=article, body="Second")
    services.update_pin(user=ada, update=first)
    services.update_pin(user=ada, update=second)
    article.refresh_from_db()
    assert article.pinned_update == second
    event = events_of(article)[-1]
    assert event["type"] == EventType.UPDATE_PINNED
    assert "Second" in event["pinned"]
    services.update_unpin(user=ada, article=article)
    article.refresh_from_db()
    assert article.pinned_update is None
    event = events_of(article)[-1]
    assert event["type"] == EventType.UPDATE_UNPINNED
    assert event["pinned"] == ""


def test_unpinning_when_nothing_is_pinned_changes_nothing(article, ada):
    seq = article.seq
    services.update_unpin(user=ada, article=article)
    assert LiveArticle.objects.get(pk=article.pk).seq == seq


def test_only_a_published_update_can_be_pinned(article, ada, grace):
    draft = services.update_draft_save(user=grace, article=article, body="d")
    with pytest.raises(ValidationError):
        services.update_pin(user=ada, update=draft)


def test_deleting_the_pinned_update_empties_the_pinned_slot(article, ada):
    update = services.update_publish(user=ada, article=article, body="Pinned")
    services.update_pin(user=ada, update=update)
    services.update_delete(user=ada, update=update)
    article.refresh_from_db()
    assert article.pinned_update is None
    assert events_of(article)[-1]["pinned"] == ""


def test_editing_the_pinned_update_refreshes_the_pinned_slot(article, ada):
    update = services.update_publish(user=ada, article=article, body="Old words")
    services.update_pin(user=ada, update=update)
    services.update_edit(user=ada, update=update, body="New words")
    event = events_of(article)[-1]
    assert "New words" in event["pinned"]


def test_a_key_event_is_sent_with_its_key_events_line(article, ada):
    update = services.update_publish(
        user=ada,
        article=article,
        body="All services restored.",
        kind=UpdateKind.KEY_EVENT,
    )
    event = events_of(article)[-1]
    assert event["update"]["kind"] == "key_event"
    assert "All services restored." in event["update"]["key_event"]
    services.update_edit(
        user=ada, update=update, body="Restored.", kind=UpdateKind.UPDATE
    )
    assert events_of(article)[-1]["update"]["key_event"] == ""


def test_an_editor_of_another_newsroom_cannot_touch_this_coverage(article, ada, rival):
    update = services.update_publish(user=ada, article=article, body="Ours")
    attempts = [
        lambda: services.update_publish(user=rival, article=article, body="x"),
        lambda: services.update_draft_save(user=rival, article=article, body="x"),
        lambda: services.update_edit(user=rival, update=update, body="x"),
        lambda: services.update_strike(user=rival, update=update),
        lambda: services.update_delete(user=rival, update=update),
        lambda: services.update_pin(user=rival, update=update),
        lambda: services.update_unpin(user=rival, article=article),
        lambda: services.article_end(user=rival, article=article),
        lambda: services.article_edit(
            user=rival,
            article=article,
            title="x",
            summary="",
            time_zone="UTC",
            language="en",
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    update.refresh_from_db()
    assert (update.body, update.state, update.is_struck) == (
        "Ours",
        UpdateState.PUBLISHED,
        False,
    )


def test_a_deactivated_editor_loses_their_powers(article, ada):
    ada.is_active = False
    ada.save()
    with pytest.raises(PermissionDenied):
        services.update_publish(user=ada, article=article, body="x")


def test_events_are_published_to_redis_only_after_commit(
    article, ada, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.update_publish(user=ada, article=article, body="x")
    assert len(callbacks) == 1


def test_control_characters_pasted_into_an_update_are_dropped_and_the_text_kept(article, ada):
    update = services.update_publish(
        user=ada, article=article, body="Login\x00 fails\x07 for\tmany.\r\nStill down."
    )
    update.refresh_from_db()
    assert update.body == "Login fails for\tmany.\r\nStill down."
