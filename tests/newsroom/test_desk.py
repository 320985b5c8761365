"""The editor desk as an editor uses it: forms posted, pages read back."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from liveblog import services
from liveblog.models import ArticleStatus, LiveArticle, Update, UpdateState
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash passwords cheaply: these tests log in hundreds of times, and PBKDF2's
    deliberate slowness would dominate the run.  Roles are under test, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def logged_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_desk_needs_a_login(client):
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/desk/"


def test_logging_in_through_the_form_lands_on_the_desk(client, ada, article):
    response = client.post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD, "next": "/desk/"}
    )
    assert response.status_code == 302 and response["Location"] == "/desk/"
    soup = soup_of(client.get("/desk/"))
    assert [a.get_text() for a in soup.select(".ld-article-list a")] == [
        "Twitter is down"
    ]


def test_an_editor_creates_an_article_and_takes_it_live(ada, daily):
    client = logged_in(ada)
    response = client.post(
        "/desk/new/",
        {
            "newsroom": daily.pk,
            "title": "Twitter is down",
            "slug": "twitter-down",
            "summary": "Users cannot log in.",
            "time_zone": "Europe/Madrid",
            "language": "en",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/desk/twitter-down/"
    article = LiveArticle.objects.get(slug="twitter-down")
    assert (article.status, article.time_zone, article.created_by) == (
        ArticleStatus.DRAFT,
        "Europe/Madrid",
        ada,
    )
    assert client.get("/live/twitter-down/").status_code == 404
    client.post("/desk/twitter-down/status/", {"status": "live"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.LIVE and article.coverage_start
    assert client.get("/live/twitter-down/").status_code == 200


def test_a_zone_that_is_not_iana_is_refused_with_the_form_kept(ada, daily):
    response = logged_in(ada).post(
        "/desk/new/",
        {
            "newsroom": daily.pk,
            "title": "T",
            "slug": "t",
            "time_zone": "CEST",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "is not an IANA time zone" in response.content.decode()
    assert soup_of(response).select_one("#id_title")["value"] == "T"
    assert not LiveArticle.objects.filter(slug="t").exists()


def test_an_editor_publishes_and_the_reader_page_shows_it(ada, article, client):
    desk = logged_in(ada)
    response = desk.post(
        f"/desk/{article.slug}/post/",
        {"body": "Users see *Something went wrong*", "kind": "update"},
    )
    assert response.status_code == 302
    assert (
        "Something went wrong"
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_the_preview_is_exactly_what_readers_will_see(ada):
    body = "**bold** [x](javascript:alert(1))"
    response = logged_in(ada).post("/desk/preview/", {"body": body})
    payload = response.json()
    assert (
        payload["html"]
        == '<p><strong>bold</strong> <a rel="nofollow noopener ugc">x</a></p>'
    )
    assert (payload["chars"], payload["limit"]) == (len(body), 10_000)


def test_the_preview_is_for_desk_members_only(reader, client):
    assert logged_in(reader).post("/desk/preview/", {"body": "x"}).status_code == 403
    assert client.post("/desk/preview/", {"body": "x"}).status_code == 302


def test_an_update_over_the_limit_is_refused_and_the_text_stays_in_the_box(
    ada, article
):
    text = "The outage continues. " * 460  # 10,120 characters
    response = logged_in(ada).post(
        f"/desk/{article.slug}/post/", {"body": text, "kind": "update"}
    )
    assert response.status_code == 400
    soup = soup_of(response)
    assert soup.select_one("#ld-body-errors").get_text(strip=True) == (
        "An update can be at most 10,000 characters; this one has 10,119."
    )
    assert soup.select_one("textarea[name=body]").get_text().strip() == text.strip()
    assert not Update.objects.exists()


def test_a_contributor_saves_a_draft_that_an_editor_publishes(
    grace, ada, article, client
):
    response = logged_in(grace).post(
        f"/desk/{article.slug}/post/",
        {"body": "TweetDeck is down too.", "kind": "update"},
    )
    assert response.status_code == 302
    draft = Update.objects.get()
    assert draft.state == UpdateState.DRAFT
    assert "TweetDeck" not in client.get(article.get_absolute_url()).content.decode()
    editor_desk = logged_in(ada)
    drafts = soup_of(editor_desk.get(f"/desk/{article.slug}/")).select(
        f"#draft-{draft.pk}"
    )
    assert drafts and "TweetDeck is down too." in drafts[0].get_text()
    editor_desk.post(f"/desk/updates/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.state == UpdateState.PUBLISHED
    assert (
        "TweetDeck is down too."
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_a_contributor_sees_no_publish_button(grace, article):
    soup = soup_of(logged_in(grace).get(f"/desk/{article.slug}/"))
    assert soup.select_one("#ld-publish") is None
    assert soup.select_one("button[name=as_draft]") is not None


def test_editing_keeps_every_revision_visible_to_editors(
    ada, admin_user, article, client
):
    update = services.update_publish(
        user=ada, article=article, body="Down since 2 p.m."
    )
    desk = logged_in(ada)
    page = soup_of(desk.get(f"/desk/updates/{update.pk}/edit/"))
    assert (
        page.select_one("textarea[name=body]").get_text().strip() == "Down since 2 p.m."
    )
    assert page.select_one("input[name=base_revision]")["value"] == "1"
    response = desk.post(
        f"/desk/updates/{update.pk}/edit/",
        {"body": "Down since 1:50 p.m.", "kind": "update", "base_revision": 1},
    )
    assert response.status_code == 302
    history = soup_of(logged_in(admin_user).get(f"/desk/updates/{update.pk}/edit/"))
    revisions = history.select(".ld-revisions li")
    assert [r["id"] for r in revisions] == ["revision-2", "revision-1"]
    assert [r.select_one(".ld-body").get_text(strip=True) for r in revisions] == [
        "Down since 1:50 p.m.",
        "Down since 2 p.m.",
    ]
    reader_card = soup_of(client.get(article.get_absolute_url())).select_one(
        ".ld-update"
    )
    assert reader_card.select_one(".ld-edited").get_text().startswith("Edited ")


def test_a_stale_edit_shows_a_conflict_with_both_texts(ada, admin_user, article):
    update = services.update_publish(user=ada, article=article, body="Original text")
    services.update_edit(
        user=admin_user, update=update, body="Admin's newer text", base_revision=1
    )
    desk = logged_in(ada)
    response = desk.post(
        f"/desk/updates/{update.pk}/edit/",
        {"body": "Ada's text", "kind": "update", "base_revision": 1},
    )
    assert response.status_code == 409
    soup = soup_of(response)
    conflict = soup.select_one("#ld-conflict")
    assert "Admin's newer text" in conflict.select_one(".ld-body").get_text()
    assert soup.select_one("textarea[name=body]").get_text().strip() == "Ada's text"
    update.refresh_from_db()
    assert update.body == "Admin's newer text"
    # Having merged, saving again from the conflict page goes through.
    base = soup.select_one("input[name=base_revision]")["value"]
    assert base == "2"
    response = desk.post(
        f"/desk/updates/{update.pk}/edit/",
        {"body": "Merged text", "kind": "update", "base_revision": base},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.body, update.revision) == ("Merged text", 3)


def test_an_edit_over_the_limit_keeps_the_text_in_the_box(ada, article):
    update = services.update_publish(user=ada, article=article, body="Short")
    text = "z" * 10_001
    response = logged_in(ada).post(
        f"/desk/updates/{update.pk}/edit/",
        {"body": text, "kind": "update", "base_revision": 1},
    )
    assert response.status_code == 200
    soup = soup_of(response)
    assert "at most 10,000 characters" in soup.select_one("#ld-body-errors").get_text()
    assert soup.select_one("textarea[name=body]").get_text().strip() == text


def test_strike_delete_pin_and_unpin_from_the_desk(ada, article, client):
    struck = services.update_publish(user=ada, article=article, body="TweetDeck works")
    deleted = services.update_publish(user=ada, article=article, body="A mistake")
    pinned = services.update_publish(user=ada, article=article, body="Read this first")
    desk = logged_in(ada)
    desk.post(f"/desk/updates/{struck.pk}/strike/", {"reason": "It did not"})
    desk.post(f"/desk/updates/{deleted.pk}/delete/")
    desk.post(f"/desk/updates/{pinned.pk}/pin/")
    reader = soup_of(client.get(article.get_absolute_url()))
    assert reader.select_one(f"#update-{struck.pk} .ld-struck-note").get_text() == (
        "Retracted: It did not"
    )
    assert reader.select_one(f"#update-{deleted.pk}") is None
    assert "Read this first" in reader.select_one("#ld-pinned").get_text()
    # The editor still sees the deleted update, marked, with its history.
    desk_page = soup_of(desk.get(f"/desk/{article.slug}/"))
    row = desk_page.select_one(f"#desk-update-{deleted.pk}")
    assert "ld-deleted" in row["class"] and "A mistake" in row.get_text()
    history = soup_of(desk.get(f"/desk/updates/{deleted.pk}/edit/"))
    assert "A mistake" in history.select_one(".ld-revisions").get_text()
    desk.post(f"/desk/{article.slug}/unpin/")
    reader = soup_of(client.get(article.get_absolute_url()))
    assert reader.select_one("#ld-pinned .ld-pinned-card") is None


def test_ending_coverage_from_the_desk(ada, article, client):
    response = logged_in(ada).post(f"/desk/{article.slug}/status/", {"status": "ended"})
    assert response.status_code == 302
    reader = soup_of(client.get(article.get_absolute_url()))
    assert (
        reader.select_one(".ld-ended")
        .get_text()
        .startswith("This live coverage has ended")
    )


def test_article_settings_change_what_readers_see(ada, article, client):
    logged_in(ada).post(
        f"/desk/{article.slug}/settings/",
        {
            "title": "Twitter and TweetDeck are down",
            "summary": "Since 2 p.m.",
            "time_zone": "America/New_York",
            "language": "en",
        },
    )
    article.refresh_from_db()
    assert (article.title, article.time_zone) == (
        "Twitter and TweetDeck are down",
        "America/New_York",
    )
    assert (
        "Twitter and TweetDeck are down"
        in client.get(article.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("status", ["sideways", ""])
def test_an_unknown_status_changes_nothing(ada, article, status):
    logged_in(ada).post(f"/desk/{article.slug}/status/", {"status": status})
    article.refresh_from_db()
    assert article.status == ArticleStatus.LIVE


def test_django_admin_works_for_staff(article, ada):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_superuser(
        "boss", "boss@example.org", PASSWORD
    )
    client = logged_in(staff)
    for url in [
        "/admin/",
        "/admin/liveblog/livearticle/",
        "/admin/liveblog/update/",
        f"/admin/liveblog/livearticle/{article.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url
    assert logged_in(ada).get("/admin/").status_code == 302  # not staff


def test_the_desk_labels_published_updates_in_the_articles_zone_and_style(ada, article, client):
    services.update_publish(
        user=ada,
        article=article,
        body="Timelines are empty.",
        # 12:50 UTC is 2:50 p.m. in Madrid in summer.
        published_at=dt.datetime(2026, 7, 13, 12, 50, tzinfo=dt.UTC),
    )
    client.login(username="ada", password=PASSWORD)
    html = client.get(f"/desk/{article.slug}/").content.decode()
    year = "" if dt.date.today().year == 2026 else ", 2026"  # other years name theirs
    assert f"Update 2:50 p.m., July 13{year}" in html
