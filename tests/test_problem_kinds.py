"""Tables with many problems: each problem built when asked for, grouped by kind, and said by kind past 1,000."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import tdplan
from conftest import Server, write_odd_table
from tdplan.analysis import tables
from tdplan.analysis.problem_kinds import ProblemList
from tdplan.cli import main
from tdplan.reports.content import PROBLEMS_SHOWN

pytest.importorskip("pyarrow")

PLAN = tdplan.load_plan()
UNKNOWN_30 = "no indicator '30': the plan has 1–15, 15b, 16–25, 25b, 26–29"
UNKNOWN_31 = "no indicator '31': the plan has 1–15, 15b, 16–25, 25b, 26–29"
OUTSIDE_2035 = "year 2035 is outside the plan's period 2021–2030"


def write_failing(path: Path, rows: int) -> None:
    """``rows`` rows in fours: indicator 30 (unknown), 3 in 2025 (assessed), 3 in 2035 (outside the plan), 31."""
    cycle = ["30,5,2025,Xã 1", "3,16.5,2025,Xã 2", "3,16.5,2035,Xã 3", "31,1,2025,Xã 4"]
    lines = ["indicator,value,year,area", *(cycle[number % 4] for number in range(rows))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("failing") / "failing.csv"
    write_failing(path, 80_000)  # past BULK_BYTES: read by pyarrow, decided with NumPy
    return path


class TestProblemList:
    """A large table's problems, built when asked for."""

    def test_same_as_the_standard_reader(self, tmp_path: Path) -> None:
        """On a hostile table, every problem and the problem rows by indicator equal the scalar path's."""
        path = tmp_path / "odd.csv"
        write_odd_table(path, 40_000, "vi", ["Bản Bo", "=1+1", "x\ty"])
        fast = tdplan.assess_table(PLAN, path)
        _, rows, _ = tables.read_table(path)
        slow = tdplan.assess_table(PLAN, rows)
        assert isinstance(fast.problems, ProblemList)
        assert len(slow.problems) > 1000
        assert list(slow.problems) == list(fast.problems)
        assert [problem.message("vi") for problem in slow.problems] == [p.message("vi") for p in fast.problems]
        assert slow.problem_rows() == fast.problem_rows()

    def test_rows_and_indexing(self, failing: Path) -> None:
        """Three rows in four fail, in order; a problem is found by index, from the end too, and past it is an error."""
        problems = tdplan.assess_table(PLAN, failing).problems
        assert 60_000 == len(problems)
        assert [1, 3, 4, 5, 7, 8] == [problem.row for problem in problems[:6]]
        assert (80_000, "unknown_indicator", None) == (problems[-1].row, problems[-1].code, problems[-1].indicator)
        assert (79_999, "year", "3") == (problems[-2].row, problems[-2].code, problems[-2].indicator)
        with pytest.raises(IndexError):
            problems[60_000]


class TestProblemKinds:
    """Problems grouped by what they say."""

    def test_small_table(self) -> None:
        """Kinds in the order they first appear, each with its rows; one message, one kind."""
        card = PLAN.assess_table(
            [
                {"indicator": "30", "value": 5, "year": 2025},
                {"indicator": "3", "value": 16, "year": 2025},
                {"indicator": "30", "value": 7, "year": 2026},
                {"indicator": "3", "value": 16, "year": 2035},
                {"indicator": "31", "value": 1, "year": 2025},
                {"indicator": "3", "value": 17, "year": 2035},
            ]
        )
        kinds = card.problem_kinds("en")
        assert [(UNKNOWN_30, (1, 3)), (OUTSIDE_2035, (4, 6)), (UNKNOWN_31, (5,))] == [
            (kind.message, kind.rows) for kind in kinds
        ]
        assert [2, 2, 1] == kinds.counts
        assert ("UnknownIndicatorError", "3") == (kinds[0].problem.error, kinds[1].problem.indicator)

    def test_large_table(self, failing: Path) -> None:
        """80,000 rows in fours: 20,000 rows of each kind, the rows of each a step of four apart."""
        kinds = tdplan.assess_table(PLAN, failing).problem_kinds("en")
        assert [UNKNOWN_30, OUTSIDE_2035, UNKNOWN_31] == list(kinds.messages)
        assert [20_000] * 3 == kinds.counts
        assert tuple(range(3, 80_001, 4)) == kinds[1].rows
        assert tuple(range(4, 80_001, 4)) == kinds.rows_of(2)

    def test_row_by_row_problem_first(self, tmp_path: Path) -> None:
        """A problem the scalar path found (a value that is not a number) in row 1 is the first kind, before the
        kinds NumPy found by combination."""
        path = tmp_path / "t.csv"
        write_failing(path, 80_000)
        with path.open("r+", encoding="utf-8") as file:
            lines = file.read().splitlines()
            file.seek(0)
            file.write("\n".join([lines[0], "3,abc,2025,Xã 9", *lines[1:]]) + "\n")
        kinds = tdplan.assess_table(PLAN, path).problem_kinds("en")
        assert ["value_parse", "unknown_indicator", "year", "unknown_indicator"] == [p.code for p in kinds.firsts]
        assert [(1,), (2, 6, 10)] == [kinds.rows_of(0), kinds.rows_of(1)[:3]]


