"""Errors as RFC 9457 problem details, in the request's language; the language of a request.

Every error a request can cause is answered with ``application/problem+json``: ``type``
(``urn:tdplan:error:<code>``), ``title``, ``status``, ``detail`` (the message in the
request's language), tdplan's ``code``, and where there are several problems (rows of a
table, fields of a request) a ``problems`` list. Bad input is a 4xx; an error tdplan
did not foresee is a 500 that says so and nothing more: no stack trace ever leaves
the service.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from tdplan.core.errors import (
    Hint,
    MissingDependencyError,
    TdplanError,
    UnknownAgencyError,
    UnknownGoalError,
    UnknownIndicatorError,
    UnknownPlanError,
)
from tdplan.core.i18n import N_, Lang, Message, either, translate

__all__ = ["PROBLEM_JSON", "WEB_API", "ProblemError", "WebAPI", "language", "log_unexpected", "problem_of", "status_of"]

PROBLEM_JSON = "application/problem+json"
"""The media type of an error's answer."""

_log = logging.getLogger("tdplan.service")

_TITLES: dict[int, str] = {
    400: N_("The request cannot be used"),
    401: N_("A valid bearer token is needed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    406: N_("No acceptable format"),
    413: N_("The request is too large"),
    415: N_("Unsupported media type"),
    422: N_("The request cannot be processed"),
    500: N_("Internal error"),
    503: N_("The request took too long"),
}


class ProblemError(Exception):
    """An answer of problem details: status, code, the detail as a message, and any extra members."""

    def __init__(self, status: int, code: str, detail: Message | _ErrorMessage, **extra: Any) -> None:
        super().__init__(code)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra

    def body(self, lang: Lang) -> dict[str, Any]:
        """The problem details document in ``lang``."""
        title = _TITLES.get(self.status, _TITLES[400 if self.status < 500 else 500])
        return {
            "type": f"urn:tdplan:error:{self.code}",
            "title": translate(title, lang),
            "status": self.status,
            "detail": self.detail.text(lang),
            "code": self.code,
            **self.extra,
        }


class WebAPI:
    """The web API as a :class:`~tdplan.core.i18n.Surface`: an error's hint is the JSON field to send.

    >>> from tdplan.core.errors import Hint
    >>> WEB_API.spell(Hint("unit", ("percent", "permille")), "en")
    '"unit": "percent" or "unit": "permille"'
    >>> WEB_API.spell(Hint("disaggregation", ({"residence": "rural"},)), "vi")
    '"disaggregation": {"residence": "rural"}'
    """

    def spell(self, value: Any, lang: str) -> str | None:
        """A hint as the JSON to send; None for anything else."""
        if not isinstance(value, Hint):
            return None
        if value.argument == "series":
            return translate(N_("with the track endpoint"), lang)
        if value.argument in ("disaggregation", "groups"):
            return either(
                [f'"disaggregation": {json.dumps(dict(item), ensure_ascii=False)}' for item in value.groups], lang
            )
        return either([f'"{value.argument}": {json.dumps(item, ensure_ascii=False)}' for item in value.values], lang)


WEB_API = WebAPI()
"""The surface every error of the service is worded for."""


class _ErrorMessage:
    """A TdplanError's message, to be shown in the request's language, worded for the web API."""

    def __init__(self, error: TdplanError) -> None:
        self.error = error

    def text(self, lang: str = "en") -> str:
        return self.error.message(lang, WEB_API)


def status_of(error: TdplanError) -> int:
    """The HTTP status of a tdplan error: 404 for an unknown plan, indicator, goal or agency; 500 for a
    missing dependency (the service's fault); else 422: the request had the right shape (400 is for
    requests that do not match the schema) but its content cannot be used."""
    if isinstance(error, UnknownPlanError | UnknownIndicatorError | UnknownGoalError | UnknownAgencyError):
        return 404
    if isinstance(error, MissingDependencyError):
        return 500
    return 422


def problem_of(error: TdplanError, **extra: Any) -> ProblemError:
    """The problem details of a tdplan error: its code, and its message in the request's language."""
    return ProblemError(status_of(error), error.code, _ErrorMessage(error), **extra)


def language(query: str | None, accept_language: str | None) -> Lang:
    """The language of an answer: the ``lang`` parameter, else ``Accept-Language``'s first of vi and en, else vi.

    >>> language(None, "en-GB,en;q=0.9,vi;q=0.8"), language("vi", "en"), language(None, "fr, en;q=0.5")
    ('en', 'vi', 'en')
    >>> language(None, None), language(None, "vi-VN, en;q=0.1")
    ('vi', 'vi')
    """
    if query in ("vi", "en"):
        return "en" if query == "en" else "vi"
    if not accept_language:
        return "vi"
    for tag in by_quality(accept_language, 20):
        primary = tag.lower().split("-")[0]
        if primary in ("vi", "en"):
            return "en" if primary == "en" else "vi"
    return "vi"


def by_quality(header: str, most: int) -> list[str]:
    """The values of an ``Accept``-style header, best first (by ``q``, then by place), without those of ``q=0``.

    Only the first ``most`` values are read: a header is the client's to make long.

    >>> by_quality("text/csv;q=0.5, text/markdown, */*;q=0", 30)
    ['text/markdown', 'text/csv']
    """
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:most]):
        value, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, number = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if quality > 0 and value.strip():
            ranked.append((-quality, position, value.strip()))
    return [value for _, _, value in sorted(ranked)]


def log_unexpected(error: BaseException, where: Mapping[str, Any]) -> None:
    """Log an error no handler foresaw, with its traceback, for the operator (never for the client)."""
    _log.error("unexpected error at %s %s", where.get("method"), where.get("path"), exc_info=error)
