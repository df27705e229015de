"""The web API, through a real `tdplan serve` on 127.0.0.1 and a real HTTP client (httpx)."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tdplan
from conftest import EXAMPLES, Server
from tdplan.analysis import tables
from tdplan.analysis.scorecard import DecidedRows

httpx = pytest.importorskip("httpx")
pytest.importorskip("litestar")


PLAN = "/v1/plans/tam-duong-2021-2030"
SIGNS = {"permille": "‰", "percent": "%", "per_100000": "/100.000", "count": ""}


@pytest.fixture(scope="module")
def client(server: Server):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


class TestServiceBasics:
    def test_health(self, client):
        """/health answers ok."""
        assert {"status": "ok"} == client.get("/health").json()

    def test_version(self, client):
        """/version gives tdplan's own version and the API's."""
        answer = client.get("/version").json()
        assert (tdplan.__version__, "1", 1) == (answer["tdplan"], answer["api"], answer["report_schema"])

    def test_openapi(self, client):
        """The OpenAPI 3.1 document lists every endpoint and says values are decimal strings."""
        document = client.get("/openapi.json").json()
        assert document["openapi"].startswith("3.1")
        assert {
            "/health",
            "/version",
            "/v1/plans",
            "/v1/plans/{plan_id}",
            "/v1/plans/{plan_id}/assess",
            "/v1/plans/{plan_id}/assess/batch",
            "/v1/plans/{plan_id}/scorecard",
            "/v1/plans/{plan_id}/scorecard/upload",
            "/v1/plans/{plan_id}/track",
            "/v1/plans/{plan_id}/aggregate",
            "/v1/validate",
        } <= set(document["paths"])
        margin = document["components"]["schemas"]["AssessmentOut"]["properties"]["margin"]
        assert ("string", r"^-?[0-9]+(\.[0-9]+)?$") == (margin["type"], margin["pattern"])

    def test_docs_page(self, client):
        """A page for people documents the API."""
        response = client.get("/docs/swagger")
        assert 200 == response.status_code
        assert "text/html" in response.headers["content-type"]


class TestPlans:
    def test_list(self, client):
        """The shipped plan and the folder's valid plan are listed; the file that is not a plan is not."""
        listed = {plan["id"]: plan["shipped"] for plan in client.get("/v1/plans").json()}
        assert {"tam-duong-2021-2030": True, "xa-vi-du-2026-2030": False} == listed

    def test_one_plan(self, client):
        """Indicator 3's targets are < 18‰ in 2025 and < 15‰ in 2030, in both languages."""
        plan = client.get(PLAN).json()
        assert (4, 31) == (len(plan["goals"]), len(plan["indicators"]))
        three = next(indicator for indicator in plan["indicators"] if indicator["id"] == "3")
        targets = [(t["comparator"], t["threshold"], t["unit"], t["year"]) for t in three["targets"]]
        assert [("<", "18", "permille", 2025), ("<", "15", "permille", 2030)] == targets
        assert three["name"]["vi"].startswith("Tỷ suất tử vong trẻ sơ sinh")

    def test_folder_plan(self, client):
        """A plan of the configured folder is addressed by its id."""
        assert 2026 == client.get("/v1/plans/xa-vi-du-2026-2030").json()["start_year"]

    @pytest.mark.parametrize("plan_id", ["nope", "..%2F..%2Fetc%2Fpasswd", "hong", "%2Fetc%2Fpasswd"])
    def test_unknown_plan(self, client, plan_id):
        """A plan id that is not served is a 404 problem: no path from a request reaches the file system."""
        response = client.get(f"/v1/plans/{plan_id}")
        assert 404 == response.status_code
        assert "application/problem+json" == response.headers["content-type"]
        assert response.json()["code"] in ("unknown_plan", "not_found")


