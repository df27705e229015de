"""Edges of the web service, through a real `tdplan serve` on 127.0.0.1 and httpx: unknown parameters, schema
errors in tdplan's words, bind errors, the offline docs page, and table work stopped at its time limit."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

import pytest

from conftest import Server

httpx = pytest.importorskip("httpx")
pytest.importorskip("litestar")

PLAN = "/v1/plans/tam-duong-2021-2030"
ASSESS = {"indicator": "3", "value": "16,5", "year": 2025}
SCORECARD = ["format", "lang", "strict"]
CSV = ("bang.csv", b"chi tieu,gia tri,nam\n3,16.5,2025\n", "text/csv")
ENGLISH_OR_PYTHON = re.compile(r"Expected|`|ParamType|\$\.|malformed|Object (missing|contains)")


@pytest.fixture(scope="module")
def client(server: Server) -> Any:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


# Every endpoint: method, path, what it is sent, and the query parameters it takes (lang on every one).
ENDPOINTS = [
    ("GET", "/health", {}, ["lang"]),
    ("GET", "/version", {}, ["lang"]),
    ("GET", "/openapi.json", {}, ["lang"]),
    ("GET", "/v1/plans", {}, ["lang"]),
    ("GET", PLAN, {}, ["lang"]),
    ("GET", "/v1/schemas/report", {}, ["lang"]),
    ("POST", f"{PLAN}/assess", {"json": ASSESS}, ["lang"]),
    ("POST", f"{PLAN}/assess/batch", {"json": {"indicator": "3", "year": 2025, "values": ["1"]}}, ["lang"]),
    ("POST", f"{PLAN}/scorecard", {"json": {"rows": [{"chỉ tiêu": "3", "giá trị": "1", "năm": 2025}]}}, SCORECARD),
    ("POST", f"{PLAN}/scorecard/upload", {"files": {"file": CSV}}, ["by", "format", "lang", "strict"]),
    ("POST", f"{PLAN}/track", {"json": {"indicator": "3", "series": [{"period": 2024, "value": "19"}]}}, ["lang"]),
    (
        "POST",
        f"{PLAN}/aggregate",
        {"json": {"indicator": "3", "areas": [{"area": "Bản Bo", "numerator": 4, "denominator": 250}]}},
        ["lang"],
    ),
    ("POST", "/v1/validate", {"json": {"text": "tdplan = 1\n", "format": "toml"}}, ["lang"]),
]


class TestUnknownParameters:
    """A query parameter an endpoint does not take is a 400 problem, never ignored."""

    @pytest.mark.parametrize(("method", "path", "sent", "valid"), ENDPOINTS)
    def test_every_endpoint(self, client: Any, method: str, path: str, sent: dict[str, Any], valid: list[str]) -> None:
        """?bogus=1 on each endpoint: 400, code unknown_parameter, the parameter named and the valid ones listed."""
        response = client.request(method, f"{path}?bogus=1", **sent)
        problem = response.json()
        assert (400, "unknown_parameter") == (response.status_code, problem["code"])
        assert (["bogus"], valid) == (problem["parameters"], problem["valid"])
        expected = f"địa chỉ này không nhận tham số truy vấn bogus: các tham số nhận được là {', '.join(valid)}"
        assert expected == problem["detail"]
        assert "application/problem+json" == response.headers["content-type"]

    @pytest.mark.parametrize(("method", "path", "sent", "valid"), ENDPOINTS)
    def test_known_parameters_answer(
        self, client: Any, method: str, path: str, sent: dict[str, Any], valid: list[str]
    ) -> None:
        """The same requests with only ?lang=en are answered: lang is a parameter of every endpoint."""
        assert response_ok(client.request(method, f"{path}?lang=en", **sent))

    def test_by_on_the_json_scorecard_in_english(self, client: Any) -> None:
        """?by= belongs to the upload; the JSON scorecard takes it in its body: said in the request's language."""
        response = client.post(f"{PLAN}/scorecard?by=area&lang=en", json={"rows": []})
        detail = "this endpoint takes no query parameter by: it takes format, lang, strict"
        assert (400, detail) == (response.status_code, response.json()["detail"])

    def test_misspelt(self, client: Any) -> None:
        """A misspelt strict (strcit=true) is named, not taken for strict=false."""
        response = client.post(f"{PLAN}/scorecard/upload?strcit=true", files={"file": CSV})
        assert (400, ["strcit"]) == (response.status_code, response.json()["parameters"])


