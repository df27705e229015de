"""The web application: Litestar handlers over :mod:`tdplan.service.answers`, built by :func:`create_app`.

Litestar writes the OpenAPI 3.1 document from the handlers' types (served at
``/openapi.json``, with a page for people at ``/docs``). Cheap endpoints run on the
event loop; table work runs in a worker thread under the request timeout.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from litestar import Litestar, Request, Response, get, post
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Contact
from litestar.params import Body, Parameter
from litestar.static_files import create_static_files_router

from tdplan.core.errors import TdplanError
from tdplan.core.i18n import Lang, Message
from tdplan.core.version import version
from tdplan.service import answers
from tdplan.service import schemas as s
from tdplan.service.config import PlanRegistry, ServiceConfig
from tdplan.service.guard import Check, Guard, Jobs
from tdplan.service.problems import PROBLEM_JSON, ProblemError, language, log_unexpected, problem_of
from tdplan.service.scorecards import offered_formats, scorecard_response
from tdplan.service.validation import check_parameters, field_problems, handler_parameters, malformed_json

__all__ = ["API_VERSION", "DOCS_ASSETS", "create_app"]

API_VERSION = "1"
"""The version of the web API: its paths start with ``/v1``."""

DOCS_ASSETS = "/docs/assets"
"""Where the service serves Swagger UI's scripts, styles and icon (from the ``swagger-ui-bundle-v2`` package)."""

T = TypeVar("T")
JSON = Annotated[T, Body(media_type=RequestEncodingType.JSON)]
LangParameter = Annotated[
    Literal["vi", "en"] | None,
    Parameter(description="The language of the answer's sentences; default: Accept-Language, else vi."),
]
PlanId = Annotated[str, Parameter(description="A plan's id, as /v1/plans lists them.", max_length=200)]


