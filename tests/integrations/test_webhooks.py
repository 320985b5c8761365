"""Outbound webhooks, end to end: a real Celery worker delivers to a local
receiver; signatures verify; a receiver that is down gets everything once it
is back; one that never answers well is logged as failed on the desk."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import pytest
from django.test import Client

from liveblog import services
from newsroom.integrations.models import (
    DeliveryStatus,
    OutboundWebhook,
    WebhookDelivery,
)
from newsroom.integrations.services import (
    SIGNATURE_HEADER,
    webhook_create,
    webhook_signature_valid,
)
from tests.support.servers import CeleryWorker, free_port

MAX_ATTEMPTS = 5


class Receiver:
    """A webhook receiver on 127.0.0.1 that records requests and answers ``status``."""

    def __init__(self, port: int | None = None, status: int = 200) -> None:
        self.port = port or free_port()
        self.status = status
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def wait_for(condition: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture(scope="module")
def worker(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with CeleryWorker(
        LIVEDESK_WEBHOOK_BACKOFF_SECONDS="0.3",
        LIVEDESK_WEBHOOK_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
        LIVEDESK_WEBHOOK_TIMEOUT_SECONDS="2",
    ) as running:
        yield running


@pytest.fixture
def receiver() -> Any:
    started = Receiver().start()
    yield started
    started.stop()


def _events(receiver: Receiver) -> list[dict[str, Any]]:
    return [json.loads(body) for _, body in receiver.received]


def test_each_published_event_reaches_the_receiver_signed(
    transactional_db, worker, receiver, admin_user, article, ada
):
    webhook = webhook_create(
        user=admin_user, newsroom=article.newsroom, url=receiver.url
    )
    update = services.update_publish(
        user=ada, article=article, body="Services restored."
    )
    services.update_pin(user=ada, update=update)

    wait_for(lambda: len(receiver.received) == 2)
    for headers, body in receiver.received:
        assert webhook_signature_valid(
            secret=webhook.secret, header=headers[SIGNATURE_HEADER], body=body
        )
        assert not webhook_signature_valid(
            secret="wrong", header=headers[SIGNATURE_HEADER], body=body
        )
        assert not webhook_signature_valid(
            secret=webhook.secret, header=headers[SIGNATURE_HEADER], body=body + b" "
        )
    created, pinned = sorted(_events(receiver), key=lambda e: e["seq"])
    assert created["type"] == "update.created" and pinned["type"] == "update.pinned"
    assert created["article"]["slug"] == article.slug
    assert created["update_url"].endswith(f"/live/{article.slug}/updates/{update.pk}/")
    assert "Services restored." in created["event"]["update"]["card"]
    wait_for(
        lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
        == 2
    )


def test_nothing_is_lost_while_the_receiver_is_down(
    transactional_db, worker, admin_user, article, ada
):
    down = Receiver()  # its port is chosen but nothing listens yet
    webhook_create(user=admin_user, newsroom=article.newsroom, url=down.url)
    posted = [
        services.update_publish(user=ada, article=article, body=f"Update {n}")
        for n in range(3)
    ]

    # Every delivery has been tried and refused at least once...
    wait_for(lambda: WebhookDelivery.objects.filter(attempts__gte=1).count() == 3)
    assert not WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists()
    down.start()  # ...then the receiver comes back.
    try:
        wait_for(
            lambda: WebhookDelivery.objects.filter(
                status=DeliveryStatus.DELIVERED
            ).count()
            == 3
        )
        ids = sorted(e["event"]["update"]["id"] for e in _events(down))
        assert ids == sorted(u.pk for u in posted)  # each exactly once
    finally:
        down.stop()


def test_a_failing_receiver_is_retried_then_logged_as_failed_on_the_desk(
    transactional_db, worker, admin_user, article, ada
):
    broken = Receiver(status=500).start()
    try:
        webhook_create(user=admin_user, newsroom=article.newsroom, url=broken.url)
        services.update_publish(user=ada, article=article, body="Will not arrive")
        delivery = wait_for(
            lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).first()
        )
        assert delivery.attempts == MAX_ATTEMPTS
        assert delivery.last_status_code == 500
        assert len(broken.received) == MAX_ATTEMPTS
    finally:
        broken.stop()
    client = Client()
    client.force_login(admin_user)
    log = client.get("/desk/profile/").content.decode()
    assert "ld-delivery-failed" in log and "HTTP 500" in log


def test_only_newsroom_admins_add_webhooks(db, ada, admin_user, daily):
    editor = Client()
    editor.force_login(ada)
    assert (
        editor.post(
            "/desk/profile/webhooks/add/",
            {"newsroom": daily.pk, "url": "https://x.example/"},
        ).status_code
        == 403
    )
    admin = Client()
    admin.force_login(admin_user)
    admin.post(
        "/desk/profile/webhooks/add/",
        {"newsroom": daily.pk, "url": "https://x.example/"},
    )
    assert OutboundWebhook.objects.get().newsroom == daily
