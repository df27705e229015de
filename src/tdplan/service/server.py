"""Running the service: :func:`serve` starts uvicorn with the application of a :class:`ServiceConfig`.

Workers are processes; each builds the same application from the configuration,
which :func:`serve` passes to them in the environment (:data:`~tdplan.service.config.ENVIRONMENT`).
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any

from tdplan.core.errors import Hint, InputTypeError, ListenError, PlanFileError, os_reason
from tdplan.service import create_app, require_serve
from tdplan.service.config import ENVIRONMENT, PlanRegistry, ServiceConfig

__all__ = ["app_from_environment", "check_listen", "read_token", "serve"]


def read_token(path: str) -> str:
    """The bearer token in a file (its first line, without spaces around it); PlanFileError if unusable."""
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else str(error)
        raise PlanFileError("{path}: cannot read the token file: {reason}", path=path, reason=reason) from None
    token = text.strip().splitlines()[0].strip() if text.strip() else ""
    if len(token) < 16:
        raise InputTypeError("{path}: the token must be at least 16 characters long", path=path)
    return token


def app_from_environment() -> Any:
    """The application for a uvicorn worker, from the configuration :func:`serve` put in the environment."""
    _logging()
    return create_app(ServiceConfig.from_environ())


def _logging() -> None:
    """Access lines (JSON) and service messages on standard error, one a line."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("tdplan.service.access", "tdplan.service"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


def check_listen(host: str, port: int) -> None:
    """Bind ``host:port`` as uvicorn will (and let it go); :class:`~tdplan.ListenError` in tdplan's words if it cannot.

    A port in use, one below 1024 without the rights, an address this machine has not, a
    host name that does not resolve: each is said with what to do, instead of uvicorn's
    English log line. (Another program could still take the port in the instant between
    this check and uvicorn's own bind; uvicorn then says so in its words and exits 1.)
    """
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)  # as uvicorn chooses
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
    except socket.gaierror:
        raise ListenError(
            "cannot listen on {address}: no such host; give an address, such as {fix}",
            address=address,
            fix=Hint("host", ("127.0.0.1", "0.0.0.0")),
        ) from None
    except (OSError, OverflowError, UnicodeError) as error:  # OverflowError: a port past 65535
        number = getattr(error, "errno", None)
        if number == errno.EADDRINUSE:
            raise ListenError(
                "cannot listen on {address}: another program already uses that port; stop it, or give {fix}",
                address=address,
                fix=Hint("port", (port + 1 if port < 65535 else 8000,)),
            ) from None
        if number in (errno.EACCES, errno.EPERM):
            raise ListenError(
                "cannot listen on {address}: permission denied (a port below 1024 needs an administrator); give {fix}",
                address=address,
                fix=Hint("port", (8000,)),
            ) from None
        if number == errno.EADDRNOTAVAIL:
            raise ListenError(
                "cannot listen on {address}: this machine has no such address; give {fix}",
                address=address,
                fix=Hint("host", ("127.0.0.1", "0.0.0.0")),
            ) from None
        reason = os_reason(error) if isinstance(error, OSError) else str(error)
        raise ListenError("cannot listen on {address}: {reason}", address=address, reason=reason) from None
    finally:
        listener.close()


def serve(config: ServiceConfig, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the tdplan API with uvicorn until stopped (Ctrl+C); :class:`~tdplan.ListenError` if it cannot listen."""
    require_serve()
    import uvicorn

    if workers < 1:
        raise InputTypeError("--workers must be 1 or more, not {workers}", workers=workers)
    PlanRegistry(config.plans_dir)  # fail now, once, on an unusable folder rather than in every worker
    check_listen(host, port)
    os.environ[ENVIRONMENT] = config.to_json()
    _logging()
    uvicorn.run(
        "tdplan.service.server:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
    )
