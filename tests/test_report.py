"""Reports of a scorecard: terminal table, Markdown, HTML, JSON and CSV, in Vietnamese and English."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import unicodedata
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tdplan
from tdplan import Status
from tdplan.core.text import display_width
from tdplan.reports.html_format import summary_html
from tdplan.reports.json_format import report_schema
from tdplan.reports.render import REPORT_FORMATS, render

PLAN = tdplan.load_plan()
ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "data" / "bang-so-lieu-mau.csv"
CARD = PLAN.assess_table(EXAMPLE)
LANGS = ("vi", "en")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

HOSTILE = [
    {"indicator": "3", "year": 2025, "area": unicodedata.normalize("NFD", "Tả Lèng"), "value": "16,5‰"},
    {"indicator": "3", "year": 2024, "area": "越南 Bản Bo", "numerator": 1, "denominator": 3},
    {"indicator": "9", "year": 2025, "area": "A|B <script>alert(1)</script>", "value": "95%", "note": "=1+1"},
    {"indicator": "30", "year": 2025, "area": "\x1b[31mKhun Há", "value": "1%", "note": '=HYPERLINK("http://x","y")'},
    {"indicator": "<b>3</b>", "year": 2025, "area": "@SUM(A1)", "value": "1%", "note": "+1"},
    {"indicator": "16", "year": 2022, "area": "-2+3", "value": "100%", "note": "-2+3"},
    {"indicator": "12", "year": 2027, "area": "\tTab", "value": "99%", "note": "@SUM(A1:A9)"},
    {"indicator": "20", "year": 2025, "area": "\rCR", "value": "36%", "age": "2-3", "note": "＝1+1"},
]
"""Rows that test measuring, escaping and neutralising: NFD accents, wide characters, markup, formulas, controls."""
HOSTILE_CARD = PLAN.assess_table(HOSTILE)


class _Tree(HTMLParser):
    """An HTML parser that checks every element is closed in order and records tags, ids and text."""

    VOID = frozenset({"meta", "br", "link", "img", "hr", "input", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> _Tree:
    tree = _Tree()
    tree.feed(text)
    tree.close()
    return tree


def columns_of(rule: str) -> list[tuple[int, int]]:
    """The (start, end) display columns of each column, from the rule under the headings."""
    return [(match.start(), match.end()) for match in re.finditer("─+", rule)]


def cut(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """A line cut at display columns: the text in each span, and whether anything lies between spans."""
    chars: list[str] = []
    for char in unicodedata.normalize("NFC", line):
        chars += [char] + [""] * (display_width(char) - 1) if display_width(char) else []
        if not display_width(char) and chars:
            chars[-1] += char
    return ["".join(chars[start:end]).strip() for start, end in spans]


def section(text: str, heading: str) -> list[str]:
    """The lines of a terminal report's section, from its heading to the next blank line."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


class TestDisplayWidth:
    """display_width: the columns text takes at a terminal."""

    @pytest.mark.parametrize(
        ("expected", "text"),
        [
            (7, "Tả Lèng"),
            (7, unicodedata.normalize("NFD", "Tả Lèng")),
            (7, unicodedata.normalize("NFD", "Đường ệ")),
            (4, "越南"),
            (2, "Ａ\u0301"),
            (0, "\u200b\x1b"),
            (1, "‰"),
        ],
    )
    def test_widths(self, expected: int, text: str) -> None:
        """Combining marks and controls take 0 columns, East Asian wide and full-width characters 2."""
        assert expected == display_width(text)


