"""JSON and CSV reports written row by row: the same text as render(), valid at any length, used by the CLI."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tdplan
from tdplan.cli.main import main
from tdplan.reports.json_format import compact_json, json_text
from tdplan.reports.render import render, write_report

PLAN = tdplan.load_plan()
ROWS = [
    {"indicator": "3", "year": 2025, "area": "Bản Bo", "value": "16,5‰", "ghi chú": "=1+1"},
    {"indicator": "30", "year": 2025, "area": "Bản Bo", "value": "1%"},
    {"indicator": "3", "year": 2024, "area": "Khun Há", "numerator": 1, "denominator": 300},
    {"indicator": "3", "year": 2025, "area": "Tả Lèng", "value": "19‰"},
]


def _table(path: Path, rows: int) -> dict[str, int]:
    """Write ``rows`` rows of indicators 3 and 9 to a CSV file; how many rows each indicator got."""
    generator = random.Random(14)
    counted = {"3": 0, "9": 0}
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write("indicator,value,year,area\n")
        for _ in range(rows):
            indicator = generator.choice(["3", "9"])
            counted[indicator] += 1
            value = generator.randint(0, 300) / 10
            file.write(f"{indicator},{value},{generator.randint(2021, 2030)},Xã {generator.randint(1, 14)}\n")
    return counted


def _report_layout(document: Any) -> str:
    """The layout a report promises, made from json.dumps: indented two spaces, but each row and each problem on
    one compact line, and each list of whole numbers on one line."""
    one_line: list[str] = []

    def mark(value: Any, compact: bool = False) -> Any:
        if compact or (isinstance(value, list) and value and all(type(item) is int for item in value)):
            one_line.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
            return f"\ue000{len(one_line) - 1}\ue001"
        if isinstance(value, dict):
            return {key: mark(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mark(item) for item in value]
        return value

    marked = {
        key: [mark(item, True) for item in value] if key in ("rows", "problems") else mark(value)
        for key, value in document.items()
    }
    text = json.dumps(marked, ensure_ascii=False, indent=2)
    return re.sub('"\ue000([0-9]+)\ue001"', lambda found: one_line[int(found[1])], text) + "\n"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


class TestJsonText:
    """json_text writes what json.dumps(indent=2, ensure_ascii=False) writes, whole-number lists on one line."""

    @given(json_values)
    def test_same_as_json_dumps(self, value: Any) -> None:
        """Any JSON value, nested or not, comes out as the standard library's indented text but for number lists."""
        assert _report_layout({"v": value}) == "{\n" + '  "v": ' + json_text(value, 1) + "\n}\n"

    @given(json_values)
    def test_compact(self, value: Any) -> None:
        """compact_json writes what json.dumps(separators=(",", ":"), ensure_ascii=False) writes."""
        assert json.dumps(value, ensure_ascii=False, separators=(",", ":")) == compact_json(value)

    @given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=50))
    def test_row_numbers_digits(self, numbers: list[int]) -> None:
        """A large table's row numbers, written by NumPy, are the digits str() writes, comma-separated."""
        numpy = pytest.importorskip("numpy")
        from tdplan.reports import json_format

        assert ",".join(map(str, numbers)) == json_format._digits(numpy.array(numbers, dtype=numpy.int64))

    def test_numbers_on_one_line(self) -> None:
        """A list of whole numbers is one line however deep; a list of texts keeps a line per item."""
        assert '{\n  "rows": [3,1,2],\n  "ids": [\n    "3"\n  ]\n}' == json_text({"rows": [3, 1, 2], "ids": ["3"]})

    def test_nested_level(self) -> None:
        """Nested one level deep, the items are indented four spaces and the bracket two."""
        assert '[\n    1,\n    "đạt"\n  ]' == json_text([1, "đạt"], 1)