class TestSaidByKind:
    """Past PROBLEMS_SHOWN problems, the command line and the HTML, Markdown and xlsx reports say them by kind."""

    def test_command_line(self, failing: Path) -> None:
        """A line per kind with its count and first ten rows, then where every row's problem is; exit 1."""
        err = io.StringIO()
        status = main(["report", str(failing), "--format", "md"], io.StringIO(), err)
        assert 1 == status
        assert [
            f"{failing}: 20.000 dòng (1, 5, 9, 13, 17, 21, 25, 29, 33, 37, …): không có chỉ tiêu '30': kế hoạch có "
            "1–15, 15b, 16–25, 25b, 26–29",
            f"{failing}: 20.000 dòng (3, 7, 11, 15, 19, 23, 27, 31, 35, 39, …): năm 2035 nằm ngoài giai đoạn của kế "
            "hoạch 2021–2030",
            f"{failing}: 20.000 dòng (4, 8, 12, 16, 20, 24, 28, 32, 36, 40, …): không có chỉ tiêu '31': kế hoạch có "
            "1–15, 15b, 16–25, 25b, 26–29",
            f"{failing}: 60.000 dòng không đánh giá được, đã gộp theo từng loại lỗi ở trên; báo cáo CSV, Excel (xlsx) "
            "và JSON ghi lỗi của từng dòng ngay tại dòng đó",
        ] == err.getvalue().splitlines()

    def test_command_line_row_by_row(self, tmp_path: Path) -> None:
        """Up to PROBLEMS_SHOWN problems, each is a line with its row."""
        path = tmp_path / "t.csv"
        write_failing(path, 4 * (PROBLEMS_SHOWN // 3))  # 333 fours: 999 problems
        err = io.StringIO()
        assert 1 == main(["report", str(path), "--lang", "en", "--format", "json"], io.StringIO(), err)
        lines = err.getvalue().splitlines()
        assert 999 == len(lines)
        assert f"{path}: row 3: {OUTSIDE_2035}" == lines[1]

    def test_reports(self, failing: Path, tmp_path: Path) -> None:
        """HTML, Markdown and text list the kinds and say why; xlsx's problems sheet too, the counts as numbers."""
        card = tdplan.assess_table(PLAN, failing)
        cut = "The table has 60,000 rows that could not be assessed: this report shows them by kind"
        line = f"20,000 rows (4, 8, 12, 16, 20, 24, 28, 32, 36, 40, …): {UNKNOWN_31}"
        markdown = tdplan.render(card, "md", lang="en")
        assert cut in markdown
        assert f"- {line}" in markdown.replace("\\", "")
        assert "row 5:" not in markdown
        html = tdplan.render(card, "html", lang="en")
        assert cut in html
        assert ">20,000</td>" in html
        assert ">4, 8, 12, 16, 20, 24, 28, 32, 36, 40, …</td>" in html
        assert line in tdplan.render(card, "table", lang="en")
        openpyxl = pytest.importorskip("openpyxl")
        tdplan.write_report(card, tmp_path / "r.xlsx", lang="en")
        sheet = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True).worksheets[2]
        found = [tuple(row) for row in sheet.iter_rows(values_only=True)]
        assert found[0][0].startswith(cut)
        assert [
            ("Rows", "First rows", "Rows with problems"),
            (20000, "1, 5, 9, 13, 17, 21, 25, 29, 33, 37, …", UNKNOWN_30),
        ] == [
            found[1],
            found[2],
        ]
        assert 5 == len(found)

    def test_json_every_row(self, failing: Path) -> None:
        """JSON still gives every problem in its row: 60,000, each with its error, code and message."""
        report = json.loads(tdplan.render(tdplan.assess_table(PLAN, failing), "json", lang="en"))
        problems = report["problems"]
        assert 60_000 == len(problems)
        assert {"row": 3, "error": "YearError", "code": "year", "message": OUTSIDE_2035} == (problems[1])
        assert [number for number in range(1, 80_001) if number % 4 != 2] == [problem["row"] for problem in problems]
        assert {(1, UNKNOWN_30), (3, OUTSIDE_2035), (0, UNKNOWN_31)} == {(p["row"] % 4, p["message"]) for p in problems}
        assert tuple(range(3, 80_001, 4)) == tuple(report["indicators"][2]["problem_rows"])


class TestService:
    """The web service's strict answer for a large table whose rows mostly fail."""

    def test_strict_upload(self, server: Server, failing: Path) -> None:
        """422 with every one of the 60,000 row problems, each with its row, code and message."""
        httpx = pytest.importorskip("httpx")
        with httpx.Client(base_url=server.url, timeout=60) as client, failing.open("rb") as file:
            response = client.post(
                "/v1/plans/tam-duong-2021-2030/scorecard/upload?strict=true&lang=en",
                files={"file": ("failing.csv", file, "text/csv")},
            )
        problems = response.json()["problems"]
        assert (422, 60_000) == (response.status_code, len(problems))
        assert {"row": 80_000, "code": "unknown_indicator", "message": UNKNOWN_31} == problems[-1]
        assert {"row": 3, "code": "year", "message": OUTSIDE_2035} == problems[1]