class TestAssess:
    def test_met(self, client):
        """16,5‰ is below 18‰: met in 2025, by 1.5‰, said in Vietnamese by default."""
        answer = client.post(f"{PLAN}/assess", json={"indicator": "3", "value": "16,5‰", "year": 2025}).json()
        assert ("met", "16.5", "18", "1.5") == (
            answer["status"],
            answer["value"],
            answer["threshold"],
            answer["margin"],
        )
        assert "16,5‰ < 18‰: đạt chỉ tiêu năm 2025" == answer["explanation"]

    def test_boundary_in_another_unit(self, client):
        """1,8 % is exactly 18‰, which is not below 18‰."""
        answer = client.post(f"{PLAN}/assess", json={"indicator": "3", "value": "1,8%", "year": 2025}).json()
        assert ("not_met", "18", "0") == (answer["status"], answer["value"], answer["margin"])

    def test_english_by_accept_language(self, client):
        """Accept-Language chooses English."""
        body = {"indicator": "3", "value": "16.5", "year": 2025}
        answer = client.post(f"{PLAN}/assess", json=body, headers={"Accept-Language": "en-US,en;q=0.9"}).json()
        assert "16.5‰ < 18‰: meets the 2025 target" == answer["explanation"]

    def test_lang_parameter_wins(self, client):
        """The lang parameter overrides Accept-Language."""
        body = {"indicator": "3", "value": "16.5", "year": 2025}
        response = client.post(f"{PLAN}/assess?lang=vi", json=body, headers={"Accept-Language": "en"})
        assert "đạt" == response.json()["status_label"]

    def test_disaggregation(self, client):
        """Indicator 8 for rural areas: 0,05 % meets < 0,3 % ... as plan.assess says."""
        body = {"indicator": "8", "value": "0.05", "unit": "%", "year": 2025, "disaggregation": {"residence": "rural"}}
        assert "met" == client.post(f"{PLAN}/assess", json=body).json()["status"]

    def test_ahead(self, client):
        """1,5 % in 2024 already meets indicator 11's 2030 target (< 2 %): ahead."""
        body = {"indicator": "11", "value": "1,5%", "year": 2024}
        assert "ahead" == client.post(f"{PLAN}/assess", json=body).json()["status"]

    def test_unknown_indicator(self, client):
        """An unknown indicator is a 404 problem with tdplan's code and the valid ids."""
        response = client.post(f"{PLAN}/assess", json={"indicator": "30", "value": "1", "year": 2025})
        problem = response.json()
        assert (404, "unknown_indicator", 404) == (response.status_code, problem["code"], problem["status"])
        assert "1–15, 15b, 16–25, 25b, 26–29" in problem["detail"]
        assert "urn:tdplan:error:unknown_indicator" == problem["type"]

    def test_bad_value_is_422(self, client):
        """A value that is not a number is a 422 problem, not a 500."""
        response = client.post(f"{PLAN}/assess", json={"indicator": "3", "value": "abc", "year": 2025})
        assert (422, "value_parse") == (response.status_code, response.json()["code"])

    def test_hint_as_json(self, client):
        """A missing group is a 422 whose message says which JSON to send, in Vietnamese by default."""
        response = client.post(f"{PLAN}/assess", json={"indicator": "8", "value": "0.1", "year": 2025})
        problem = response.json()
        assert (422, "disaggregation_required") == (response.status_code, problem["code"])
        assert 'hãy ghi "disaggregation": {"residence": "rural"} hoặc' in problem["detail"]

    def test_schema_violation_in_vietnamese(self, client):
        """A request of the wrong shape is a 400 problem, its sentence in Vietnamese by default."""
        response = client.post(f"{PLAN}/assess", json={"indicator": 3, "value": "1"})
        problem = response.json()
        assert (400, "invalid_request") == (response.status_code, problem["code"])
        assert problem["detail"].startswith("yêu cầu không khớp")
        assert "Yêu cầu không dùng được" == problem["title"]

    def test_fractions_travel_as_strings(self, client):
        """A JSON number with a fraction in a table row is refused (400): 97.19999999999999999 would read as 97.2."""
        rows = [{"chỉ tiêu": "9", "giá trị": 97.19999999999999999, "năm": 2025}]
        response = client.post(f"{PLAN}/scorecard", json={"rows": rows})
        assert (400, "invalid_request") == (response.status_code, response.json()["code"])
        rows = [{"chỉ tiêu": "9", "giá trị": "97,19999999999999999", "năm": 2025}]
        response = client.post(f"{PLAN}/scorecard", json={"rows": rows})
        assert {"met": 0, "not_met": 1, "ahead": 0, "pending": 0} == response.json()["summary"]["counts"]

    def test_not_json(self, client):
        """A body that is not JSON is a 400 problem with no trace of the server's code."""
        response = client.post(f"{PLAN}/assess", content=b"{not json", headers={"Content-Type": "application/json"})
        assert 400 == response.status_code
        assert "Traceback" not in response.text
        assert "File " not in response.text


