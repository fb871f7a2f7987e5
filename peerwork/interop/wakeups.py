"""Wake-ups for the live streams across server processes: Redis pub/sub when REDIS_URL is set.

When an event's transaction commits, its id is published on its space's channel. Each open
stream of that space, in any `peerwork serve` process on any machine, is subscribed to the
channel and reads the log again at once instead of waiting for its next poll.

A message is only a hint to look: the stream still reads the events through the activity
selector, so what a viewer sees is decided there and nowhere else, and the message carries
nothing but an id. A lost message (Redis restarted, a publish that failed) costs at most one
safety poll (PEERWORK_LIVE_SAFETY_POLL seconds). Without Redis the streams poll as before.
See docs/decisions/0033-live-wakeups-and-several-nodes.md.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger("peerwork.live")

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def redis_url() -> str:
    return str(getattr(settings, "REDIS_URL", "") or "")


def channel(space_id: int) -> str:
    """A space's channel. Pub/sub channels belong to the whole Redis server, not to one of its
    database numbers, so the name carries the site's database name: two sites that share one
    Redis server do not wake each other's streams."""
    database = connections["default"].settings_dict["NAME"]
    return f"peerwork:live:{database}:space:{space_id}"


def _client(url: str) -> Any:
    import redis

    with _clients_lock:
        client = _clients.get(url)
        if client is None:
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
            _clients[url] = client
        return client


def schedule_wakeup(event: Any) -> None:
    """After-record hook (registered in interop's apps.py): once the transaction commits,
    publish the event's id on its space's channel. Nothing is published for a rollback."""
    url = redis_url()
    if not url or event.space_id is None:
        return
    space_id, event_id = event.space_id, event.pk
    transaction.on_commit(lambda: publish(url, space_id, event_id))


def publish(url: str, space_id: int, event_id: int) -> bool:
    """Publish one wake-up. A failure is logged, never raised: the change is already saved,
    and the streams still find it at their next safety poll."""
    try:
        _client(url).publish(channel(space_id), str(event_id))
    except Exception as error:  # noqa: BLE001  (redis errors, refused connections, timeouts)
        logger.warning(
            "live: cannot publish event %s to Redis (%s); open streams see it at their next poll",
            event_id,
            error,
        )
        return False
    return True


class Waiter(Protocol):
    #: seconds between reads of the log when no wake-up comes
    interval: float

    def wait(self, timeout: float) -> bool: ...

    def close(self) -> None: ...


class Sleeper:
    """Polling without Redis: wait the whole timeout, every time."""

    def __init__(self, interval: float) -> None:
        self.interval = interval

    def wait(self, timeout: float) -> bool:
        if timeout > 0:
            time.sleep(timeout)
        return False

    def close(self) -> None:
        pass


class Subscription:
    """One stream's subscription to its space's channel.

    `wait(timeout)` returns True as soon as a message comes (having read every message already
    waiting, so a burst of events costs one read of the log), False when the timeout passes.
    If the connection breaks, the subscription falls back to sleeping (polling) for the rest of
    the stream; the next stream tries Redis again.
    """

    def __init__(self, pubsub: Any, interval: float, fallback_interval: float) -> None:
        self._pubsub: Any | None = pubsub
        self.interval = interval
        self._fallback_interval = fallback_interval

    def wait(self, timeout: float) -> bool:
        if self._pubsub is None:
            return Sleeper(self.interval).wait(timeout)
        try:
            message = self._pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
            if message is None:
                return False
            while self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0):
                pass
            return True
        except Exception as error:  # noqa: BLE001
            logger.warning("live: lost the Redis subscription (%s); polling instead", error)
            self.close()
            self.interval = self._fallback_interval
            return False

    def close(self) -> None:
        if self._pubsub is not None:
            try:
                self._pubsub.close()
            except Exception:  # noqa: BLE001, S110  (closing a broken connection)
                pass
            self._pubsub = None


def subscribe(space_id: int, *, poll: float, safety_poll: float) -> Waiter:
    """What a stream of this space waits on between reads of the log.

    With Redis: a subscription, confirmed before this returns, so an event committed after
    the stream's next read of the log cannot slip between that read and the subscription.
    Without Redis, or when it cannot be reached: a Sleeper that polls every `poll` seconds.
    """
    url = redis_url()
    if not url:
        return Sleeper(poll)
    pubsub = None
    try:
        pubsub = _client(url).pubsub()
        pubsub.subscribe(channel(space_id))
        deadline = time.monotonic() + 2
        while True:
            message = pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
            if message is not None and message.get("type") == "subscribe":
                break
            if time.monotonic() >= deadline:
                raise TimeoutError("no subscription confirmation within 2 s")
    except Exception as error:  # noqa: BLE001
        logger.warning("live: cannot subscribe in Redis (%s); polling instead", error)
        if pubsub is not None:
            Subscription(pubsub, poll, poll).close()
        return Sleeper(poll)
    return Subscription(pubsub, safety_poll, poll)
