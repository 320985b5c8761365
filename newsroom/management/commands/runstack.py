"""``manage.py runstack``: web, worker and scheduler together, for development
and the demo.  Starts a private Redis first when REDIS_URL is not set."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from newsroom.embedded import start_redis


class Command(BaseCommand):
    help = "Run the ASGI server, a Celery worker and Celery beat until Ctrl-C."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args: Any, port: int, host: str, **options: Any) -> None:
        env = os.environ.copy()
        children: list[subprocess.Popen[bytes]] = []
        if not os.environ.get("REDIS_URL"):
            redis_process, url = start_redis(directory=settings.BASE_DIR / "var" / "redis")
            children.append(redis_process)
            env["REDIS_URL"] = url
            self.stdout.write(f"Embedded Redis on {url} (set REDIS_URL to use your own).")
        python = sys.executable
        commands = {
            "web": [
                python, "-m", "uvicorn", "newsroom.asgi:application",
                "--host", host, "--port", str(port),
                "--ws", "websockets-sansio",
                # Compression costs ~300 KiB per socket and defeats encoding once.
                "--ws-per-message-deflate", "false",
                "--loop", "uvloop", "--http", "httptools",
                "--no-access-log",
            ],
            "worker": [python, "-m", "celery", "-A", "newsroom", "worker",
                       "--loglevel", "INFO", "--concurrency", "2"],
            "scheduler": [python, "-m", "celery", "-A", "newsroom", "beat",
                          "--loglevel", "INFO",
                          "--schedule", str(settings.BASE_DIR / "var" / "celerybeat-schedule")],
            # The demo's scripted outage on 127.0.0.1 (newsroom.sources.demo).
            "demo-statuspage": [python, str(settings.BASE_DIR / "manage.py"), "demo_statuspage"],
        }
        # runstack is the development/demo stack: let the worker poll that
        # loopback status page (production leaves private addresses refused).
        env.setdefault("LIVEDESK_SOURCES_ALLOW_PRIVATE", "true")
        for name, command in commands.items():
            children.append(subprocess.Popen(command, env=env))
            self.stdout.write(f"started {name}: pid {children[-1].pid}")
        self.stdout.write(self.style.SUCCESS(
            f"\nLivedesk is running on http://{host}:{port}/  (desk: http://{host}:{port}/desk/)\n"
            "Log in as ada / ada-demo-pass (editor) or grace / grace-demo-pass (contributor).\n"
            "Ctrl-C stops everything."
        ))
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for child in children:
                    if child.poll() is not None:
                        self.stderr.write(f"process {child.args[:4]} exited ({child.returncode}); stopping")
                        stopping = True
                time.sleep(0.5)
        finally:
            for child in reversed(children):
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
