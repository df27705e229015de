"""One ASGI middleware for every request: the bearer token, and a JSON access log line.

The token is compared in constant time (:func:`hmac.compare_digest`); ``/health``
needs none, so that a load balancer can ask. A request without the right token is
answered 401 before any handler runs. The access log line is one JSON object per
request on the ``tdplan.service.access`` logger: time, method, path, status, bytes
sent and milliseconds taken (never the query string, which may carry data, nor the
token).
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from typing import Any

from tdplan.core.i18n import Message
from tdplan.service.config import ServiceConfig
from tdplan.service.problems import PROBLEM_JSON, ProblemError, language

__all__ = ["Guard"]

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
