"""Real servers for the suite: the ASGI app under uvicorn and a Celery worker,
each a subprocess on the test database and the suite's Redis namespace."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_database_url() -> str:
    """A DATABASE_URL naming the test database pytest-django created."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        {
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "LIVEDESK_REDIS_PREFIX": settings.LIVEDESK_REDIS_PREFIX,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


class AsgiServer:
    """``uvicorn newsroom.asgi:application`` on a free port, as production runs it."""

    def __init__(self, *, port: int | None = None, **env: str) -> None:
        self.port = port or free_port()
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"livedesk-uvicorn-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> "AsgiServer":
        command = [
            sys.executable, "-m", "uvicorn", "newsroom.asgi:application",
            "--host", "127.0.0.1", "--port", str(self.port),
            "--ws", "websockets-sansio", "--ws-per-message-deflate", "false",
            "--loop", "uvloop", "--no-access-log",
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=child_env(**self.env), stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {self.log.read_text()[-2000:]}")
            try:
                httpx.get(f"{self.url}/", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("uvicorn did not answer in 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def __enter__(self) -> "AsgiServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class CeleryWorker:
    """A real Celery worker (and optionally beat) on the suite's Redis broker."""

    def __init__(self, *, beat: bool = False, **env: str) -> None:
        self.beat = beat
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"livedesk-celery-{os.getpid()}.log"

    def start(self) -> "CeleryWorker":
        command = [
            sys.executable, "-m", "celery", "-A", "newsroom", "worker",
            "--loglevel", "INFO", "--pool", "solo", "--without-mingle", "--without-gossip",
        ]
        if self.beat:
            command.append("--beat")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=child_env(**self.env), stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery exited: {self.log.read_text()[-2000:]}")
            if b"ready." in self.log.read_bytes():
                return self
            time.sleep(0.2)
        raise RuntimeError("celery worker not ready in 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def __enter__(self) -> "CeleryWorker":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