class TestNoThreadHop:
    """What every request runs before its handler runs on the event loop, not in a worker thread."""

    def test_parameter_hook_is_a_coroutine(self) -> None:
        """The hook checking query parameters is a coroutine function, which Litestar awaits where it is; a plain
        function it runs in a worker thread, a hop that cost every request two thirds of GET /health's time."""
        import inspect

        from tdplan.service import create_app

        app = create_app()
        hooks = {
            route.path: handler.resolve_before_request() for route in app.routes for handler in route.route_handlers
        }
        assert {"/health", f"{PLAN}/assess".replace("tam-duong-2021-2030", "{plan_id:str}")} <= set(hooks)
        assert [] == [
            path for path, hook in hooks.items() if hook is not None and not inspect.iscoroutinefunction(hook)
        ]


def response_ok(response: Any) -> bool:
    return response.status_code == 200


class TestSchemaProblems:
    """A body or parameter of the wrong shape: a 400 problem in tdplan's words, with a code and a JSON pointer."""

    def post(self, client: Any, path: str, body: Any, lang: str = "vi") -> dict[str, Any]:
        response = client.post(f"{PLAN}{path}", json=body, headers={"Accept-Language": lang})
        assert 400 == response.status_code
        assert not ENGLISH_OR_PYTHON.search(response.text), response.text
        problem: dict[str, Any] = response.json()
        return problem

    def test_wrong_type(self, client: Any) -> None:
        """A number for the indicator: wrong_type at /indicator, "phải là chuỗi, không phải số nguyên"."""
        problem = self.post(client, "/assess", {"indicator": 3, "value": "1", "year": 2025})
        expected = {
            "code": "wrong_type",
            "source": "body",
            "pointer": "/indicator",
            "message": "trường /indicator phải là chuỗi, không phải số nguyên",
        }
        assert ("invalid_request", [expected]) == (problem["code"], problem["problems"])
        assert problem["detail"].endswith(": trường /indicator phải là chuỗi, không phải số nguyên")

    def test_wrong_type_in_english(self, client: Any) -> None:
        """The same in English, by Accept-Language."""
        problem = self.post(client, "/assess", {"indicator": 3, "value": "1", "year": 2025}, "en")
        assert "the field /indicator must be a string, not an integer" == problem["problems"][0]["message"]

    def test_missing_nested_field(self, client: Any) -> None:
        """A series point without its value: missing_field at /series/0/value."""
        problem = self.post(client, "/track", {"indicator": "3", "series": [{"period": 2022}]})
        found = problem["problems"][0]
        assert ("missing_field", "/series/0/value", "thiếu trường /series/0/value") == (
            found["code"],
            found["pointer"],
            found["message"],
        )

    def test_array_item(self, client: Any) -> None:
        """The second value of a batch as a JSON number: its pointer is /values/1."""
        problem = self.post(client, "/assess/batch", {"indicator": "3", "year": 2025, "values": ["1", 2]})
        assert ("wrong_type", "/values/1") == (problem["problems"][0]["code"], problem["problems"][0]["pointer"])

    def test_fraction_in_a_row(self, client: Any) -> None:
        """A JSON number with decimals in a table row is named as such, in JSON's words."""
        problem = self.post(client, "/scorecard", {"rows": [{"chỉ tiêu": "9", "giá trị": 97.2, "năm": 2025}]}, "en")
        assert "not a number with decimals" in problem["problems"][0]["message"]
        assert "/rows/0" == problem["problems"][0]["pointer"]

    def test_too_long(self, client: Any) -> None:
        """An indicator id of 300 characters: too_long, at most 50 characters."""
        problem = self.post(client, "/assess", {"indicator": "3" * 300, "value": "1", "year": 2025})
        assert ("too_long", "trường /indicator quá dài: nhiều nhất 50 ký tự") == (
            problem["problems"][0]["code"],
            problem["problems"][0]["message"],
        )

    def test_out_of_range(self, client: Any) -> None:
        """A year of 10000: out_of_range, 9999 or less."""
        problem = self.post(client, "/assess", {"indicator": "3", "value": "1", "year": 10000})
        assert ("out_of_range", "trường /year phải từ 9999 trở xuống") == (
            problem["problems"][0]["code"],
            problem["problems"][0]["message"],
        )

    def test_whole_body(self, client: Any) -> None:
        """An array for the body: the pointer is the whole document, ""."""
        problem = self.post(client, "/assess", [1], "en")
        assert ("", "the body must be a JSON object, not a JSON array") == (
            problem["problems"][0]["pointer"],
            problem["problems"][0]["message"],
        )

    def test_misspelt_field(self, client: Any) -> None:
        """ "unti": "%" is refused (unknown_field), not ignored: ignored, 1.8 would be read as 1.8‰ and meet < 18‰."""
        problem = self.post(client, "/assess", {"indicator": "3", "value": "1.8", "unti": "%", "year": 2025})
        assert [("unknown_field", "/unti", "trường /unti không phải là trường của yêu cầu này")] == [
            (found["code"], found["pointer"], found["message"]) for found in problem["problems"]
        ]

    def test_unknown_form_field(self, client: Any) -> None:
        """An upload with a form field beside the file (sheet=..., which the service does not take) is refused."""
        response = client.post(f"{PLAN}/scorecard/upload", files={"file": CSV}, data={"sheet": "Số liệu"})
        found = [(problem["code"], problem["pointer"]) for problem in response.json()["problems"]]
        assert (400, [("unknown_field", "/sheet")]) == (response.status_code, found)

    def test_unknown_fields_in_the_document(self, client: Any) -> None:
        """The OpenAPI document says each request takes no other field (additionalProperties: false)."""
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
        requests = ["AssessRequest", "BatchRequest", "ScorecardRequest", "TrackRequest", "SeriesPoint"]
        requests += ["AggregateRequest", "AreaCounts", "ValidateRequest", "UploadForm"]
        assert [False] * len(requests) == [schemas[name].get("additionalProperties") for name in requests]

    def test_query_parameter(self, client: Any) -> None:
        """strict=maybe: a query parameter, named by its key, with no Python in the source."""
        response = client.post(f"{PLAN}/scorecard?strict=maybe", json={"rows": []})
        found = response.json()["problems"][0]
        assert {
            "code": "wrong_type",
            "source": "query",
            "key": "strict",
            "message": "tham số truy vấn strict phải là giá trị đúng/sai (true hoặc false), không phải chuỗi",
        } == found

    def test_not_json(self, client: Any) -> None:
        """A body that is not JSON: code invalid_json, said in Vietnamese with the byte where it goes wrong."""
        response = client.post(f"{PLAN}/assess", content=b"{not json", headers={"Content-Type": "application/json"})
        problem = response.json()
        assert (400, "invalid_json") == (response.status_code, problem["code"])
        assert "thân yêu cầu không phải JSON hợp lệ: sai từ byte 1" == problem["detail"]


