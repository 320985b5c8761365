"""Fan-out benchmark: N readers on one live article, an editor posting updates.

    python bench/fanout.py                       # 1,000 and 5,000 readers
    python bench/fanout.py --readers 1000 --servers livedesk,bare,daphne

For each server and reader count:
- the server runs in its own process, pinned to core 0 (``taskset``);
- a load generator runs in another process, pinned to core 1: N raw-socket
  readers that do the WebSocket handshake and then only count frames (no
  WebSocket library, no JSON: much cheaper per connection than the server), plus
  ``--probes`` readers that read each update's send time out of the frame;
- the editor posts ``--updates`` updates ``--interval`` seconds apart.  For
  Livedesk it calls the real service (``update_publish``: transaction, render,
  outbox row, PUBLISH) and the time stamped in the body is taken just before the
  call, so latency covers the whole write path.  For the baseline the message is
  sent to the server's control socket.

Servers compared in the same run:
- ``livedesk``: ``newsroom.asgi`` under uvicorn (uvloop, httptools,
  websockets-sansio, per-message compression off), as ``runstack`` runs it;
- ``bare``: the floor, a ``websockets`` + uvloop server calling ``broadcast()``
  with a message of the same size;
- ``daphne``: the same Livedesk app under Daphne (no uvloop).

Prints publish-to-receive latency p50/p95/p99/max over the probes, updates
lost over every reader (must be 0), and server memory per reader (RSS growth
from before the readers connected, divided by N).  Everything is bounded in
time and only talks to 127.0.0.1; all processes it starts are stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere
HOST = "127.0.0.1"
MARK = b'{"type":"update'  # every counted frame starts like this
STAMP = re.compile(rb"t=(\d+\.\d+)")
CONNECT_BATCH = 100  # handshakes in flight at once: no SYN-backlog overflow
PHASE_TIMEOUT = 180.0  # no phase of one scenario may take longer than this


def raise_open_files() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def pinned(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if shutil.which("taskset") and os.cpu_count() and os.cpu_count() > 1 else []


# Load generator (its own process) ---------------------------------------------


class RawReader(asyncio.Protocol):
    """A WebSocket client reduced to a handshake and a frame counter.

    Server frames are unmasked; a frame's header says its length, so counting
    frames needs no payload decoding.  Probes also read the payload's send time.
    """

    def __init__(self, path: str, probe: bool, handshake_done: asyncio.Future[bool]) -> None:
        self.path = path
        self.probe = probe
        self.handshake_done = handshake_done
        self.buffer = bytearray()
        self.upgraded = False
        self.counted = 0
        self.latencies: list[float] = []
        self.closed = False

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            (
                f"GET {self.path} HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )

    def data_received(self, data: bytes) -> None:
        now = time.time()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            ok = self.buffer.startswith(b"HTTP/1.1 101")
            del self.buffer[: end + 4]
            self.upgraded = True
            if not self.handshake_done.done():
                self.handshake_done.set_result(ok)
        buffer = self.buffer
        position = 0
        while len(buffer) - position >= 2:
            length = buffer[position + 1] & 0x7F
            header = 2
            if length == 126:
                if len(buffer) - position < 4:
                    break
                length = int.from_bytes(buffer[position + 2 : position + 4], "big")
                header = 4
            elif length == 127:
                if len(buffer) - position < 10:
                    break
                length = int.from_bytes(buffer[position + 2 : position + 10], "big")
                header = 10
            start = position + header
            if len(buffer) - start < length:
                break
            opcode = buffer[position] & 0x0F
            if opcode == 0x1 and buffer[start : start + len(MARK)] == MARK:
                self.counted += 1
                if self.probe:
                    found = STAMP.search(buffer, start, start + length)
                    if found:
                        self.latencies.append(now - float(found.group(1)))
            elif opcode == 0x9:  # protocol ping: answer, masked as a client must
                payload = bytes(buffer[start : start + length])
                self.transport.write(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
            position = start + length
        del buffer[:position]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.handshake_done.done():
            self.handshake_done.set_result(False)


async def run_load(port: int, path: str, readers: int, probes: int, expect: int, deadline: float) -> None:
    """Connect, say READY, wait for GO (stdin) then for every update; report JSON."""
    import uvloop

    uvloop.install() if sys.version_info < (3, 12) else None
    loop = asyncio.get_running_loop()
    clients: list[RawReader] = []
    failed = 0
    total = readers + probes

    async def connect(index: int) -> bool:
        done: asyncio.Future[bool] = loop.create_future()
        client = RawReader(path, index >= readers, done)
        clients.append(client)
        try:
            await asyncio.wait_for(loop.create_connection(lambda: client, HOST, port), 30)
            return await asyncio.wait_for(done, 60)
        except (OSError, asyncio.TimeoutError):
            return False

    for first in range(0, total, CONNECT_BATCH):
        batch = range(first, min(total, first + CONNECT_BATCH))
        failed += sum(1 for ok in await asyncio.gather(*(connect(i) for i in batch)) if not ok)
    print(json.dumps({"ready": True, "failed": failed}), flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)  # GO: the editor is done
    while time.monotonic() < deadline and any(c.counted < expect for c in clients if not c.closed):
        await asyncio.sleep(0.1)
    latencies = [value for c in clients if c.probe for value in c.latencies]
    print(
        json.dumps(
            {
                "lost": sum(max(0, expect - c.counted) for c in clients),
                "extra": sum(max(0, c.counted - expect) for c in clients),
                "closed": sum(1 for c in clients if c.closed),
                "latencies": latencies,
            }
        ),
        flush=True,
    )


# Baseline server (its own process) ---------------------------------------------


async def run_bare(port: int) -> None:
    """The floor: websockets + uvloop, one broadcast() per message."""
    import uvloop
    from websockets.asyncio.server import broadcast, serve

    uvloop.install() if sys.version_info < (3, 12) else None
    readers: set[Any] = set()

    async def handler(connection: Any) -> None:
        if connection.request.path == "/control":
            async for message in connection:
                broadcast(readers, message)
            return
        readers.add(connection)
        try:
            await connection.wait_closed()
        finally:
            readers.discard(connection)

    async with serve(handler, HOST, port, compression=None, max_queue=None, backlog=4096):
        await asyncio.Future()


# The orchestrating process -----------------------------------------------------


class Scenario:
    def __init__(self, args: argparse.Namespace, workdir: Path, redis_url: str) -> None:
        self.args = args
        self.workdir = workdir
        self.redis_url = redis_url
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "REDIS_URL": redis_url,
            "LIVEDESK_REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
            "LIVEDESK_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }

    def server_command(self, kind: str, port: int) -> list[str]:
        python = sys.executable
        if kind == "livedesk":
            return pinned(0) + [
                python, "-m", "uvicorn", "newsroom.asgi:application", "--host", HOST,
                "--port", str(port), "--ws", "websockets-sansio",
                "--ws-per-message-deflate", "false", "--loop", "uvloop", "--http", "httptools",
                "--no-access-log", "--log-level", "warning", "--backlog", "4096",
            ]
        if kind == "daphne":
            return pinned(0) + [python, "-m", "daphne", "-b", HOST, "-p", str(port), "-v", "0", "newsroom.asgi:application"]
        return pinned(0) + [python, str(Path(__file__).resolve()), "--bare-server", str(port)]


def wait_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited at start")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run_scenario(kind: str, readers: int, scenario: Scenario, django_state: dict[str, Any]) -> dict[str, Any]:
    import psutil

    args = scenario.args
    port = free_port()
    server = subprocess.Popen(
        scenario.server_command(kind, port), cwd=ROOT, env=scenario.env,
        stdout=subprocess.DEVNULL, stderr=open(scenario.workdir / f"{kind}-{readers}.log", "wb"),
    )
    load: subprocess.Popen[str] | None = None
    try:
        wait_port(port, server)
        slug = django_state["slug"]
        path = "/ws/bench" if kind == "bare" else f"/ws/live/{slug}/"
        time.sleep(1.0)
        # RSS of the whole server (taskset execs, so the pid is the server's).
        rss_before = psutil.Process(server.pid).memory_info().rss
        deadline_seconds = PHASE_TIMEOUT + args.updates * args.interval
        load = subprocess.Popen(
            pinned(1) + [
                sys.executable, str(Path(__file__).resolve()), "--load", str(port), path,
                str(readers - args.probes), str(args.probes), str(args.updates), str(deadline_seconds),
            ],
            cwd=ROOT, env=scenario.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert load.stdout is not None and load.stdin is not None
        started = time.monotonic()
        ready = json.loads(load.stdout.readline() or "{}")
        connect_seconds = time.monotonic() - started
        if not ready.get("ready"):
            raise RuntimeError("load generator did not connect")
        time.sleep(1.0)
        rss_after = psutil.Process(server.pid).memory_info().rss
        django_state["write_ms"] = []
        post_updates(kind, port, args, django_state)
        load.stdin.write("GO\n")
        load.stdin.flush()
        report = json.loads(load.stdout.readline() or "{}")
        latencies = report.get("latencies") or [float("nan")]
        return {
            "server": kind,
            "readers": readers,
            "failed_connections": ready["failed"],
            "connect_s": round(connect_seconds, 1),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1),
            "samples": len(report.get("latencies") or []),
            "lost": report.get("lost"),
            "duplicates": report.get("extra"),
            "closed": report.get("closed"),
            "kib_per_reader": round((rss_after - rss_before) / readers / 1024, 1),
            # The service call (transaction, render, outbox row, PUBLISH): part of
            # the latency above, paid once per update whatever the audience.
            "write_ms": round(statistics.median(django_state["write_ms"]), 1) if django_state["write_ms"] else "-",
        }
    finally:
        for process in (load, server):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT if process is server else signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def post_updates(kind: str, port: int, args: argparse.Namespace, state: dict[str, Any]) -> None:
    if kind == "bare":
        asyncio.run(_post_bare(port, args, state["event_size"]))
        return
    from liveblog import services

    for number in range(args.updates):
        started = time.time()
        services.update_publish(
            user=state["editor"], article=state["article"],
            body=f"Bench update {number}: services are recovering region by region. t={started:.6f}",
        )
        state["write_ms"].append((time.time() - started) * 1000)
        time.sleep(args.interval)


async def _post_bare(port: int, args: argparse.Namespace, size: int) -> None:
    import websockets

    async with websockets.connect(f"ws://{HOST}:{port}/control", compression=None) as control:
        for number in range(args.updates):
            head = '{"type":"update.created","seq":%d,"t":"t=%.6f","pad":"' % (number, time.time())
            await control.send(head + "x" * max(0, size - len(head) - 2) + '"}')
            await asyncio.sleep(args.interval)


def setup_django(scenario: Scenario) -> dict[str, Any]:
    os.environ.update(scenario.env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from liveblog import services
    from liveblog.models import LiveArticle
    from newsroom.models import Membership, Newsroom, Role

    call_command("migrate", verbosity=0, run_syncdb=True)
    newsroom = Newsroom.objects.create(name="Bench Daily", slug="bench-daily")
    editor = get_user_model().objects.create_user("bench-editor", password=uuid.uuid4().hex)
    Membership.objects.create(user=editor, newsroom=newsroom, role=Role.EDITOR)
    article = LiveArticle.objects.create(newsroom=newsroom, title="Bench outage", slug="bench-outage", time_zone="UTC")
    article = services.article_go_live(user=editor, article=article)
    sample = services.update_publish(user=editor, article=article, body="Sizing update t=0.000000")
    event_size = len(sample.article.events.order_by("-seq").first().message.encode())
    return {"editor": editor, "article": article, "slug": article.slug, "event_size": event_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--servers", default="livedesk,bare,daphne")
    parser.add_argument("--daphne-max-readers", type=int, default=1000, help="Daphne is slow to accept: skip it above this")
    parser.add_argument("--load", nargs=6, help=argparse.SUPPRESS)
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    limit = raise_open_files()

    if args.bare_server:
        asyncio.run(run_bare(args.bare_server))
        return
    if args.load:
        port, path, readers, probes, expect, deadline = args.load
        asyncio.run(run_load(int(port), path, int(readers), int(probes), int(expect), time.monotonic() + float(deadline)))
        return

    if max(args.readers) + 100 > limit:
        sys.exit(f"open-file limit is {limit}: at most {limit - 100} readers per run")
    from newsroom.embedded import start_redis

    workdir = Path(tempfile.mkdtemp(prefix="livedesk-bench-"))
    redis_process, redis_url = start_redis(directory=workdir / "redis")
    try:
        scenario = Scenario(args, workdir, redis_url)
        state = setup_django(scenario)
        print(f"# {os.cpu_count()} cores, open-file limit {limit}, event {state['event_size']} bytes, "
              f"{args.updates} updates {args.interval}s apart, {args.probes} probes", flush=True)
        header = ("server", "readers", "p50_ms", "p95_ms", "p99_ms", "max_ms", "lost", "duplicates",
                  "failed_connections", "kib_per_reader", "write_ms", "connect_s", "samples")
        print("| " + " | ".join(header) + " |\n|" + " --- |" * len(header), flush=True)
        for readers in args.readers:
            for kind in args.servers.split(","):
                if kind == "daphne" and readers > args.daphne_max_readers:
                    continue
                result = run_scenario(kind, readers, scenario, state)
                print("| " + " | ".join(str(result[h]) for h in header) + " |", flush=True)
    finally:
        redis_process.terminate()
        redis_process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