def workbook_text(data: bytes) -> str:
    """Every cell of a workbook's every sheet, as text, one line per row."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    lines = [
        "\t".join("" if cell is None else str(cell) for cell in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    return "\n".join(lines)


_FORMAT_MODULES = [
    ("table", "table"), ("md", "markdown"), ("html", "html"), ("json", "json"), ("csv", "csv"), ("xlsx", "xlsx"),
]  # fmt: skip


class TestRender:
    """render(): every format in both languages, and its arguments checked."""

    @pytest.mark.parametrize("lang", LANGS)
    @pytest.mark.parametrize("fmt", REPORT_FORMATS)
    def test_every_format_and_language(self, fmt: str, lang: str) -> None:
        """Each format renders in each language, with the plan's title in that language (CSV: the labels)."""
        output = render(CARD, fmt, lang=lang)
        text = workbook_text(output) if isinstance(output, bytes) else output
        words = {"vi": ("đạt", "Kế hoạch thực hiện"), "en": ("met", "Plan for implementing")}[lang]
        assert words[0] in text
        if fmt != "csv":
            assert words[1] in text

    @pytest.mark.parametrize(
        ("call", "fmt", "module"),
        [
            *((call, fmt, f"{name}_format") for call in ("render", "write_report") for fmt, name in _FORMAT_MODULES),
            ("stream_report", "json", "json_format"),
            ("stream_report", "csv", "csv_format"),
        ],
    )
    def test_loads_only_its_format(self, call: str, fmt: str, module: str, tmp_path: Path) -> None:
        """A report imports its own format's module and no other's (the xlsx one is 20 ms alone)."""
        calls = {
            "render": "render(card, fmt)",
            "write_report": f"write_report(card, {str(tmp_path / ('out.' + fmt))!r}, fmt)",
            "stream_report": "stream_report(card, io.StringIO(), fmt)",
        }
        code = (
            "import io, sys, tdplan\n"
            "from tdplan.reports.render import render, stream_report, write_report\n"
            "card = tdplan.load_plan().assess_table([{'indicator': '3', 'value': '16,5', 'year': 2025}])\n"
            f"fmt = {fmt!r}\n"
            f"{calls[call]}\n"
            "print(sorted(name.rpartition('.')[2] for name in sys.modules if name.endswith('_format')))\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
        assert f"['{module}']" == done.stdout.strip()

    def test_languages_differ(self) -> None:
        """Vietnamese and English reports say the same thing in different words and notations."""
        vi, en = render(CARD, "table", lang="vi"), render(CARD, "table", lang="en")
        assert ("0,08%" in vi, "0.08%" in en, "không đạt 8" in vi, "not met 8" in en) == (True,) * 4

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"format": "pdf"}, "unknown report format 'pdf': use table, md, html, json, csv"),
            ({"lang": "fr"}, "unknown language 'fr': use 'vi' or 'en'"),
            ({"by": "commune"}, "cannot roll up by 'commune': use goal, agency, area or year"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, Any], message: str) -> None:
        """An unknown format, language or roll-up is an InputTypeError (a TypeError) that lists the valid ones."""
        with pytest.raises(tdplan.InputTypeError, match=re.escape(message)) as caught:
            render(CARD, **kwargs)
        assert isinstance(caught.value, TypeError)

    @pytest.mark.parametrize("fmt", ["table", "md", "html"])
    def test_by(self, fmt: str) -> None:
        """The default shows the goal and agency roll-ups; by= shows only the one it names."""
        default = render(CARD, fmt, lang="en")
        by_area = render(CARD, fmt, lang="en", by="area")
        assert (True, True, False) == ("By goal" in default, "By lead office" in default, "By area" in default)
        assert (False, False, True) == ("By goal" in by_area, "By lead office" in by_area, "By area" in by_area)