class TestListen:
    """`tdplan serve` where it cannot listen: a sentence in the user's language and exit status 2."""

    def serve(self, *options: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "tdplan", "serve", "--no-access-log", *options]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in result.stderr
        assert "Errno" not in result.stderr
        return result

    @pytest.mark.parametrize(
        ("lang", "expected"),
        [
            ("vi", "cổng này đang được một chương trình khác dùng; hãy tắt chương trình đó, hoặc ghi --port"),
            ("en", "another program already uses that port; stop it, or give --port"),
        ],
    )
    def test_port_in_use(self, lang: str, expected: str) -> None:
        """A port another socket listens on (bound here first) is named, with another to give."""
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            result = self.serve("--port", str(port), "--lang", lang)
        assert 2 == result.returncode
        assert f"127.0.0.1:{port}: {expected} {port + 1}" in result.stderr

    def test_address_not_here(self) -> None:
        """An address this machine has not (192.0.2.1, kept for documentation): what to give instead."""
        result = self.serve("--host", "192.0.2.1", "--port", "8765")
        assert 2 == result.returncode
        assert "máy này không có địa chỉ đó; hãy ghi --host 127.0.0.1 hoặc --host 0.0.0.0" in result.stderr

    def test_no_such_host(self) -> None:
        """A host name that does not resolve (.invalid never does)."""
        result = self.serve("--host", "khong-co.invalid", "--lang", "en")
        assert 2 == result.returncode
        assert "cannot listen on khong-co.invalid:8000: no such host" in result.stderr

    def test_library(self) -> None:
        """check_listen raises ListenError (an OSError) with the code listen."""
        import tdplan
        from tdplan.service.server import check_listen

        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            with pytest.raises(tdplan.ListenError) as caught:
                check_listen("127.0.0.1", taken.getsockname()[1])
        assert ("listen", True) == (caught.value.code, isinstance(caught.value, OSError))


class TestDocsPage:
    """The page at /docs/swagger loads nothing from another site: Swagger UI's files come from the service."""

    ASSETS: ClassVar[dict[str, str]] = {
        "swagger-ui-bundle.js": "text/javascript",
        "swagger-ui-standalone-preset.js": "text/javascript",
        "swagger-ui.css": "text/css",
        "favicon-32x32.png": "image/png",
    }

    def test_only_own_urls(self, client: Any) -> None:
        """Every script, style and icon the page names is a path of the service, under /docs/assets."""
        page = client.get("/docs/swagger").text
        urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page)
        assert sorted(f"/docs/assets/{name}" for name in self.ASSETS) == sorted(urls)
        assert "cdn" not in page
        assert "unpkg" not in page

    @pytest.mark.parametrize("name", sorted(ASSETS))
    def test_assets_answer(self, client: Any, name: str) -> None:
        """Each file answers 200, with its media type."""
        response = client.get(f"/docs/assets/{name}")
        assert 200 == response.status_code
        assert response.headers["content-type"].startswith(self.ASSETS[name])
        assert len(response.content) > 500

    def test_renders_offline(self, server: Server) -> None:
        """In Chromium with every other site blocked, Swagger UI shows the API's title and its endpoints."""
        pytest.importorskip("playwright")

        from playwright.sync_api import sync_playwright

        executable = shutil.which("chromium") or shutil.which("chromium-browser")
        if executable is None:
            pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium)")
        elsewhere: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            try:
                page = browser.new_page()

                def only_the_service(route: Any) -> None:
                    if route.request.url.startswith(server.url):
                        route.continue_()
                    else:
                        elsewhere.append(route.request.url)
                        route.abort()

                page.route("**/*", only_the_service)
                page.goto(f"{server.url}/docs/swagger")
                page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
                title = page.inner_text(".swagger-ui .info .title")
                operations = page.locator(".opblock").count()
            finally:
                browser.close()
        assert title.startswith("tdplan")
        assert operations >= 12  # every endpoint in the OpenAPI document
        assert [] == elsewhere