class TestBatch:
    def test_statuses(self, client):
        """Each value gets its own status; a negative value is a problem at its index."""
        body = {"indicator": "3", "year": 2025, "values": ["16.5", "18", "17.999", "-1", "17,9‰"]}
        answer = client.post(f"{PLAN}/assess/batch", json=body).json()
        assert ["met", "not_met", "met", None, "met"] == answer["statuses"]
        assert [(3, "invalid_value")] == [(p["index"], p["code"]) for p in answer["problems"]]
        assert {"met": 3, "not_met": 1, "ahead": 0, "pending": 0} == answer["counts"]

    def test_columns(self, client):
        """Indicators and years may be given per value."""
        body = {"indicator": ["3", "9", "30"], "year": [2025, 2030, 2025], "values": ["18", "97.2", "1"]}
        answer = client.post(f"{PLAN}/assess/batch", json=body).json()
        assert ["not_met", "met", None] == answer["statuses"]
        assert "unknown_indicator" == answer["problems"][0]["code"]

    def test_column_length(self, client):
        """A column of the wrong length is a 422 problem."""
        body = {"indicator": ["3"], "year": 2025, "values": ["1", "2"]}
        assert "input_type" == client.post(f"{PLAN}/assess/batch", json=body).json()["code"]

    def test_too_many(self, client):
        """More than 100,000 values in one batch is a 413 problem."""
        body = {"indicator": "3", "year": 2025, "values": ["1"] * 100_001}
        response = client.post(f"{PLAN}/assess/batch", json=body)
        assert (413, "batch_size") == (response.status_code, response.json()["code"])

    def test_100000_values(self, client):
        """A full batch of 100,000 values is answered, each as plan.assess decides it."""
        values = [str(Decimal(n) / 100) for n in range(100_000)]  # 0 … 999.99‰
        answer = client.post(f"{PLAN}/assess/batch", json={"indicator": "3", "year": 2025, "values": values}).json()
        assert 1800 == answer["counts"]["met"]  # 0.00 … 17.99 are below 18‰
        assert 100_000 - 1800 == answer["counts"]["not_met"]


