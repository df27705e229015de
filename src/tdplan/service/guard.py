"""One ASGI middleware for every request (the bearer token, a JSON access log line), and the limits of table work.

The token is compared in constant time (:func:`hmac.compare_digest`); ``/health``
needs none, so that a load balancer can ask. A request without the right token is
answered 401 before any handler runs. The access log line is one JSON object per
request on the ``tdplan.service.access`` logger: time, method, path, status, bytes
sent and milliseconds taken (never the query string, which may carry data, nor the
token).

Table work (batches, scorecards, validation) runs in worker threads under :class:`Jobs`:
at most ``max_jobs`` at once, each stopped at its next check past the request's time
limit. Python cannot stop a thread from outside, so the work checks the time itself,
every 1,000 rows; a thread past its time keeps its place among the ``max_jobs`` until it
has stopped, so that no more than ``max_jobs`` threads ever work at once.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from tdplan.core.i18n import Message
from tdplan.service.config import ServiceConfig
from tdplan.service.problems import PROBLEM_JSON, ProblemError, language

__all__ = ["Guard", "Jobs", "TimeLimitReached"]

T = TypeVar("T")
Check = Callable[[], None]


class TimeLimitReached(Exception):  # noqa: N818  # not an error of the caller's: the signal to stop
    """Raised inside table work by its check, past the request's time limit: the work stops there."""


class Jobs:
    """Table work in worker threads: at most ``slots`` at once, each given a check that stops it past its deadline.

    ``run(work, timeout)`` calls ``work(check)`` in a thread; ``check()`` raises
    :class:`TimeLimitReached` once the time is up (the work calls it every 1,000 rows or
    so, and between its steps). A request waits for a free place within its own time
    limit; the answer past the limit is a 503 problem, ``timeout``, or ``busy`` when no
    place came free.
    """

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._lock = threading.Lock()
        self._running = 0

    @property
    def running(self) -> int:
        """The threads doing table work now, those past their time included until they stop."""
        with self._lock:
            return self._running

    def _take(self) -> bool:
        with self._lock:
            if self._running >= self.slots:
                return False
            self._running += 1
            return True

    def _give_back(self) -> None:
        with self._lock:
            self._running -= 1

    async def run(self, work: Callable[[Check], T], timeout: float) -> T:
        """``work(check)`` in a worker thread; a 503 problem unless it starts and ends within ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while not self._take():
            if time.monotonic() >= deadline:
                raise ProblemError(
                    503,
                    "busy",
                    Message("the service is busy with {count} tables: send the request again later", count=self.slots),
                    retry_after=max(1, round(timeout)),
                )
            await anyio.sleep(0.02)
        stop = threading.Event()

        def check() -> None:
            if stop.is_set() or time.monotonic() >= deadline:
                raise TimeLimitReached

        def job() -> T:
            try:
                return work(check)
            finally:
                self._give_back()

        with anyio.move_on_after(max(0.0, deadline - time.monotonic())):
            try:
                return await anyio.to_thread.run_sync(job, abandon_on_cancel=True)
            except TimeLimitReached:
                pass
        stop.set()  # the thread stops at its next check
        raise ProblemError(
            503,
            "timeout",
            Message("the request took more than {seconds} seconds: send less at a time", seconds=timeout),
        )


_access = logging.getLogger("tdplan.service.access")
_OPEN = frozenset({"/health"})


class Guard:
    """Checks the bearer token and writes the access log around an ASGI application."""

    def __init__(self, app: Any, config: ServiceConfig) -> None:
        self.app = app
        self.token = None if config.token is None else config.token.encode("utf-8")
        self.log = config.access_log

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.token is not None and scope["path"] not in _OPEN and not self._authorised(scope):
            await self._refuse(scope, send)
            return
        if not self.log:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent = {"status": 0, "bytes": 0}

        async def counting_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            elif message["type"] == "http.response.body":
                sent["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            record = {
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "client": (scope.get("client") or ["-"])[0],
                "method": scope.get("method"),
                "path": scope.get("path"),
                "status": sent["status"],
                "bytes": sent["bytes"],
                "ms": round((time.perf_counter() - started) * 1000, 3),
            }
            _access.info(json.dumps(record, ensure_ascii=False))

    def _authorised(self, scope: Any) -> bool:
        assert self.token is not None
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                scheme, _, given = value.partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token)
        return False

    async def _refuse(self, scope: Any, send: Any) -> None:
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope.get("headers", ())}
        query = dict(
            part.split("=", 1) for part in scope.get("query_string", b"").decode("latin-1").split("&") if "=" in part
        )
        lang = language(query.get("lang"), headers.get("accept-language"))
        problem = ProblemError(401, "unauthorized", Message("send the header Authorization: Bearer <token>"))
        body = json.dumps(problem.body(lang), ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b"Bearer"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
        if self.log:
            _access.info(
                json.dumps(
                    {
                        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": 401,
                        "bytes": len(body),
                        "ms": 0,
                    }
                )
            )