class TestStreamedJson:
    """write_report streams JSON row by row: the same bytes as render(), and valid JSON."""

    def test_file_is_render_text(self, tmp_path: Path) -> None:
        """A small table with a problem, a rate from counts and an extra column: file == render(), both languages."""
        card = PLAN.assess_table(ROWS)
        for lang in ("vi", "en"):
            written = write_report(card, tmp_path / f"r-{lang}.json", lang=lang)
            assert render(card, "json", lang=lang).encode("utf-8") == written.read_bytes()

    def test_layout_is_json_dumps(self) -> None:
        """The report is indented as json.dumps(indent=2) lays out its content, but rows and number lists."""
        text = render(PLAN.assess_table(ROWS), "json", lang="en")
        assert _report_layout(json.loads(text)) == text

    def test_a_row_a_line(self) -> None:
        """Each of the 4 rows and the one problem is one line, compact, whose JSON is that row; the rest indented."""
        text = render(PLAN.assess_table(ROWS), "json", lang="en")
        lines = text.splitlines()
        rows = [line.strip().rstrip(",") for line in lines if line.startswith('    {"row":')]
        assert 4 + 1 == len(rows)  # four rows, then row 2's problem
        assert [1, 2, 3, 4, 2] == [json.loads(row)["row"] for row in rows]
        assert [json.dumps(json.loads(row), ensure_ascii=False, separators=(",", ":")) for row in rows] == rows
        first = json.loads(rows[0])
        assert ("3", "16.5", "<", "18", "1.5", "met") == tuple(
            first[key] for key in ("indicator", "value", "comparator", "threshold", "margin", "status")
        )
        assert {"row": 2, "code": "unknown_indicator"} == {key: json.loads(rows[4])[key] for key in ("row", "code")}
        indicator = text.split('"id": "3",')[1]
        assert '"rows": [1,3,4],' in indicator.split("}")[0]
        assert '  "summary": {\n    "rows": 4,\n    "assessed": 3,\n    "problems": 1,' in text

    def test_facts(self) -> None:
        """Indicator 3 has rows 1, 3 and 4; row 1 meets < 18‰ in 2025; row 2 names no indicator of the plan."""
        document = json.loads(render(PLAN.assess_table(ROWS), "json"))
        indicator = next(item for item in document["indicators"] if item["id"] == "3")
        assert [1, 3, 4] == indicator["rows"]
        assert "16,5‰ < 18‰: đạt chỉ tiêu năm 2025" == document["rows"][0]["explanation"]
        assert "19‰ ≥ 18‰: không đạt chỉ tiêu năm 2025 (cần < 18‰)" == document["rows"][3]["explanation"]
        assert [2] == [problem["row"] for problem in document["problems"]]

    def test_no_rows(self, tmp_path: Path) -> None:
        """A table of headings only: an empty list of rows, and the file still equals render()."""
        table = tmp_path / "empty.csv"
        table.write_text("indicator,value,year\n", encoding="utf-8")
        card = PLAN.assess_table(str(table))
        written = write_report(card, tmp_path / "empty.json")
        assert [] == json.loads(written.read_text("utf-8"))["rows"]
        assert render(card, "json").encode("utf-8") == written.read_bytes()

    def test_large_table(self, tmp_path: Path) -> None:
        """20,000 generated rows: valid JSON, every row in order, each indicator's rows counted as generated."""
        table = tmp_path / "t.csv"
        counted = _table(table, 20_000)
        written = write_report(PLAN.assess_table(str(table)), tmp_path / "r.json")
        document = json.loads(written.read_text("utf-8"))
        assert list(range(1, 20_001)) == [row["row"] for row in document["rows"]]
        by_indicator = {item["id"]: len(item["rows"]) for item in document["indicators"] if item["rows"]}
        assert counted == by_indicator


class TestStreamedCsv:
    """write_report streams CSV row by row: the same bytes as render()."""

    def test_file_is_render_text(self, tmp_path: Path) -> None:
        """File == render() in both languages; the formula-like extra cell is made inert."""
        card = PLAN.assess_table(ROWS)
        for lang in ("vi", "en"):
            written = write_report(card, tmp_path / f"r-{lang}.csv", lang=lang)
            assert render(card, "csv", lang=lang).encode("utf-8") == written.read_bytes()
        assert "'=1+1" in (tmp_path / "r-vi.csv").read_text("utf-8")

    def test_large_table(self, tmp_path: Path) -> None:
        """20,000 generated rows: a byte order mark, a heading, then the rows numbered 1 to 20,000 in order."""
        table = tmp_path / "t.csv"
        _table(table, 20_000)
        written = write_report(PLAN.assess_table(str(table)), tmp_path / "r.csv")
        raw = written.read_bytes()
        assert b"\xef\xbb\xbf" == raw[:3]
        lines = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
        assert [str(number) for number in range(1, 20_001)] == [line[0] for line in lines[1:] if line[0]]


class TestCommand:
    """`tdplan report -o x.json|x.csv` writes what render() returns."""

    def test_cli_writes_streamed_files(self, tmp_path: Path) -> None:
        """The command's JSON and CSV files equal render() of the same table, source named as the command names it."""
        table = tmp_path / "bang.csv"
        table.write_text('chỉ tiêu,năm,giá trị\n3,2025,"16,5‰"\n9,2025,97%\n', encoding="utf-8")
        card = PLAN.assess_table(str(table))
        for fmt in ("json", "csv"):
            out = tmp_path / f"bao-cao.{fmt}"
            assert 0 == main(["report", str(table), "-o", str(out)], io.StringIO(), io.StringIO())
            assert render(card, fmt, source=str(table)).encode("utf-8") == out.read_bytes()  # type: ignore[call-overload]