class TestTable:
    """The terminal table."""

    def test_example(self) -> None:
        """The example table: headline, counts, roll-ups, one line per row, and the indicators without figures."""
        text = render(CARD, "table", lang="en", source="bang-so-lieu-mau.csv")
        lines = text.splitlines()
        assert "Table bang-so-lieu-mau.csv: 29 rows, 29 assessed, 0 with problems" == lines[1]
        assert "met 13 · ahead 3 · pending 5 · not met 8" == lines[2]
        assert 31 == len(section(text, "Every row"))
        assert "Indicators without figures: 1, 2, 4, 11, 13, 15b, 18, 25, 25b" == lines[-1]

    @pytest.mark.parametrize("lang", LANGS)
    def test_columns_line_up(self, lang: str) -> None:
        """Every cell lies within its column, measured in display columns, with NFD, wide and control characters."""
        text = render(HOSTILE_CARD, "table", lang=lang)
        heading = "Từng dòng" if lang == "vi" else "Every row"
        lines = section(text, heading)
        spans = columns_of(lines[1])
        width = spans[-1][1]
        for line in lines[2:]:
            assert display_width(line) <= width
            assert 8 == len(cut(line, spans))
        cells = [cut(line, spans) for line in lines[2:]]
        assert ["1", "3", "2025", "Tả Lèng"] == cells[0][:4]
        assert ["2", "3", "2024", "越南 Bản Bo"] == cells[1][:4]
        assert cells[1][4].startswith("≈ 333")
        assert [str(n) for n in range(1, 9)] == [row[0] for row in cells]
        for row in lines[2:]:  # right-aligned numbers end where their column ends
            number = row[: spans[0][1]]
            assert number.endswith(number.strip())

    @given(
        st.lists(
            st.text(alphabet="aăâđêôơưyÀÁẢÃẠĐ \u0300\u0301\u0303\u0309\u0323越南Ａ\x1b\t|<>", max_size=30),
            min_size=1,
            max_size=5,
        )
    )
    def test_columns_line_up_for_any_area(self, areas: list[str]) -> None:
        """Whatever the areas hold, the columns after them start at the same display column on every line."""
        card = PLAN.assess_table([{"indicator": "3", "year": 2025, "area": area, "value": "16,5‰"} for area in areas])
        lines = section(render(card, "table"), "Từng dòng")
        spans = columns_of(lines[1])
        for line in lines[2:]:
            assert ["16,5‰", "< 18‰ (2025)", "+1,5‰", "đạt"] == cut(line, spans)[4:]

    def test_rollups_line_up(self) -> None:
        """Roll-up lines are as wide as their rule, whatever the Vietnamese in the labels."""
        lines = section(render(CARD, "table"), "Theo cơ quan chủ trì")
        spans = columns_of(lines[1])
        assert {spans[-1][1]} == {display_width(line) for line in lines[2:]}
        assert ["Phòng Y tế, Trung tâm y tế", "14", "5", "3", "3", "3", "57%"] == cut(lines[6], spans)

    def test_no_control_characters(self) -> None:
        """An escape sequence in a cell cannot reach the terminal: controls become U+FFFD."""
        text = render(HOSTILE_CARD, "table")
        assert "\x1b" not in text
        assert "\ufffd[31mKhun Há" in text

    def test_colour(self) -> None:
        """Colours only with color=True, and removing them gives the plain table."""
        plain = render(CARD, "table")
        coloured = render(CARD, "table", color=True)
        assert "\x1b" not in plain
        assert "\x1b[31mkhông đạt 8\x1b[0m" in coloured
        assert plain == ANSI.sub("", coloured)

    def test_problems_listed(self) -> None:
        """Rows with problems appear in the table as 'problem' and are listed with their messages."""
        text = render(HOSTILE_CARD, "table", lang="en")
        assert ["row 4: no indicator '30': the plan has 1–15, 15b, 16–25, 25b, 26–29"] == [
            line for line in section(text, "Rows with problems") if line.startswith("row 4")
        ]
        assert section(text, "Every row")[5].endswith("problem")


class TestMarkdown:
    """The Markdown report."""

    def test_structure(self) -> None:
        """A title, a section per roll-up and for the rows, a table row per row of the table."""
        text = render(CARD, "md", lang="en")
        lines = text.splitlines()
        assert "# Plan for implementing the Action Programme for Children in Tam Đường District, 2021–2030" == lines[0]
        headings = [line for line in lines if line.startswith("## ")]
        checks = [
            "## Figures that disagree (consistency rules)",
            "## Figures to check again (a jump since the previous period)",
            "## Completeness by area (reporting rate)",
            "## Completeness by indicator (✓ present, — missing)",
        ]
        assert ["## By goal", "## By lead office", "## Every row", *checks, "## Indicators without figures"] == headings
        every_row = text.split("## Every row")[1].split("## ")[0]
        rows = [line for line in every_row.splitlines() if re.match(r"\| \d+ \| ", line)]
        assert 29 == len(rows)
        assert rows[0].startswith("| 1 | 9 | Proportion of children under 1 fully immunised with 8 vaccines |")

    def test_escaped(self) -> None:
        """Pipes, markup and HTML in cells are escaped, so every table row keeps its 9 cells."""
        text = render(HOSTILE_CARD, "md", lang="en")
        assert r"A\|B \<script>alert(1)\</script>" in text
        assert r"\<b>3\</b>" in text
        rows_and_rollups = text.split("## Figures that disagree")[0]  # the checks' tables have their own widths
        for line in rows_and_rollups.splitlines():
            if line.startswith("| ") and "Every row" not in line:
                assert len(re.split(r"(?<!\\)\|", line)) - 2 in (7, 9)


