"""The Celery app: `celery -A peerwork worker -B` runs peerwork's jobs from Redis.

There is one task, `peerwork.run_job`, which calls a job registered with
`peerwork.core.jobs.job`; code never defines Celery tasks of its own, so the in-process
backend and Celery run exactly the same functions. Periodic jobs (`@job(..., every=60)`)
become the beat schedule. Settings come from Django's (`CELERY_*`, broker at `REDIS_URL`).
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")

app = Celery("peerwork")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    # A job is acknowledged after it ran, so a worker that dies mid-job leaves it to another;
    # jobs are written to be safe to run twice.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
)


@app.task(name="peerwork.run_job")
def run_job(name: str, kwargs: dict[str, Any]) -> None:
    from django.db import close_old_connections

    from peerwork.core import jobs

    close_old_connections()
    try:
        jobs.run(name, kwargs)
    finally:
        close_old_connections()


@app.on_after_finalize.connect
def _beat_schedule(sender: Celery, **_kwargs: Any) -> None:
    import django

    django.setup()
    from peerwork.core import jobs

    for registered in jobs.registered().values():
        if registered.every:
            sender.add_periodic_task(
                registered.every, run_job.s(registered.name, {}), name=registered.name
            )