def cpu_seconds(pid: int) -> float:
    """The processor time a process has used (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class TestTimeLimit:
    """Table work past --timeout stops (it does not keep a thread working), and at most --max-jobs run at once."""

    def test_stops_working(self, tmp_path: Path) -> None:
        """After the 503, the server uses (almost) no processor time: the thread has stopped; the next request runs."""
        if not Path("/proc/self/stat").exists():
            pytest.skip("needs /proc")
        running = Server(
            tmp_path, "--timeout", "0.5", "--max-jobs", "1", "--max-body-bytes", "40000000", "--no-access-log"
        )
        try:
            # A blank line: the standard reader reads the file in one step (pyarrow's reader would read it in 1 s).
            rows = "".join(f'3,"16,5‰",2025,Xã {number % 50}\n' for number in range(600_000)) + "\n3,17,2025,Xã 1\n"
            table = ("lon.csv", ("chỉ tiêu,giá trị,năm,địa bàn\n" + rows).encode("utf-8"), "text/csv")
            started = time.monotonic()
            response = httpx.post(f"{running.url}{PLAN}/scorecard/upload", files={"file": table}, timeout=120)
            assert (503, "timeout") == (response.status_code, response.json()["code"])
            assert time.monotonic() - started < 30
            # Still reading the file (one step, about 5 s here): its thread keeps the one place, so the next is busy.
            busy = httpx.post(f"{running.url}{PLAN}/scorecard/upload", files={"file": CSV}, timeout=60)
            assert (503, "busy", "1") == (busy.status_code, busy.json()["code"], busy.headers["retry-after"])
            # Then the check stops the work. Unstopped, it would keep a processor busy for about 30 s in all: wait
            # for a quiet second within 12 s.
            quiet = False
            while not quiet and time.monotonic() - started < 12:
                before = cpu_seconds(running.process.pid)
                time.sleep(1)
                quiet = cpu_seconds(running.process.pid) - before < 0.2
            assert quiet
            small = httpx.post(f"{running.url}{PLAN}/scorecard/upload", files={"file": CSV}, timeout=60)
            assert 200 == small.status_code
        finally:
            running.stop()


class TestJobs:
    """guard.Jobs on its own: the check stops the work; a place is held until the work has stopped."""

    def test_check_stops_the_thread(self) -> None:
        """Work that checks: 503 timeout at 0.2 s, and the thread returns within its next check."""
        import anyio

        from tdplan.service.guard import Jobs
        from tdplan.service.problems import ProblemError

        jobs, stopped = Jobs(1), threading.Event()

        def work(check: Any) -> None:
            try:
                for _ in range(400):  # 2 s at most, should the check never stop it
                    check()
                    time.sleep(0.005)
            finally:
                stopped.set()

        with pytest.raises(ProblemError) as caught:
            anyio.run(jobs.run, work, 0.2)
        assert "timeout" == caught.value.code
        assert stopped.wait(1)  # stopped at its next check, not after its 2 s
        time.sleep(0.05)
        assert 0 == jobs.running

    def test_place_held_until_stopped(self) -> None:
        """Work that never checks keeps its place past its 503: the next request, with one place, is told busy."""
        import anyio

        from tdplan.service.guard import Jobs
        from tdplan.service.problems import ProblemError

        jobs, release = Jobs(1), threading.Event()
        with pytest.raises(ProblemError) as first:
            anyio.run(jobs.run, lambda check: release.wait(10), 0.1)
        assert ("timeout", 1) == (first.value.code, jobs.running)
        with pytest.raises(ProblemError) as second:
            anyio.run(jobs.run, lambda check: None, 0.2)
        assert "busy" == second.value.code
        release.set()
        deadline = time.monotonic() + 5
        while jobs.running and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "done" == anyio.run(jobs.run, lambda check: "done", 1.0)