class TestHtml:
    """The self-contained HTML report."""

    @pytest.mark.parametrize("lang", LANGS)
    def test_parses_and_has_every_indicator(self, lang: str) -> None:
        """The page parses with every element closed and has a cell for every indicator of the plan."""
        tree = parse_html(render(CARD, "html", lang=lang))
        assert ([], []) == (tree.errors, tree.open)
        ids = [attrs["id"] for tag, attrs in tree.tags if tag == "td" and attrs.get("id")]
        assert [f"indicator-{indicator.id}" for indicator in PLAN.indicators] == ids
        assert ("html", {"lang": lang}) == tree.tags[0]

    def test_self_contained(self) -> None:
        """No scripts, no links, no images, nothing to fetch; a policy that forbids it anyway; styles inline."""
        text = render(CARD, "html")
        tree = parse_html(text)
        tags = {tag for tag, _ in tree.tags}
        assert set() == tags & {"script", "link", "img", "iframe", "object", "embed"}
        assert [] == [attrs for _, attrs in tree.tags if {"src", "href", "onload", "onclick"} & attrs.keys()]
        assert "url(" not in text
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; ' in text

    def test_content(self) -> None:
        """The plan's title, each goal, each status in words and the value, target and margin of a row."""
        tree = parse_html(render(CARD, "html", lang="en"))
        words = " ".join(tree.text)
        assert "Plan for implementing the Action Programme for Children in Tam Đường District, 2021–2030" in words
        for goal in PLAN.goals:
            assert f"Goal {goal.number}: {goal.title('en')}" in words
        for status in Status:
            assert status.label("en") in words
        rows = [attrs for tag, attrs in tree.tags if tag == "tr" and attrs.get("data-status")]
        assert 29 + 9 == len(rows)
        for shown in ("0.08%", "< 0.1% (2025, rural)", "+0.02%"):
            assert shown in words

    def test_escaped(self) -> None:
        """Markup in the table is shown as text, never as elements."""
        text = render(HOSTILE_CARD, "html", lang="en")
        tree = parse_html(text)
        assert "script" not in {tag for tag, _ in tree.tags}
        assert "A|B &lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "<b>3</b>" in " ".join(tree.text)
        assert ([], []) == (tree.errors, tree.open)

    def test_summary_html(self) -> None:
        """The Jupyter summary: counts and the goal roll-up, no scripts; Scorecard._repr_html_ gives it."""
        text = summary_html(CARD, "en")
        tree = parse_html(text)
        assert ([], []) == (tree.errors, tree.open)
        assert {"script", "style"}.isdisjoint(tag for tag, _ in tree.tags)
        assert 1 + 4 == sum(tag == "tr" for tag, _ in tree.tags)
        assert summary_html(CARD) == CARD._repr_html_()


class TestJson:
    """The JSON report and its schema."""

    SCHEMA = json.loads(report_schema())

    def validate(self, document: Any) -> None:
        jsonschema.Draft202012Validator.check_schema(self.SCHEMA)
        jsonschema.Draft202012Validator(self.SCHEMA).validate(document)

    @pytest.mark.parametrize("by", [None, "goal", "agency", "area", "year"])
    @pytest.mark.parametrize("lang", LANGS)
    def test_matches_schema(self, lang: str, by: str | None) -> None:
        """Every JSON report round-trips through json.loads and matches the shipped schema."""
        for card in (CARD, HOSTILE_CARD):
            document = json.loads(render(card, "json", lang=lang, by=by))
            self.validate(document)
            assert ["goal", "agency"] if by is None else [by] == list(document["rollups"])

    def test_schema_rejects_drift(self) -> None:
        """The schema is strict: an extra field or a float value does not match."""
        document = json.loads(render(CARD, "json"))
        document["rows"][0]["value"] = 95.0
        with pytest.raises(jsonschema.ValidationError):
            self.validate(document)
        document = json.loads(render(CARD, "json"))
        document["extra"] = 1
        with pytest.raises(jsonschema.ValidationError):
            self.validate(document)

    def test_exact_numbers(self) -> None:
        """Values, thresholds and margins are decimal strings equal to the assessment's exact decimals."""
        document = json.loads(render(CARD, "json"))
        for row, scored in zip(document["rows"], CARD.rows, strict=True):
            a = scored.assessment
            assert a is not None
            assert (a.value, a.target.threshold, a.margin) == tuple(
                Decimal(row[key]) for key in ("value", "threshold", "margin")
            )
        first = document["rows"][0]
        assert ("9", "95", "97.2", "-2.2", ">=", "not_met", True) == (
            first["indicator"],
            first["value"],
            first["threshold"],
            first["margin"],
            first["comparator"],
            first["status"],
            first["exact"],
        )

    def test_rows_and_problems(self) -> None:
        """A problem row has its number, cells and problem and nulls for the rest; inexact rates say so."""
        document = json.loads(render(HOSTILE_CARD, "json", lang="en"))
        problem = document["rows"][3]
        assert (4, None, None, "UnknownIndicatorError") == (
            problem["row"],
            problem["status"],
            problem["value"],
            problem["problem"]["error"],
        )
        assert '=HYPERLINK("http://x","y")' == problem["cells"]["note"]
        assert [4, 5] == [p["row"] for p in document["problems"]]
        thirds = document["rows"][1]
        assert (False, "333.3333333333333333333333333333333") == (thirds["exact"], thirds["value"])
        assert {"rows": 8, "assessed": 6, "problems": 2} == {
            key: document["summary"][key] for key in ("rows", "assessed", "problems")
        }

    def test_every_indicator(self) -> None:
        """The indicators list has every indicator of the plan with the rows assessed against it."""
        document = json.loads(render(CARD, "json"))
        assert [indicator.id for indicator in PLAN.indicators] == [item["id"] for item in document["indicators"]]
        three = next(item for item in document["indicators"] if item["id"] == "3")
        assert ([6, 7, 8, 9], {"met": 0, "not_met": 0, "ahead": 2, "pending": 2}) == (three["rows"], three["counts"])

    def test_schema_documented(self) -> None:
        """Every field of the schema is named in docs/report-json.md."""
        page = (ROOT / "docs" / "report-json.md").read_text(encoding="utf-8")
        names: set[str] = set()

        def collect(node: Any) -> None:
            if isinstance(node, dict):
                names.update(node.get("properties", {}))
                for value in node.values():
                    collect(value)
            elif isinstance(node, list):
                for value in node:
                    collect(value)

        collect(self.SCHEMA)
        assert set() == {name for name in names if f"`{name}`" not in page}


