"""The demo's scripted outage, polled like any status page, gives the desk a
suggestion at each step and starts over with a fresh incident."""

from __future__ import annotations

import datetime as dt
from typing import Any

from newsroom.sources.demo import STEPS, DemoOutage, serve
from newsroom.sources.models import SourceKind, Suggestion
from newsroom.sources.tasks import poll_source
from tests.newsroom.sources.support import allow_private, watched_source  # noqa: F401


def test_the_demo_outage_steps_from_investigating_to_resolved_as_suggestions(
    article: Any, allow_private: Any, django_capture_on_commit_callbacks: Any
) -> None:
    outage = DemoOutage(step_seconds=60)
    server = serve(outage)
    try:
        source = watched_source(article, kind=SourceKind.STATUSPAGE, url=outage.base_url + "/", name="Twitter")
        poll_source(source.pk)  # baseline: all operational
        bodies = []
        for _ in range(len(STEPS)):  # investigating … resolved, then operational again
            outage.started_at -= dt.timedelta(seconds=60)  # time-compressed: the next step
            with django_capture_on_commit_callbacks(execute=True):
                poll_source(source.pk)
            pending = Suggestion.objects.filter(state="pending").first()
            if pending is not None:
                bodies.append(pending.body)
                pending.state = "dismissed"  # an editor handles each step
                pending.save()
    finally:
        server.shutdown()

    assert len(bodies) == 4
    assert "investigating" in bodies[0]
    assert "identified" in bodies[1].lower() or "fix" in bodies[1].lower()
    assert "resolved" in bodies[3].lower() and "lasted" in bodies[3]
