"""``manage.py poll_sources [--once] [--source ID]``: poll in the foreground.

For operators (is this source working?) and tests.  Uses the same lock and
code as the worker's task, so it is safe to run next to a running worker.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from newsroom.sources.models import POLLED_KINDS, SignalSource
from newsroom.sources.tasks import poll_source


class Command(BaseCommand):
    help = "Poll signal sources now: every due one (or --source ID), once or in a loop."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--source", type=int, help="poll only this source id (even if not due)")

    def handle(self, *args: Any, once: bool, source: int | None, **options: Any) -> None:
        if source is not None and not SignalSource.objects.filter(pk=source).exists():
            raise CommandError(f"No source with id {source}.")
        while True:
            self._round(source)
            if once:
                return
            time.sleep(5)

    def _round(self, only: int | None) -> None:
        sources = SignalSource.objects.filter(enabled=True, kind__in=list(POLLED_KINDS))
        if only is not None:
            sources = SignalSource.objects.filter(pk=only)
        else:
            sources = sources.filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=timezone.now()))
        for source_id in sources.values_list("pk", flat=True):
            new = poll_source(source_id)
            source = SignalSource.objects.get(pk=source_id)
            if new is None and source.consecutive_failures:
                self.stdout.write(self.style.ERROR(
                    f"#{source.pk} {source.name}: failing ({source.consecutive_failures}): "
                    f"{source.last_error}"
                ))
            else:
                self.stdout.write(f"#{source.pk} {source.name}: ok, {new or 0} new signal(s)")
