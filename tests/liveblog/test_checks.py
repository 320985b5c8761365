"""Misconfiguration is reported by system checks with stable IDs."""

from __future__ import annotations

from django.core import checks


def check_ids() -> set[str]:
    return {
        message.id
        for message in checks.run_checks()
        if message.id.startswith("liveblog.")
    }


def test_default_settings_pass_the_checks():
    assert check_ids() == set()


def test_a_redis_url_that_is_not_redis_is_an_error(settings):
    settings.REDIS_URL = "http://127.0.0.1:6379/0"
    assert check_ids() == {"liveblog.E001"}


def test_every_redis_url_form_is_accepted(settings):
    for url in ["redis://h:6379/1", "rediss://h:6380/0", "unix:///run/redis.sock"]:
        settings.REDIS_URL = url
        assert check_ids() == set(), url


def test_a_site_url_that_is_not_absolute_is_an_error(settings):
    settings.SITE_URL = "live.example.com"
    assert check_ids() == {"liveblog.E002"}


def test_a_tiny_reader_queue_is_a_warning(settings):
    settings.LIVEDESK_READER_QUEUE_SIZE = 4
    messages = [m for m in checks.run_checks() if m.id == "liveblog.W001"]
    assert len(messages) == 1
    assert messages[0].level == checks.WARNING
    settings.LIVEDESK_READER_QUEUE_SIZE = 8
    assert check_ids() == set()
