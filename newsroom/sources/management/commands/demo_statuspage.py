"""``manage.py demo_statuspage``: serve the scripted outage until Ctrl-C.

``runstack`` starts it so that the demo article's desk receives suggestions
within a minute or two, offline (see ``newsroom.sources.demo``).
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from newsroom.sources.demo import DemoOutage, serve

DEFAULT_PORT = 8765


class Command(BaseCommand):
    help = "Serve a local Statuspage-format page that steps through an outage, looping."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--port", type=int,
            default=int(os.environ.get("LIVEDESK_DEMO_STATUSPAGE_PORT", DEFAULT_PORT)),
        )  # fmt: skip
        parser.add_argument("--step", type=float, default=20.0, help="seconds per step")

    def handle(self, *args: Any, port: int, step: float, **options: Any) -> None:
        outage = DemoOutage(step_seconds=step)
        server = serve(outage, port=port)
        self.stdout.write(
            f"Demo status page on {outage.base_url}/api/v2/summary.json "
            f"(a step every {step:g} s)"
        )
        stop = threading.Event()
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        stop.wait()
        server.shutdown()