class TestScorecard:
    rows: ClassVar[list[dict[str, object]]] = [
        {"chỉ tiêu": "3", "giá trị": "16,5‰", "năm": 2025, "địa bàn": "Bản Bo"},
        {"chỉ tiêu": "9", "giá trị": "95%", "năm": 2025, "địa bàn": "Bản Bo"},
        {"chỉ tiêu": "30", "giá trị": "1%", "năm": 2025},
    ]

    def test_json_report(self, client):
        """JSON rows give the JSON report: 1 met, 1 not met, row 3 a problem; it follows the report schema."""
        jsonschema = pytest.importorskip("jsonschema")
        response = client.post(f"{PLAN}/scorecard", json={"rows": self.rows})
        report = response.json()
        assert ({"met": 1, "not_met": 1, "ahead": 0, "pending": 0}, 1) == (
            report["summary"]["counts"],
            report["summary"]["problems"],
        )
        jsonschema.validate(report, client.get("/v1/schemas/report").json())

    def test_html_by_accept(self, client):
        """Accept: text/html gives the HTML report, in the asked language."""
        response = client.post(f"{PLAN}/scorecard?lang=en", json={"rows": self.rows}, headers={"Accept": "text/html"})
        assert response.headers["content-type"].startswith("text/html")
        assert '<html lang="en">' in response.text

    def test_csv_by_accept(self, client):
        """Accept: text/csv gives the CSV report, with its byte order mark."""
        response = client.post(f"{PLAN}/scorecard", json={"rows": self.rows}, headers={"Accept": "text/csv"})
        assert response.content.startswith("\ufeff".encode())

    def test_not_acceptable(self, client):
        """A format no report has is a 406 problem."""
        response = client.post(f"{PLAN}/scorecard", json={"rows": self.rows}, headers={"Accept": "image/png"})
        assert (406, "not_acceptable") == (response.status_code, response.json()["code"])

    def test_strict(self, client):
        """strict=true answers 422 with every row problem, its row number and code."""
        response = client.post(f"{PLAN}/scorecard?strict=true", json={"rows": self.rows})
        problem = response.json()
        assert (422, [(3, "unknown_indicator")]) == (
            response.status_code,
            [(row["row"], row["code"]) for row in problem["problems"]],
        )
        assert problem["problems"][0]["message"].startswith("không có chỉ tiêu '30'")

    def test_upload(self, client):
        """An uploaded CSV gives the counts plan.assess_table gives for the same file."""
        path = EXAMPLES / "data" / "bang-so-lieu-mau.csv"
        expected = tdplan.load_plan().assess_table(path)
        with path.open("rb") as file:
            response = client.post(f"{PLAN}/scorecard/upload", files={"file": ("bang.csv", file, "text/csv")})
        report = response.json()
        assert {status.value: count for status, count in expected.counts.items()} == report["summary"]["counts"]
        assert len(expected.problems) == report["summary"]["problems"]

    def test_upload_large(self, client, tmp_path):
        """A CSV upload past BULK_BYTES (decided with NumPy) gives the counts and problems of that file read here."""
        lines = ["chỉ tiêu;giá trị;năm;địa bàn"]
        for number in range(60_000):
            indicator, value = [("3", "16,5"), ("3", "19"), ("9", "95,5"), ("30", "1"), ("4", "16,5‰")][number % 5]
            lines.append(f"{indicator};{value};{2021 + number % 10};Xã {number % 14}")
        content = ("\r\n".join(lines) + "\r\n").encode("utf-8")
        assert len(content) >= tables.BULK_BYTES
        path = tmp_path / "large.csv"
        path.write_bytes(content)
        expected = tdplan.load_plan().assess_table(path)
        assert isinstance(expected.rows, DecidedRows)
        response = client.post(f"{PLAN}/scorecard/upload", files={"file": ("large.csv", content, "text/csv")})
        summary = response.json()["summary"]
        assert {status.value: count for status, count in expected.counts.items()} == summary["counts"]
        assert (12_000, len(expected.problems)) == (summary["problems"], summary["problems"])

    def test_xlsx_by_accept(self, client):
        """Accept: the xlsx media type gives the Excel report (a zip file)."""
        pytest.importorskip("xlsxwriter")
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = client.post(f"{PLAN}/scorecard", json={"rows": self.rows}, headers={"Accept": xlsx})
        assert (200, xlsx) == (response.status_code, response.headers["content-type"])
        assert response.content.startswith(b"PK\x03\x04")

    def test_upload_xlsx(self, client, tmp_path):
        """An uploaded workbook is read as tdplan reads a workbook: 1 met, 1 not met, 1 problem."""
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        sheet = book.active
        for row in (["chỉ tiêu", "giá trị", "năm"], ["3", "16,5‰", 2025], ["9", "95%", 2025], ["30", "1%", 2025]):
            sheet.append(row)
        path = tmp_path / "bang.xlsx"
        book.save(path)
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        with path.open("rb") as file:
            response = client.post(f"{PLAN}/scorecard/upload", files={"file": ("bang.xlsx", file, xlsx)})
        summary = response.json()["summary"]
        assert ({"met": 1, "not_met": 1, "ahead": 0, "pending": 0}, 1) == (summary["counts"], summary["problems"])

    def test_upload_xls(self, client):
        """An Excel 97-2003 workbook is read as assess_table reads it: the same counts and problems."""
        pytest.importorskip("xlrd")
        path = Path(__file__).parent / "data" / "bang-so-lieu-2003.xls"
        response = client.post(f"{PLAN}/scorecard/upload", files={"file": ("bang.xls", path.read_bytes())})
        card = tdplan.assess_table(tdplan.load_plan(), path)
        counts = {status.value: count for status, count in card.counts.items()}
        assert 200 == response.status_code
        assert (counts, len(card.problems)) == (
            response.json()["summary"]["counts"],
            response.json()["summary"]["problems"],
        )

    def test_upload_broken_xlsx(self, client):
        """A file that is not a workbook is a 422 naming the client's file, never a 500 or the server's folder."""
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        files = {"file": ("bang.xlsx", b"not a zip", xlsx)}
        response = client.post(f"{PLAN}/scorecard/upload", files=files, params={"lang": "vi"})
        assert (422, "unreadable_workbook") == (response.status_code, response.json()["code"])
        expected = "bang.xlsx: không phải tệp Excel đọc được: hãy lưu lại dưới dạng 'Excel Workbook (.xlsx)'"
        assert expected == response.json()["detail"]

    @pytest.mark.parametrize(
        ("name", "content", "code", "said"),
        [
            (
                "bang.csv",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
                "misnamed_workbook",
                "đổi tên cho đuôi là .xls",
            ),
            ("bang.csv", b"<html><table><tr><td>3</td></tr></table>", "markup_table", "trang web hoặc tệp XML"),
            ("bang.xlsx", "chỉ tiêu,giá trị\n3,1\n".encode(), "misnamed_table", "đổi tên cho đuôi là .csv"),
        ],
    )
    def test_upload_other_kinds(self, client, name, content, code, said):
        """An .xls named .csv, a web page, CSV text named .xlsx: a 422 naming the client's file and what to do."""
        response = client.post(f"{PLAN}/scorecard/upload", files={"file": (name, content)}, params={"lang": "vi"})
        problem = response.json()
        assert (422, code) == (response.status_code, problem["code"])
        assert problem["detail"].startswith(f"{name}: đây là ")
        assert said in problem["detail"]

    def test_upload_not_utf8(self, client):
        """A file that is not UTF-8 is a 422 problem saying how to save it."""
        files = {"file": ("bang.csv", "chỉ tiêu,giá trị\n".encode("utf-16"), "text/csv")}
        response = client.post(f"{PLAN}/scorecard/upload", files=files, params={"lang": "en"})
        assert 422 == response.status_code
        assert "CSV UTF-8" in response.json()["detail"]