def _problems(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem details answers a handler may give, for the OpenAPI document."""
    return {
        status: ResponseSpec(
            data_container=s.ProblemOut,
            media_type=PROBLEM_JSON,
            description=_DESCRIPTIONS[status],
            generate_examples=False,
        )
        for status in statuses
    }


_DESCRIPTIONS = {
    400: "The request cannot be used: tdplan's code and the reason (problem details).",
    401: "A bearer token is needed, or the one given is wrong.",
    404: "No such plan, indicator or path.",
    406: "No report format matches Accept.",
    413: "The body, or the batch, is larger than the service accepts.",
    422: "The request has the right shape but its content cannot be used (an unreadable value, a year outside "
    "the plan): tdplan's code and the reason; with strict=true, every row problem of a table.",
    500: "An error the service did not foresee; it is in the service's log.",
    503: "The request took longer than the service's timeout.",
}
_ALWAYS = (400, 401, 404, 413, 422, 500)
COMMON = _problems(*_ALWAYS)
TABLES = _problems(*_ALWAYS, 406, 503)
SLOW = _problems(*_ALWAYS, 503)


def _lang(request: Request[Any, Any, Any], asked: str | None = None) -> Lang:
    """The answer's language: ``asked`` (the parsed ``lang`` parameter), else the query's, else Accept-Language.

    Read from the raw headers: cheaper than building Litestar's header object for one value.
    """
    if asked is None and request.scope.get("query_string"):
        asked = request.query_params.get("lang")
    accept = None
    for name, value in request.scope["headers"]:
        if name == b"accept-language":
            accept = value.decode("latin-1")
            break
    return language(asked, accept)


def _state(request: Request[Any, Any, Any]) -> tuple[PlanRegistry, ServiceConfig]:
    return request.app.state["plans"], request.app.state["config"]


async def _in_thread(request: Request[Any, Any, Any], work: Callable[[Check], T]) -> T:
    """Run ``work(check)`` in a worker thread under the service's :class:`~tdplan.service.guard.Jobs`; a 503 problem
    past the configured timeout, when the work also stops (at its next ``check()``)."""
    _, config = _state(request)
    jobs: Jobs = request.app.state["jobs"]
    return await jobs.run(work, config.timeout)


@get("/health", tags=["service"], summary="Whether the service is up", sync_to_thread=False)
def health() -> s.Health:
    """Always ``{"status": "ok"}`` while the service runs; needs no token."""
    return s.Health(status="ok")


@get(
    "/version",
    responses=COMMON,
    tags=["service"],
    summary="Versions of tdplan, the API, the report schema and the plan format",
    sync_to_thread=False,
)
def version_info() -> s.VersionOut:
    """The versions this service speaks."""
    from tdplan.planfiles.format import FORMAT_VERSION
    from tdplan.reports.json_format import REPORT_SCHEMA_VERSION

    return s.VersionOut(
        tdplan=version(), api=API_VERSION, report_schema=REPORT_SCHEMA_VERSION, plan_format=FORMAT_VERSION
    )


@get("/openapi.json", include_in_schema=False, sync_to_thread=False, media_type="application/json")
def openapi_document(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The OpenAPI 3.1 document, generated from the handlers' types."""
    return _openapi(request.app)


@functools.cache
def _openapi_of(app_id: int, app: Litestar) -> dict[str, Any]:
    document = app.openapi_schema.to_schema()
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        config = getattr(getattr(s, name, None), "__struct_config__", None)
        if getattr(config, "forbid_unknown_fields", False):
            schema["additionalProperties"] = False  # a request's unknown field is a 400: the document says so
    return document


def _openapi(app: Litestar) -> dict[str, Any]:
    return _openapi_of(id(app), app)


@get("/v1/plans", responses=COMMON, tags=["plans"], summary="The plans this service answers for", sync_to_thread=False)
def list_plans(request: Request[Any, Any, Any]) -> list[s.PlanSummary]:
    """The shipped plans and those of the configured folder, by id."""
    plans, _ = _state(request)
    return [answers.plan_summary(plan, plan_id in plans.shipped) for plan_id, plan in plans.plans.items()]


@get(
    "/v1/plans/{plan_id:str}",
    responses=COMMON,
    tags=["plans"],
    summary="One plan: goals, indicators, targets, agencies",
    sync_to_thread=False,
)
def one_plan(request: Request[Any, Any, Any], plan_id: PlanId) -> s.PlanOut:
    """The plan in full, every text in Vietnamese and English."""
    plans, _ = _state(request)
    return answers.plan_out(plans.get(plan_id), plan_id in plans.shipped)


@post(
    "/v1/plans/{plan_id:str}/assess",
    responses=COMMON,
    tags=["assess"],
    summary="Assess one value",
    status_code=200,
    sync_to_thread=False,
)
def assess(
    request: Request[Any, Any, Any], plan_id: PlanId, data: JSON[s.AssessRequest], lang: LangParameter = None
) -> s.AssessmentOut:
    """Whether one measured value meets its target for that year, and by how much: ``plan.assess``."""
    plans, _ = _state(request)
    return answers.assess_one(plans.get(plan_id), data, _lang(request, lang))


@post(
    "/v1/plans/{plan_id:str}/assess/batch",
    responses=SLOW,
    tags=["assess"],
    summary="Assess up to 100,000 values at once",
    status_code=200,
)
async def assess_batch(
    request: Request[Any, Any, Any], plan_id: PlanId, data: JSON[s.BatchRequest], lang: LangParameter = None
) -> s.BatchResponse:
    """Each value's status, decided with NumPy where exact, one by one elsewhere: the same as ``plan.assess``."""
    plans, config = _state(request)
    plan = plans.get(plan_id)
    if len(data.values) > config.max_batch:
        raise ProblemError(
            413,
            "batch_size",
            Message(
                "{count} values in one batch: send at most {limit} at a time",
                count=len(data.values),
                limit=config.max_batch,
            ),
        )
    chosen = _lang(request)
    return await _in_thread(request, lambda check: answers.assess_batch(plan, data, chosen, check))


_FORMAT = Annotated[
    str | None,
    Parameter(
        description=f"The report's format, instead of the Accept header's choice: {', '.join(offered_formats())}.",
        pattern=f"^({'|'.join(offered_formats())})$",
    ),
]
_STRICT = Annotated[bool, Parameter(description="Answer 422 with the row problems when any row cannot be assessed.")]
_BY = Annotated[
    Literal["goal", "agency", "area", "year"] | None,
    Parameter(description="The roll-up shown; default: by goal and by lead office."),
]
_REPORT = (
    "A report in the format Accept asks for: JSON (the report schema, /v1/schemas/report), HTML, CSV, Markdown, xlsx."
)


@post(
    "/v1/plans/{plan_id:str}/scorecard",
    responses=TABLES,
    tags=["tables"],
    summary="A scorecard of JSON rows",
    status_code=200,
    response_description=_REPORT,
)
async def scorecard(
    request: Request[Any, Any, Any],
    plan_id: PlanId,
    data: JSON[s.ScorecardRequest],
    lang: LangParameter = None,
    format: _FORMAT = None,
    strict: _STRICT = False,
) -> Response[Any]:
    """Every row assessed, rolled up by goal and lead office, as a report."""
    plans, _ = _state(request)
    plan = plans.get(plan_id)
    chosen = _lang(request)
    accept = request.headers.get("accept")
    rows = [dict(row) for row in data.rows]
    by, source = data.by, data.source
    return await _in_thread(
        request, lambda check: scorecard_response(plan, rows, chosen, by, source, accept, format, strict, check)
    )


@post(
    "/v1/plans/{plan_id:str}/scorecard/upload",
    responses=TABLES,
    tags=["tables"],
    summary="A scorecard of an uploaded table",
    status_code=200,
    response_description=_REPORT,
)
async def scorecard_upload(
    request: Request[Any, Any, Any],
    plan_id: PlanId,
    data: Annotated[s.UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    lang: LangParameter = None,
    format: _FORMAT = None,
    strict: _STRICT = False,
    by: _BY = None,
) -> Response[Any]:
    """A CSV file (UTF-8, as Excel saves "CSV UTF-8") or an Excel workbook (.xlsx, .xls), in the field ``file``."""
    plans, _ = _state(request)
    plan = plans.get(plan_id)
    chosen = _lang(request)
    accept = request.headers.get("accept")
    content = await data.file.read()
    name = data.file.filename or "table.csv"
    return await _in_thread(
        request,
        lambda check: scorecard_response(plan, (name, content), chosen, by, name, accept, format, strict, check),
    )


@get(
    "/v1/schemas/report",
    responses=COMMON,
    tags=["tables"],
    summary="The JSON Schema of JSON reports",
    sync_to_thread=False,
    media_type="application/schema+json",
)
def report_schema() -> Response[dict[str, Any]]:
    """The JSON Schema every JSON scorecard follows (``docs/report-json.md``)."""
    from tdplan.reports.json_format import report_schema as schema

    return Response(json.loads(schema()), media_type="application/schema+json")


@post(
    "/v1/plans/{plan_id:str}/track",
    responses=COMMON,
    tags=["progress"],
    summary="Track a series toward the milestones",
    status_code=200,
    sync_to_thread=False,
)
def track(
    request: Request[Any, Any, Any], plan_id: PlanId, data: JSON[s.TrackRequest], lang: LangParameter = None
) -> s.TrackResponse:
    """Each measurement's verdict, the trajectory toward each milestone, and indicator 18's yearly falls."""
    plans, _ = _state(request)
    return answers.track_series(plans.get(plan_id), data, _lang(request))


@post(
    "/v1/plans/{plan_id:str}/aggregate",
    responses=COMMON,
    tags=["progress"],
    summary="Sum commune counts into one figure",
    status_code=200,
    sync_to_thread=False,
)
def aggregate(
    request: Request[Any, Any, Any], plan_id: PlanId, data: JSON[s.AggregateRequest], lang: LangParameter = None
) -> s.AggregateResponse:
    """The exact rate of the summed counts, and its verdict when a year is given."""
    plans, _ = _state(request)
    return answers.aggregate_counts(plans.get(plan_id), data, _lang(request))


@post(
    "/v1/validate",
    responses=SLOW,
    tags=["plans"],
    summary="Check a plan file: every problem, with its line",
    status_code=200,
)
async def validate(
    request: Request[Any, Any, Any], data: JSON[s.ValidateRequest], lang: LangParameter = None
) -> s.ValidateResponse:
    """As ``tdplan validate``: whether the text is a valid plan, and every problem; the answer is 200 either way."""
    chosen = _lang(request)
    return await _in_thread(request, lambda check: answers.validate_text(data, chosen))


def _problem_response(request: Request[Any, Any, Any], problem: ProblemError) -> Response[Any]:
    headers = {"WWW-Authenticate": "Bearer"} if problem.status == 401 else None
    if "retry_after" in problem.extra:  # busy: when to send the request again (RFC 9110), also in the body
        headers = {"Retry-After": str(problem.extra["retry_after"])}
    return Response(problem.body(_lang(request)), status_code=problem.status, media_type=PROBLEM_JSON, headers=headers)


def _on_problem(request: Request[Any, Any, Any], error: ProblemError) -> Response[Any]:
    return _problem_response(request, error)


def _on_tdplan(request: Request[Any, Any, Any], error: TdplanError) -> Response[Any]:
    problem = problem_of(error)
    if problem.status >= 500:
        log_unexpected(error, request.scope)
    return _problem_response(request, problem)


async def _known_parameters(request: Request[Any, Any, Any]) -> None:
    """Before a handler of this module runs: a query parameter it does not take is a 400, never ignored."""
    handler = request.route_handler
    if request.scope.get("query_string") and getattr(handler.fn, "__module__", None) == __name__:
        check_parameters(request.query_params.keys(), handler_parameters(handler, request.path_params))


def _on_validation(request: Request[Any, Any, Any], error: ValidationException) -> Response[Any]:
    lang = _lang(request)
    found = field_problems(error.extra if isinstance(error.extra, list) else [])
    problems = [{**problem, "message": sentence.text(lang)} for problem, sentence in found]
    details = "; ".join(problem["message"] for problem in problems)
    message = Message(
        "the request does not match this endpoint's schema (see /openapi.json): {details}",
        details=details or Message("see /openapi.json"),
    )
    return _problem_response(request, ProblemError(400, "invalid_request", message, problems=problems))


_HTTP_CODES = {
    401: ("unauthorized", Message("send the header Authorization: Bearer <token>")),
    404: ("not_found", Message("no such path: see /openapi.json for the paths this service answers")),
    405: ("method_not_allowed", Message("this path does not take that method: see /openapi.json")),
    413: ("too_large", Message("the request body is larger than this service accepts")),
    415: ("unsupported_media_type", Message("send JSON (application/json), or a file as multipart/form-data")),
}


def _on_http(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    code, sentence = _HTTP_CODES.get(error.status_code, ("invalid_request", None))
    if error.status_code >= 500:
        log_unexpected(error, request.scope)
        return _on_unexpected(request, error)
    if sentence is None and error.status_code == 400:
        sentence = malformed_json(str(error.detail))
        code = "invalid_json" if sentence is not None else code
    message = sentence or Message("the request cannot be used: {reason}", reason=error.detail)
    response = _problem_response(request, ProblemError(error.status_code, code, message))
    if error.headers:
        response.headers.update(error.headers)
    return response


def _on_unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    log_unexpected(error, request.scope)
    message = Message("tdplan could not answer this request; the error is in the service's log")
    return _problem_response(request, ProblemError(500, "internal", message))


def _docs_page() -> tuple[SwaggerRenderPlugin, Any]:
    """The page for people at ``/docs/swagger``, and the router of its files: nothing loaded from elsewhere.

    Swagger UI comes from the ``swagger-ui-bundle-v2`` package (the ``serve`` extra), so that
    an office without internet, or behind a strict proxy, reads the page too.
    """
    from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

    plugin = SwaggerRenderPlugin(
        js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{DOCS_ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{DOCS_ASSETS}/favicon-32x32.png'>",
    )
    files = create_static_files_router(
        path=DOCS_ASSETS, directories=[str(swagger_ui_path)], include_in_schema=False, name="docs-assets"
    )
    return plugin, files


def create_app(config: ServiceConfig | None = None, *, plans: PlanRegistry | None = None) -> Litestar:
    """The tdplan web application (ASGI), to serve with uvicorn or mount in another application.

    ``config`` holds the settings (:class:`~tdplan.service.ServiceConfig`, default: the
    environment's); ``plans`` the plans, else those of ``config.plans_dir`` and the
    shipped ones.
    """
    config = ServiceConfig.from_environ() if config is None else config
    plans = PlanRegistry(config.plans_dir) if plans is None else plans
    cors = (
        CORSConfig(
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Accept-Language"],
        )
        if config.cors_origins
        else None
    )
    docs_plugin, docs_files = _docs_page()
    return Litestar(
        route_handlers=[
            docs_files,
            health,
            version_info,
            openapi_document,
            list_plans,
            one_plan,
            assess,
            assess_batch,
            scorecard,
            scorecard_upload,
            report_schema,
            track,
            aggregate,
            validate,
        ],
        state=State({"plans": plans, "config": config, "jobs": Jobs(config.max_jobs)}),
        before_request=_known_parameters,
        middleware=[DefineMiddleware(Guard, config=config)],
        cors_config=cors,
        request_max_body_size=config.max_body_bytes,
        exception_handlers={
            ProblemError: _on_problem,
            TdplanError: _on_tdplan,
            ValidationException: _on_validation,
            HTTPException: _on_http,
            Exception: _on_unexpected,
        },
        openapi_config=OpenAPIConfig(
            title="tdplan",
            version=API_VERSION,
            summary="Exact verdicts on the Tam Đường plan for children 2021–2030, for other software.",
            description="Values, thresholds and margins are exact decimal strings. Errors are RFC 9457 problem "
            "details with tdplan's code and a message in the request's language (lang, or Accept-Language; "
            "Vietnamese by default). See docs/service.md.",
            contact=Contact(name="tdplan maintainers"),
            path="/docs",
            render_plugins=[docs_plugin],
        ),
        debug=False,
        logging_config=None,
    )
