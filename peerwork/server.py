"""Serve peerwork with gunicorn: real worker processes, not Django's development server."""

from __future__ import annotations

import json
from typing import Any

from gunicorn import util
from gunicorn.app.base import BaseApplication

#: The longest request line gunicorn reads (its ceiling); longer ones get a 414 problem.
LIMIT_REQUEST_LINE = 8190

#: gunicorn's own refusals (requests Django never sees) -> the problem type that explains them.
_GUNICORN_PROBLEMS = {
    400: "malformed-request",
    403: "forbidden",
    413: "too-large",
    414: "uri-too-long",
    431: "headers-too-large",
}


def write_problem(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """Answer what gunicorn refuses before Django runs as problem+json, like every other error.

    Clients of the API then read one error format, whatever layer refused the request.
    """
    from peerwork.core.errors import PROBLEM_TYPES

    slug = _GUNICORN_PROBLEMS.get(status_int, "server-error" if status_int >= 500 else "")
    slug = slug or "malformed-request"
    body = json.dumps(
        {
            "type": f"/problems/{slug}",
            "title": str(PROBLEM_TYPES[slug][1]),
            "status": status_int,
            "detail": f"{mesg or reason}. {PROBLEM_TYPES[slug][2]}",
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/problem+json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin1")
    util.write_nonblock(sock, head + body)


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # a setting this gunicorn release does not know is moot
                self.cfg.set(key, value)

    def load(self) -> Any:
        from peerwork.wsgi import application

        return application


def _quiesce() -> None:
    """End what this process started before gunicorn forks its workers from it.

    `peerwork demo` loads its data here and the saves enqueue jobs (indexing, authorship),
    which run on this process's job threads with their own SQLite connections. Workers forked
    while those ran failed every write with "database is locked" after the 30 s busy timeout,
    though another process could write at that moment; SQLite's documentation says never to
    carry a connection across a fork. The exact state the workers inherited was not pinned
    down; ending the jobs and closing every connection first made it go away. The workers run
    their own job threads."""
    from django.db import connections

    from peerwork.core import jobs

    jobs.wait_idle(timeout=600)
    jobs.reset()
    connections.close_all()


def serve(*, host: str, port: int, workers: int, threads: int) -> int:
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    _quiesce()
    # gunicorn has no hook for its error page; its workers call util.write_error, and they
    # fork from this process, so replacing it here reaches every one of them.
    util.write_error = write_problem
    _Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": "-" if settings.DEBUG else None,
            "timeout": 60,
            "graceful_timeout": 10,
            "limit_request_line": LIMIT_REQUEST_LINE,
            # gunicorn 25.1+ opens a control socket at one path per user ($HOME/.gunicorn), which
            # two sites served by one account would share; peerwork is stopped by its signals.
            "control_socket_disable": True,
        }
    ).run()
    return 0