class TestProgress:
    def test_track(self, client):
        """The README's series for indicator 3 is on track toward 2025."""
        series = [
            {"period": 2022, "value": "23,958‰"},
            {"period": 2023, "value": "21,5‰"},
            {"period": 2024, "value": "19,8‰"},
        ]
        answer = client.post(f"{PLAN}/track", json={"indicator": "3", "series": series}).json()
        toward = {t["milestone"]: t["status"] for t in answer["trajectories"]}
        assert "on_track" == toward[2025]
        assert ["2022", "2023", "2024"] == [point["period"] for point in answer["points"]]

    def test_yearly_falls(self, client):
        """Indicator 18: 50 → 49 is a 2% fall (met), 49 → 49 no fall (not met)."""
        series = [{"period": 2024, "value": "50"}, {"period": 2025, "value": "49"}, {"period": 2026, "value": "49"}]
        answer = client.post(f"{PLAN}/track", json={"indicator": "18", "series": series}).json()
        assert [("2", "met"), ("0", "not_met")] == [(f["fall"], f["status"]) for f in answer["falls"]]

    def test_aggregate(self, client):
        """4 of 250 and 14 of 750 make 18 of 1,000: 18‰, not below 18‰."""
        areas = [
            {"area": "Bản Bo", "numerator": 4, "denominator": 250},
            {"area": "Khun Há", "numerator": 14, "denominator": 750},
        ]
        answer = client.post(f"{PLAN}/aggregate", json={"indicator": "3", "areas": areas, "year": 2025}).json()
        assert (18, 1000, "18", True) == (answer["numerator"], answer["denominator"], answer["value"], answer["exact"])
        assert "not_met" == answer["assessment"]["status"]

    def test_aggregate_twice(self, client):
        """An area given twice is a 422 problem."""
        areas = [{"area": "A", "numerator": 1, "denominator": 2}, {"area": "a", "numerator": 1, "denominator": 2}]
        response = client.post(f"{PLAN}/aggregate", json={"indicator": "3", "areas": areas})
        assert (422, "aggregation") == (response.status_code, response.json()["code"])


