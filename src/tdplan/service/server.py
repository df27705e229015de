"""Running the service: :func:`serve` starts uvicorn with the application of a :class:`ServiceConfig`.

Workers are processes; each builds the same application from the configuration,
which :func:`serve` passes to them in the environment (:data:`~tdplan.service.config.ENVIRONMENT`).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from tdplan.core.errors import InputTypeError, PlanFileError, os_reason
from tdplan.service import create_app, require_serve
from tdplan.service.config import ENVIRONMENT, PlanRegistry, ServiceConfig

__all__ = ["app_from_environment", "read_token", "serve"]


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


def serve(config: ServiceConfig, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the tdplan API with uvicorn until stopped (Ctrl+C)."""
    require_serve()
    import uvicorn

    if workers < 1:
        raise InputTypeError("--workers must be 1 or more, not {workers}", workers=workers)
    PlanRegistry(config.plans_dir)  # fail now, once, on an unusable folder rather than in every worker
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
