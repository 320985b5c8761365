"""The Livedesk site and the newsroom's side of it.

The Celery app is imported here so that ``@shared_task`` binds to it whenever
Django starts (web, worker or a management command).
"""

from __future__ import annotations

from newsroom.celery import app as celery_app

__all__ = ["celery_app"]