class TestValidate:
    def test_valid(self, client):
        """The template plan file is valid."""
        text = (EXAMPLES / "plans" / "template.toml").read_text("utf-8")
        answer = client.post("/v1/validate", json={"text": text}).json()
        assert (True, "xa-ten-xa-2026-2030") == (answer["valid"], answer["plan"]["id"])

    def test_problems_with_lines(self, client):
        """Every problem of a broken file is listed, with its line, as read_plan lists them."""
        text = 'tdplan = 1\nid = "x"\n'
        _, expected = tdplan.read_plan(text)
        answer = client.post("/v1/validate", json={"text": text, "format": "toml"}, params={"lang": "en"}).json()
        assert False is answer["valid"]
        assert [(p.path, p.code, p.line) for p in expected] == [
            (p["path"], p["code"], p["line"]) for p in answer["problems"]
        ]


class TestAgreement:
    def test_http_and_library_agree(self, client):
        """1,000 random assessments around thresholds, one request each: HTTP and plan.assess agree exactly."""
        plan = tdplan.load_plan()
        rng = random.Random(12)
        indicators = [i for i in plan.indicators if i.unit.value != "count"]
        cases = []
        for _ in range(1000):
            indicator = rng.choice(indicators)
            target = rng.choice(indicator.targets)
            step = Decimal(rng.choice(["0", "0.1", "0.01", "0.001", "1"])) * rng.choice([-1, 1])
            number = target.threshold + step
            text = rng.choice(
                [
                    str(number),
                    str(number).replace(".", ","),
                    f"{number}{SIGNS[target.unit.value]}",
                ]
            )
            year = rng.choice([*plan.years, 2020, 2031])
            groups = dict(target.disaggregation) or None
            cases.append((indicator.id, text, year, groups))
        for indicator_id, text, year, groups in cases:
            try:
                a = plan.assess(indicator_id, text, year=year, disaggregation=groups)
                expected = (a.status.value, str(a.value), str(a.margin))
            except tdplan.TdplanError as error:
                expected = (error.code, None, None)
            body = {"indicator": indicator_id, "value": text, "year": year, "disaggregation": groups}
            answer = client.post(f"{PLAN}/assess", json=body).json()
            verdict = answer["code"] if "code" in answer else answer["status"]
            actual = (verdict, answer.get("value"), answer.get("margin"))
            if expected[1] is not None:
                expected = (expected[0], format(Decimal(expected[1]), "f"), format(Decimal(expected[2]), "f"))
                actual = (actual[0], format(Decimal(actual[1]), "f"), format(Decimal(actual[2]), "f"))
            assert expected == actual, (indicator_id, text, year, groups)

    def test_batch_agrees(self, client):
        """The same random values in batches (one per group) give plan.assess's status or error code."""
        plan = tdplan.load_plan()
        rng = random.Random(7)
        for indicator in plan.indicators:
            if indicator.unit.value == "count":
                continue
            for groups in indicator.disaggregations:
                thresholds = [t.threshold for t in indicator.targets if t.disaggregation == groups]
                values = [
                    str(
                        rng.choice(thresholds)
                        + Decimal(rng.choice(["0", "0.1", "-0.1", "0.001", "-0.001", "1", "-1", "0.5"]))
                    )
                    for _ in range(40)
                ]
                values += ["1.234", "16,5", "-0.0", "1e2", "0.000000000000000001"]
                years = [rng.choice([*plan.years, 2031]) for _ in values]
                body = {
                    "indicator": indicator.id,
                    "year": years,
                    "values": values,
                    "disaggregation": dict(groups) or None,
                }
                answer = client.post(f"{PLAN}/assess/batch", json=body).json()
                codes = {p["index"]: p["code"] for p in answer["problems"]}
                for index, (value, year) in enumerate(zip(values, years, strict=True)):
                    try:
                        expected = plan.assess(
                            indicator.id, value, year=year, disaggregation=dict(groups) or None
                        ).status.value
                    except tdplan.TdplanError as error:
                        expected = error.code
                    assert expected == (answer["statuses"][index] or codes[index]), (indicator.id, value, year)


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """A server with a token, small limits and CORS for one origin."""
    folder = tmp_path_factory.mktemp("guarded")
    token = folder / "token"
    token.write_text("s3cret-token-of-the-province\n", "utf-8")
    running = Server(
        folder,
        "--token-file",
        str(token),
        "--max-body-bytes",
        "4000",
        "--timeout",
        "0.000001",
        "--cors-origin",
        "https://so-lieu.laichau.gov.vn",
    )
    yield running
    running.stop()


