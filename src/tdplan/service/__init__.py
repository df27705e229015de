"""tdplan as a web service: a JSON API with an OpenAPI document, for software in any language.

``tdplan serve`` runs it; :func:`create_app` gives the ASGI application to mount
elsewhere. It needs the ``serve`` extra (``pip install 'tdplan[serve]'``: Litestar and
uvicorn), imported only when an application is built. See ``docs/service.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tdplan.core.errors import MissingDependencyError
from tdplan.service.config import PlanRegistry, ServiceConfig

if TYPE_CHECKING:
    from litestar import Litestar

__all__ = ["PlanRegistry", "ServiceConfig", "create_app", "require_serve"]


def require_serve() -> None:
    """Check that the ``serve`` extra is installed; :class:`~tdplan.MissingDependencyError` says how if not."""
    try:
        import litestar  # noqa: F401
        import msgspec  # noqa: F401
        import numpy  # noqa: F401
        import pandas  # type: ignore[import-untyped]  # noqa: F401  # no stubs; only its presence matters
        import swagger_ui_bundle  # type: ignore[import-untyped]  # noqa: F401  # the /docs page's files
        import uvicorn  # noqa: F401
    except ImportError as error:
        raise MissingDependencyError(
            "the web service needs Litestar, uvicorn, NumPy, pandas and Swagger UI ({missing} is not installed): "
            "pip install 'tdplan[serve]'",
            missing=error.name or "a package",
        ) from error


def create_app(config: ServiceConfig | None = None, *, plans: PlanRegistry | None = None) -> Litestar:
    """The tdplan web application (ASGI): see :func:`tdplan.service.app.create_app`.

    >>> app = create_app(ServiceConfig(access_log=False))
    >>> {"/openapi.json", "/v1/plans/{plan_id:str}/assess"} <= {route.path for route in app.routes}
    True
    """
    require_serve()
    from tdplan.service.app import create_app as build

    return build(config, plans=plans)
