"""Serve peerwork with gunicorn: real worker processes, not Django's development server."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from peerwork.wsgi import application

        return application


def serve(*, host: str, port: int, workers: int, threads: int) -> int:
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    _Server(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": "-" if settings.DEBUG else None,
            "timeout": 60,
            "graceful_timeout": 10,
        }
    ).run()
    return 0