class TestLimitsAndSecurity:
    def test_no_token(self, guarded):
        """Without the token: 401, a problem, and a Bearer challenge."""
        response = httpx.get(f"{guarded.url}/v1/plans")
        assert (401, "Bearer", "unauthorized") == (
            response.status_code,
            response.headers["www-authenticate"],
            response.json()["code"],
        )

    def test_wrong_token(self, guarded):
        """A wrong token is refused."""
        response = httpx.get(
            f"{guarded.url}/v1/plans", headers={"Authorization": "Bearer s3cret-token-of-the-provincE"}
        )
        assert 401 == response.status_code

    def test_token(self, guarded):
        """The token from --token-file is accepted; /health needs none."""
        headers = {"Authorization": "Bearer s3cret-token-of-the-province"}
        assert 200 == httpx.get(f"{guarded.url}/v1/plans", headers=headers).status_code
        assert 200 == httpx.get(f"{guarded.url}/health").status_code

    def test_body_too_large(self, guarded):
        """A body over --max-body-bytes is a 413 problem."""
        headers = {"Authorization": "Bearer s3cret-token-of-the-province"}
        body = {"indicator": "3", "year": 2025, "values": ["1"] * 2000}
        response = httpx.post(f"{guarded.url}{PLAN}/assess/batch", json=body, headers=headers)
        assert (413, "too_large") == (response.status_code, response.json()["code"])

    def test_timeout(self, guarded):
        """Table work past --timeout is a 503 problem."""
        headers = {"Authorization": "Bearer s3cret-token-of-the-province"}
        body = {"indicator": "3", "year": 2025, "values": ["1"] * 300}
        response = httpx.post(f"{guarded.url}{PLAN}/assess/batch", json=body, headers=headers)
        assert (503, "timeout") == (response.status_code, response.json()["code"])

    def test_cors_configured(self, guarded):
        """A configured origin gets CORS headers."""
        headers = {"Origin": "https://so-lieu.laichau.gov.vn"}
        response = httpx.get(f"{guarded.url}/health", headers=headers)
        assert "https://so-lieu.laichau.gov.vn" == response.headers["access-control-allow-origin"]

    def test_no_cors_by_default(self, client):
        """Without --cors-origin no CORS header is sent."""
        response = client.get("/health", headers={"Origin": "https://example.org"})
        assert "access-control-allow-origin" not in response.headers

    def test_access_log(self, guarded):
        """Each request is one JSON line in the log: method, path, status; never the token."""
        httpx.get(f"{guarded.url}/health?secret=1")
        lines = [json.loads(line) for line in guarded.log.read_text("utf-8").splitlines() if line.startswith("{")]
        assert any(("GET", "/health", 200) == (line["method"], line["path"], line["status"]) for line in lines)
        assert "s3cret" not in guarded.log.read_text("utf-8")

    def test_environment_token(self, tmp_path):
        """TDPLAN_TOKEN sets the token when no file is given."""
        running = Server(tmp_path, "--no-access-log", env={"TDPLAN_TOKEN": "another-token-0123456789"})
        try:
            assert 401 == httpx.get(f"{running.url}/version").status_code
            ok = httpx.get(f"{running.url}/version", headers={"Authorization": "Bearer another-token-0123456789"})
            assert 200 == ok.status_code
        finally:
            running.stop()


