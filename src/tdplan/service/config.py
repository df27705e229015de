"""What a service is configured with, and the plans it serves, addressed by id.

:class:`ServiceConfig` holds every setting of ``tdplan serve``; it reads itself from and
writes itself to environment variables, so that each uvicorn worker process builds the
same application. :class:`PlanRegistry` holds the plans: the shipped ones and those in
the configured folder, loaded once at start-up. A request names a plan by its id only:
no path from a request ever reaches the file system.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from tdplan.core.errors import InputTypeError, PlanFileError, TdplanError, UnknownPlanError
from tdplan.core.model import Plan
from tdplan.planfiles.loading import DEFAULT_PLAN, available_plans, load_plan

__all__ = ["ENVIRONMENT", "PlanRegistry", "ServiceConfig"]

ENVIRONMENT = "TDPLAN_SERVICE"
"""The environment variable that carries a :class:`ServiceConfig` (as JSON) to worker processes."""

_log = logging.getLogger("tdplan.service")


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise InputTypeError("{name} must be a number above 0, not {value!r}", name=attribute.name, value=value)


@attrs.frozen
class ServiceConfig:
    """The settings of a tdplan service; every limit has a safe default.

    - ``plans_dir``: a folder of ``.toml`` and ``.json`` plan files served beside the
      shipped plans (each by the id written in it); None for the shipped plans only.
    - ``token``: a bearer token every request but ``/health`` must carry; None for none.
    - ``cors_origins``: the origins a browser may call from; empty for no CORS at all.
    - ``max_body_bytes``, ``max_batch``, ``timeout``: the largest request body, the most
      values in one batch, and the seconds a request may take before a 503 answers it.
    - ``max_jobs``: the most table requests worked on at once in each worker process
      (:class:`~tdplan.service.guard.Jobs`); others wait, within their timeout.
    - ``access_log``: one JSON line per request on the ``tdplan.service.access`` logger.

    >>> ServiceConfig().max_batch
    100000
    >>> ServiceConfig.from_environ({"TDPLAN_SERVICE": ServiceConfig(max_batch=10).to_json()}).max_batch
    10
    """

    plans_dir: str | None = None
    token: str | None = attrs.field(default=None, repr=False)
    cors_origins: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    max_body_bytes: int = attrs.field(default=10 * 1024 * 1024, validator=_positive)
    max_batch: int = attrs.field(default=100_000, validator=_positive)
    timeout: float = attrs.field(default=30.0, validator=_positive)
    max_jobs: int = attrs.field(default=4, validator=_positive)
    access_log: bool = True

    def to_json(self) -> str:
        """The settings as JSON, for :data:`ENVIRONMENT`."""
        return json.dumps(attrs.asdict(self))

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> ServiceConfig:
        """The settings from :data:`ENVIRONMENT`, else the defaults, with ``TDPLAN_TOKEN`` as the token if set."""
        environ = os.environ if environ is None else environ
        text = environ.get(ENVIRONMENT)
        config = cls(**json.loads(text)) if text else cls()
        token = environ.get("TDPLAN_TOKEN")
        if config.token is None and token:
            config = attrs.evolve(config, token=token.strip())
        return config


class PlanRegistry:
    """The plans a service answers for, by id: the shipped plans, then each valid plan file of a folder.

    A file that is not a valid plan, or whose id is already taken, is left out and
    logged at start-up; the service still starts.
    """

    def __init__(self, plans_dir: str | os.PathLike[str] | None = None) -> None:
        self.plans: dict[str, Plan] = {plan_id: load_plan(plan_id) for plan_id in available_plans()}
        self.shipped = frozenset(self.plans)
        self.skipped: list[str] = []
        if plans_dir is None:
            return
        folder = Path(plans_dir)
        if not folder.is_dir():
            raise PlanFileError("{folder}: not a folder of plan files", folder=str(folder))
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in (".toml", ".json") or not path.is_file():
                continue
            try:
                plan = load_plan(path)
            except TdplanError as error:
                self.skipped.append(path.name)
                _log.warning("plan file left out: %s: %s", path.name, " ".join(str(error).split()))
                continue
            if plan.id in self.plans:
                self.skipped.append(path.name)
                _log.warning("plan file left out: %s: the id %r is already served", path.name, plan.id)
                continue
            self.plans[plan.id] = plan

    def get(self, plan_id: str) -> Plan:
        """The plan with this id; :class:`~tdplan.UnknownPlanError` if the service has none."""
        plan = self.plans.get(plan_id)
        if plan is None:
            raise UnknownPlanError(
                "no plan {plan_id!r}: this service has {valid}", plan_id=plan_id, valid=", ".join(self.plans)
            )
        return plan

    @property
    def default(self) -> Plan:
        """The shipped Tam Đường plan."""
        return self.plans[DEFAULT_PLAN]
