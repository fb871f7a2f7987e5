"""Background jobs behind one small interface: `@job("name")` registers, `enqueue` schedules.

    @job("webhooks.deliver")
    def deliver(*, delivery_id: int) -> None: ...

    jobs.enqueue("webhooks.deliver", delivery_id=7)                 # after the commit
    jobs.enqueue("webhooks.deliver", delivery_id=7, countdown=60)   # and a minute later

Two backends, chosen by `settings.PEERWORK_JOBS` (docs/decisions/0008-jobs.md):

- `inprocess` (the embedded default): after the transaction commits, the job runs on a small
  thread pool in this process (`PEERWORK_JOBS_THREADS`, 0 = synchronously in the committing
  thread). Jobs with a countdown, and periodic jobs, wait on one scheduler thread. Nothing
  survives a restart; the periodic `webhooks.deliver_due` sweep picks up what was pending.
- `celery` (production, `REDIS_URL`): after the commit, a `peerwork.run_job` task goes to
  Redis (`countdown` becomes Celery's countdown) and a `celery -A peerwork worker` runs it.

Either way a job is enqueued only when its transaction commits (`transaction.on_commit`), so a
worker always finds the rows it is given, and a rolled-back change runs nothing. Jobs take
keyword arguments that survive JSON (ids, not objects) and must be safe to run twice.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger("peerwork.jobs")

JobFunction = Callable[..., Any]


@dataclass(frozen=True)
class Job:
    name: str
    function: JobFunction
    #: run every this many seconds (Celery beat or the in-process scheduler), if set.
    every: float | None = None


_REGISTRY: dict[str, Job] = {}


def job(name: str, *, every: float | None = None) -> Callable[[JobFunction], JobFunction]:
    """Register `function(**kwargs)` as the job `name` (optionally periodic)."""

    def decorator(function: JobFunction) -> JobFunction:
        if name in _REGISTRY and _REGISTRY[name].function is not function:
            raise RuntimeError(f"job {name!r} registered twice")
        _REGISTRY[name] = Job(name, function, every)
        return function

    return decorator


def registered() -> dict[str, Job]:
    return dict(_REGISTRY)


def backend_name() -> str:
    return str(getattr(settings, "PEERWORK_JOBS", "inprocess"))


def enqueue(name: str, /, *, countdown: float = 0, **kwargs: Any) -> None:
    """Run the job `name(**kwargs)` once the current transaction commits (now, outside one).

    `countdown` (seconds) delays it further; it is the only reserved keyword.
    """
    if name not in _REGISTRY:
        raise KeyError(f"no job {name!r}; register it with @jobs.job({name!r})")
    backend = backend_name()
    if backend == "celery":
        callback = lambda: _send_to_celery(name, kwargs, countdown)  # noqa: E731
    else:
        callback = lambda: _inprocess.submit(name, kwargs, countdown)  # noqa: E731
    callback.job_name = name  # type: ignore[attr-defined]  # what a test sees was scheduled
    transaction.on_commit(callback)


def run(name: str, kwargs: dict[str, Any]) -> Any:
    """Run one job now, in this thread: what every backend finally calls."""
    return _REGISTRY[name].function(**kwargs)


def _send_to_celery(name: str, kwargs: dict[str, Any], countdown: float) -> None:
    from peerwork.celery import run_job

    run_job.apply_async(args=[name, kwargs], countdown=countdown or None)


# ---- the in-process backend ----------------------------------------------------------------


class _InProcess:
    """A thread pool for due jobs and one scheduler thread for delayed and periodic ones."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._timers: list[tuple[float, int, str, dict[str, Any], bool]] = []
        self._counter = itertools.count()
        self._wakeup = threading.Condition(self._lock)
        self._scheduler: threading.Thread | None = None
        self._stopping = False
        self._busy = 0
        self._idle = threading.Condition(threading.Lock())

    def submit(self, name: str, kwargs: dict[str, Any], countdown: float = 0) -> None:
        if countdown > 0:
            self._schedule(time.monotonic() + countdown, name, kwargs)
            return
        threads = int(getattr(settings, "PEERWORK_JOBS_THREADS", 2))
        if threads <= 0:
            _run_logged(name, kwargs)
            return
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(threads, thread_name_prefix="peerwork-job")
                self._start_scheduler_locked(periodic=True)
            pool = self._pool
        with self._idle:
            self._busy += 1
        pool.submit(self._counted, name, kwargs)

    def _counted(self, name: str, kwargs: dict[str, Any]) -> None:
        try:
            _run_in_thread(name, kwargs)
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no due job is queued or running; False if `timeout` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def _schedule(self, due: float, name: str, kwargs: dict[str, Any]) -> None:
        with self._wakeup:
            heapq.heappush(self._timers, (due, next(self._counter), name, kwargs, False))
            self._start_scheduler_locked(periodic=False)
            self._wakeup.notify()

    def _start_scheduler_locked(self, *, periodic: bool) -> None:
        if periodic:
            now = time.monotonic()
            for registered_job in _REGISTRY.values():
                if registered_job.every:
                    due = now + registered_job.every
                    entry: tuple[float, int, str, dict[str, Any], bool] = (
                        due,
                        next(self._counter),
                        registered_job.name,
                        {},
                        True,
                    )
                    heapq.heappush(self._timers, entry)
        if self._scheduler is None or not self._scheduler.is_alive():
            self._stopping = False
            self._scheduler = threading.Thread(
                target=self._loop, name="peerwork-job-scheduler", daemon=True
            )
            self._scheduler.start()

    def _loop(self) -> None:
        while True:
            with self._wakeup:
                while not self._stopping and (
                    not self._timers or self._timers[0][0] > time.monotonic()
                ):
                    timeout = self._timers[0][0] - time.monotonic() if self._timers else None
                    self._wakeup.wait(timeout)
                if self._stopping:
                    return
                _due, _seq, name, kwargs, is_periodic = heapq.heappop(self._timers)
                every = _REGISTRY[name].every if is_periodic else None
                if every:
                    due = time.monotonic() + every
                    heapq.heappush(self._timers, (due, next(self._counter), name, {}, True))
            if int(getattr(settings, "PEERWORK_JOBS_THREADS", 2)) <= 0:
                _run_in_thread(name, kwargs)
                continue
            try:
                self.submit(name, kwargs, 0)
            except RuntimeError:
                # The interpreter is shutting down (a command that ends while a periodic job
                # comes due): the pool takes no more work, and the next process runs it.
                return

    def reset(self) -> None:
        """Stop the threads and forget waiting jobs (tests; a process that shuts down)."""
        with self._wakeup:
            self._stopping = True
            self._timers.clear()
            self._wakeup.notify_all()
            scheduler, pool = self._scheduler, self._pool
            self._scheduler, self._pool = None, None
        if scheduler is not None and scheduler is not threading.current_thread():
            scheduler.join(timeout=5)
        if pool is not None:
            pool.shutdown(wait=True)

    def waiting(self) -> int:
        with self._lock:
            return len(self._timers)


def _run_logged(name: str, kwargs: dict[str, Any]) -> None:
    try:
        run(name, kwargs)
    except Exception:
        logger.exception("job %s(%r) failed", name, kwargs)


def _run_in_thread(name: str, kwargs: dict[str, Any]) -> None:
    """A worker thread has its own database connections; close them when the job is done."""
    close_old_connections()
    try:
        _run_logged(name, kwargs)
    finally:
        connections.close_all()


_inprocess = _InProcess()


def reset() -> None:
    _inprocess.reset()


def wait_idle(timeout: float = 60) -> bool:
    """Wait for this process's due jobs to finish (a job runner's "run what is ready"); with
    Celery the workers run them elsewhere, so there is nothing here to wait for."""
    if backend_name() == "celery":
        return True
    return _inprocess.wait_idle(timeout)


__all__ = ["job", "enqueue", "run", "registered", "reset", "backend_name"]