class TestWithoutTheExtra:
    def test_missing_dependency(self):
        """Without Litestar, `tdplan serve` says which extra to install and exits 2."""
        code = "import sys; sys.modules['litestar'] = None; from tdplan.cli import main; sys.exit(main(['serve']))"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert 2 == result.returncode
        assert "pip install 'tdplan[serve]'" in result.stderr

    def test_import_tdplan_stays_cheap(self):
        """import tdplan loads neither Litestar nor the service."""
        code = "import sys, tdplan; print(any(m.startswith(('litestar', 'tdplan.service')) for m in sys.modules))"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert "False" == result.stdout.strip()


class TestPlainFloats:
    @given(
        st.lists(
            st.text(alphabet="0123456789.,-e 1\x00", max_size=19)
            | st.decimals(min_value=0, max_value=10**16, allow_nan=False, places=None).map(str)
            | st.from_regex(r"[0-9]{1,9}\.[0-9]{1,9}", fullmatch=True),
            max_size=50,
        )
    )
    def test_agrees_with_the_pattern(self, values):
        """The NumPy reading takes exactly the values FAST_VALUE matches, as the floats float() gives."""
        from tdplan.service.answers import FAST_VALUE, plain_floats

        expected = [float(value) if FAST_VALUE.fullmatch(value) else None for value in values]
        actual = [None if math.isnan(number) else float(number) for number in plain_floats(values)]
        assert expected == actual


class TestServeCommand:
    def test_missing_token_file(self, tmp_path):
        """A token file that cannot be read stops `tdplan serve` with exit status 2, said in Vietnamese."""
        command = [sys.executable, "-m", "tdplan", "serve", "--token-file", str(tmp_path / "khong-co")]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert 2 == result.returncode
        assert "không đọc được tệp mã truy cập: không có tệp hoặc thư mục này" in result.stderr

    def test_short_token(self, tmp_path):
        """A token under 16 characters is refused."""
        token = tmp_path / "token"
        token.write_text("ngan\n", "utf-8")
        command = [sys.executable, "-m", "tdplan", "serve", "--token-file", str(token), "--lang", "en"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert 2 == result.returncode
        assert "at least 16 characters" in result.stderr