class TestCsv:
    """The CSV report: Excel-safe."""

    def read(self, text: str) -> list[list[str]]:
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:], newline="")))

    def test_bom_and_vietnamese(self) -> None:
        """The report starts with a UTF-8 byte order mark, and Vietnamese survives the bytes."""
        data = render(CARD, "csv").encode("utf-8")
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert "Dòng" == rows[0][0]
        assert "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ 8 loại vắc xin" == rows[1][2]
        # The header, 29 rows, then a row per missing figure (22 indicators × 5 areas × 4 periods, 28 there).
        assert 1 + 29 + 440 - 28 == len(rows)

    ATTACKS = ('=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "＝1+1", " =1+1", "-5")

    def test_injection_inert(self) -> None:
        """Text cells that start like formulas get a leading apostrophe; other text is left alone."""
        rows = [{"indicator": "3", "value": "16,5‰", "year": 2025, "note": note} for note in (*self.ATTACKS, "ok")]
        read = self.read(render(PLAN.assess_table(rows), "csv", lang="en"))
        note = read[0].index("note")
        assert [f"'{attack}" for attack in self.ATTACKS] + ["ok"] == [row[note] for row in read[1:]]

    def test_injection_everywhere(self) -> None:
        """No text cell of any column starts like a formula: areas, indicators as given, problems, the table's own."""
        rows = self.read(render(HOSTILE_CARD, "csv", lang="en"))
        header = rows[0]
        assert ["'@SUM(A1)", "'-2+3"] == [row[header.index("Area")] for row in rows[5:7]]
        assert "<b>3</b>" == rows[5][header.index("Indicator")]
        numeric = {
            header.index(name) for name in ("Row", "Goal", "Year", "Value", "Threshold", "Target year", "Margin")
        }
        for row in rows:
            for i, cell in enumerate(row):
                if i not in numeric:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝")), cell

    def test_numbers_stay_numbers(self) -> None:
        """Values, thresholds and margins are plain decimals, negative ones too, with no apostrophe."""
        rows = self.read(render(CARD, "csv", lang="en"))
        header = rows[0]
        value, threshold, margin = (header.index(name) for name in ("Value", "Threshold", "Margin"))
        assert ["95", "97.2", "-2.2"] == [rows[1][value], rows[1][threshold], rows[1][margin]]
        status = header.index("Status")
        for row in rows[1:]:
            for i in (value, threshold, margin):
                assert re.fullmatch(r"-?\d+(\.\d+)?", row[i]) or ("MISSING", "") == (row[status], row[i])

    def test_columns(self) -> None:
        """tdplan's columns, then the table's own columns that tdplan did not read."""
        rows = self.read(render(CARD, "csv", lang="en"))
        assert ["Problem", "nguồn", "ghi chú"] == rows[0][-3:]
        assert "Office of Health and the Health Centre" == rows[6][rows[0].index("Lead office")]
        assert ("2025-H1", "met") == (rows[22][rows[0].index("Period")], rows[1][0] and rows[2][15])


def test_bidi_overrides_removed() -> None:
    """A right-to-left override in a cell cannot reorder the terminal or Markdown text."""
    import tdplan

    card = tdplan.load_plan().assess_table([{"indicator": "9", "value": 98, "year": 2025, "area": "Bản\u202eBo"}])
    for format in ("table", "md"):
        assert "\u202e" not in tdplan.render(card, format)