class TestRowsShown:
    """HTML, Markdown and text show the first 1,000 rows one by one, say so, and keep every problem and count."""

    @staticmethod
    def _card(tmp_path: Path) -> tdplan.Scorecard:
        """1,003 rows: 1,002 of indicator 3 at 16.5‰ in 2025 (met), and row 1,003 naming indicator 99."""
        table = tmp_path / "long.csv"
        lines = ["indicator,value,year"] + ["3,16.5,2025"] * 1002 + ["99,1,2025"]
        table.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return PLAN.assess_table(str(table))

    def test_markdown(self, tmp_path: Path) -> None:
        """1,000 row lines under "Every row", the sentence in both languages, row 1,003's problem still listed."""
        card = self._card(tmp_path)
        english = render(card, "md", lang="en")
        section = english.split("## Every row")[1].split("\n## ")[0]
        assert 1000 == sum(1 for line in section.splitlines() if line.startswith("| ") and line[2].isdigit())
        assert "This report shows the first 1,000 of the table's 1,003 rows one by one" in english
        assert "- row 1003: " in english
        vietnamese = render(card, "md", lang="vi")
        assert "chỉ liệt kê từng dòng cho 1.000 dòng đầu tiên trong tổng số 1.003 dòng" in vietnamese
        assert "tdplan report TỆP -o bao-cao.csv" in vietnamese

    def test_html(self, tmp_path: Path) -> None:
        """1,000 rows with a verdict, the sentence, the problem of row 1,003, and the count of 1,002 met rows."""
        card = self._card(tmp_path)
        page = render(card, "html", lang="en")
        assert 1000 == page.count('<tr data-status="met">')
        assert "the first 1,000 of the table&#x27;s 1,003 rows" in page
        assert '<tr data-status="problem"><td class="num" data-label="Row">1003</td>' in page
        assert "<b>1,002</b>" in page

    def test_text(self, tmp_path: Path) -> None:
        """The terminal table too: 1,000 met rows under "Every row", the sentence, and row 1,003's problem."""
        card = self._card(tmp_path)
        text = render(card, "table", lang="en")
        section = text.split("\nEvery row\n")[1].split("\nRows with problems\n")[0]
        assert 1000 == sum(1 for line in section.splitlines() if line.lstrip()[:1].isdigit())
        assert "This report shows the first 1,000 of the table's 1,003 rows one by one" in section
        assert "row 1003: no indicator '99'" in text

    def test_short_table_says_nothing(self) -> None:
        """A table of 1,000 rows or fewer is shown whole, with no sentence about a cut."""
        card = PLAN.assess_table(ROWS)
        assert "first" not in render(card, "md", lang="en").split("## Every row")[1].split("\n## ")[0]
        assert 'class="meta cut"' not in render(card, "html", lang="en")


class TestOddText:
    """Text no UTF-8 file can hold still renders as before."""

    def test_lone_surrogate_cell(self) -> None:
        """A cell holding a lone surrogate is kept, and laid out as json.dumps lays it out."""
        card = PLAN.assess_table([{"indicator": "3", "year": 2025, "value": "16,5‰", "ghi chú": "a\udcffb"}])
        text = render(card, "json")
        assert "a\udcffb" == json.loads(text)["rows"][0]["cells"]["ghi chú"]
        assert _report_layout(json.loads(text)) == text


class TestLoneSurrogate:
    """A cell holding a lone surrogate is written, never a raw UnicodeEncodeError or a half-written file."""

    @pytest.mark.parametrize("suffix", ["json", "csv", "md", "html", "table"])
    def test_written(self, tmp_path: Path, suffix: str) -> None:
        """The JSON report reads back to the same cell; the other formats are written whole."""
        card = tdplan.load_plan().assess_table(
            [{"indicator": "3", "value": "16,5‰", "year": 2025, "ghi chú": "x\udc80y"}]
        )
        target = tmp_path / f"report.{'txt' if suffix == 'table' else suffix}"
        tdplan.write_report(card, target, format=suffix)
        text = target.read_text("utf-8")
        if suffix == "json":
            assert "x\udc80y" == json.loads(text)["rows"][0]["cells"]["ghi chú"]
        assert "16,5‰" in text
        assert [target.name] == [path.name for path in tmp_path.iterdir()]
