"""The thirteen escapes an adversarial review found (issue 14): each now a typed error, a right verdict or a refusal."""

from __future__ import annotations

import decimal
import io
import os
from decimal import Decimal
from pathlib import Path

import numpy as np
import pint
import pytest

import tdplan
from tdplan.cli.main import main
from tdplan.planfiles.loading import dumps_plan
from tdplan.reports.render import render

HOSTILE_TEXT = "Trẻ\x1b[31m em\x1b]8;;http://x.example/\x07link\x1b]8;;\x07\u202eabc\x07"
"""ESC colour, an OSC 8 link, BEL and a right-to-left override: nothing a terminal should receive raw."""


@pytest.fixture(scope="module")
def plan() -> tdplan.Plan:
    return tdplan.load_plan()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def no_controls(text: str) -> bool:
    """Whether ``text`` has no ESC, BEL or bidi override (line breaks are fine)."""
    return not any(char in text for char in "\x1b\x07\u202e")


class TestPintFactors:
    """1: a dimensionless pint unit whose factor does not end in decimal is converted exactly."""

    def test_sixty_minutes_an_hour_is_one_hundred_percent(self, plan: tdplan.Plan) -> None:
        """60 minute/hour is exactly 100 %, and meets indicator 1's ≥ 100 %."""
        result = plan.assess("1", pint.UnitRegistry().Quantity(60, "minute/hour"), year=2025)
        assert (Decimal(100), tdplan.Status.MET) == (result.value, result.status)

    def test_one_third_stays_below(self, plan: tdplan.Plan) -> None:
        """59 minute/hour is 98.33… %: NOT_MET against ≥ 100 %."""
        result = plan.assess("1", pint.UnitRegistry().Quantity(59, "minute/hour"), year=2025)
        assert tdplan.Status.NOT_MET == result.status
        assert Decimal("98.33333") < result.value < Decimal("98.33334")

    def test_a_root_of_a_unit_is_refused(self, plan: tdplan.Plan) -> None:
        """A unit to a fractional power has no exact factor: a UnitError, not a float."""
        with pytest.raises(tdplan.UnitError):
            plan.assess("1", pint.UnitRegistry().Quantity(1, "radian ** 0.5"), year=2025)


class TestNonRegularFiles:
    """2: a table from /dev/zero or /dev/urandom is refused at once."""

    @pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
    def test_devices_are_refused(self, plan: tdplan.Plan, device: str) -> None:
        """A device is not a regular file: PlanFileError, before reading a byte."""
        if not os.path.exists(device):
            pytest.skip(f"no {device} here")
        with pytest.raises(tdplan.PlanFileError, match="not a file"):
            tdplan.assess_table(plan, device)

    def test_the_command_refuses_a_device(self) -> None:
        """``tdplan report /dev/zero`` ends with status 2 and one line."""
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero here")
        status, _, err = run("report", "/dev/zero")
        assert (2, 1) == (status, err.count("\n"))


class TestSuperscripts:
    """4: superscript digits in a count or year cell are a row's problem, not a crash."""

    @pytest.mark.parametrize(
        "row",
        [
            {"indicator": "3", "value": "16", "year": "²⁰²⁵"},
            {"indicator": "9", "numerator": "³", "denominator": "4", "year": 2025},
            {"indicator": "9", "numerator": "3", "denominator": "٤", "year": 2025},
        ],
    )
    def test_row_problem(self, plan: tdplan.Plan, row: dict[str, object]) -> None:
        """The row is kept with an InputTypeError; the table is still assessed."""
        card = tdplan.assess_table(plan, [row, {"indicator": "3", "value": "16", "year": 2025}])
        assert ["InputTypeError"] == [problem.error for problem in card.problems]
        assert 1 == card.counts[tdplan.Status.MET]


class TestHugeIntegers:
    """5: integers of more than 4,300 digits in an error message."""

    def test_year_in_assess(self, plan: tdplan.Plan) -> None:
        """A year of 5,001 digits is outside the plan: YearError."""
        with pytest.raises(tdplan.YearError, match=r"1\.000E\+5000"):
            plan.assess("3", 16, year=10**5000)

    def test_goal(self, plan: tdplan.Plan) -> None:
        """No goal 10**5000: UnknownGoalError."""
        with pytest.raises(tdplan.UnknownGoalError):
            plan.goal(10**5000)

    def test_period(self) -> None:
        """Period.parse(10**5000): PeriodError."""
        with pytest.raises(tdplan.PeriodError):
            tdplan.Period.parse(10**5000)

    def test_year_cell(self, plan: tdplan.Plan) -> None:
        """A year cell of 5,000 nines is that row's problem."""
        card = tdplan.assess_table(plan, [{"indicator": "3", "value": "16", "year": "9" * 5000}])
        assert 1 == len(card.problems)


class TestDatesOutOfRange:
    """6: dates outside Python's calendar."""

    @pytest.mark.parametrize("text", ["0000-01-01", "01/01/0000"])
    def test_year_zero(self, text: str) -> None:
        """Year 0 is not a date tdplan reads: PeriodError."""
        with pytest.raises(tdplan.PeriodError):
            tdplan.parse_date(text)
        with pytest.raises(tdplan.PeriodError):
            tdplan.Period.parse(text)

    def test_track_as_of_the_last_day(self, plan: tdplan.Plan) -> None:
        """as_of 9999-12-31 is after every milestone: no time left, no OverflowError."""
        progress = plan.track("3", {2024: 17, 2025: 16}, as_of="9999-12-31")
        assert progress.trajectory(2030).left.due


class TestDecimalNaN:
    """7: Decimal('NaN') in any cell of a list-of-mappings table is that row's problem."""

    @pytest.mark.parametrize(
        "row",
        [
            {"indicator": "3", "value": Decimal("NaN"), "year": 2025},
            {"indicator": "3", "value": "16", "year": Decimal("NaN")},
            {"indicator": "9", "numerator": Decimal("NaN"), "denominator": 4, "year": 2025},
            {"indicator": "9", "numerator": 3, "denominator": Decimal("sNaN"), "year": 2025},
        ],
    )
    def test_row_problem(self, plan: tdplan.Plan, row: dict[str, object]) -> None:
        """An InvalidValueError for the row."""
        card = tdplan.assess_table(plan, [row])
        assert ["InvalidValueError"] == [problem.error for problem in card.problems]


class TestCallersContext:
    """8: the HTML report computes in tdplan's own decimal context."""

    @pytest.fixture
    def card(self, plan: tdplan.Plan) -> tdplan.Scorecard:
        rows = [{"indicator": "3", "value": value, "year": 2025} for value in ("16", "19", "17")]
        return tdplan.assess_table(plan, rows)

    def test_inexact_trap(self, card: tdplan.Scorecard) -> None:
        """A trap on Inexact in the caller's context does not reach the report."""
        with decimal.localcontext(decimal.Context(traps=[decimal.Inexact])):
            assert "<html" in render(card, "html")

    def test_bars_add_up(self, card: tdplan.Scorecard) -> None:
        """With prec=1 the bars still add up to at most 100 % (2/3 and 1/3 of the rows)."""
        with decimal.localcontext(decimal.Context(prec=1)):
            page = render(card, "html")
        widths = [Decimal(part.split("%")[0]) for part in page.split('style="width:')[1:]]
        assert [Decimal("66.6666"), Decimal("33.3333")] * 2 == widths  # 2/3 and 1/3, rounded down: sum <= 100


class TestAtomicOutput:
    """9 and 11: reports are written whole or not at all, never over the table."""

    TABLE = "indicator,value,year\n3,16,2025\n"

    def test_undecodable_name(self, tmp_path: Path) -> None:
        """A table named with a byte that is not UTF-8 gives a complete report, the byte shown as U+FFFD."""
        table = Path(os.fsdecode(bytes(tmp_path) + b"/\xff.csv"))
        table.write_text(self.TABLE, encoding="utf-8")
        status, _, _ = run("report", str(table), "-o", str(tmp_path / "out.json"))
        text = (tmp_path / "out.json").read_text(encoding="utf-8")
        assert (0, True) == (status, '\ufffd.csv"' in text)

    def test_hard_link_to_the_table(self, tmp_path: Path) -> None:
        """A hard link to the table is the table: refused, and the table is unchanged."""
        table = tmp_path / "t.csv"
        table.write_text(self.TABLE, encoding="utf-8")
        os.link(table, tmp_path / "link.json")
        status, _, err = run("report", str(table), "-o", str(tmp_path / "link.json"))
        assert (2, self.TABLE) == (status, table.read_text(encoding="utf-8"))
        assert "chính là bảng số liệu" in err  # "is the table itself", in Vietnamese (the default)

    @pytest.mark.parametrize("large", [False, True])
    def test_python_api_refuses_the_table(self, plan: tdplan.Plan, tmp_path: Path, large: bool) -> None:
        """write_report over the file the scorecard was read from (or a hard link to it) is refused; it is unchanged."""
        table = tmp_path / "t.csv"
        text = self.TABLE + "3,17,2025\n" * (70_000 if large else 0)  # large: past BULK_BYTES, read by pyarrow
        table.write_text(text, encoding="utf-8")
        os.link(table, tmp_path / "link.csv")
        card = plan.assess_table(table)
        assert table == card.table_path
        for target in (table, tmp_path / "link.csv"):
            with pytest.raises(tdplan.PlanFileError, match="is the table itself"):
                tdplan.write_report(card, target, "csv")
        assert text == table.read_text(encoding="utf-8")
        assert (tmp_path / "out.csv") == tdplan.write_report(card, tmp_path / "out.csv")
        assert None is plan.assess_table([{"indicator": "3", "value": 16, "year": 2025}]).table_path


class TestTerminalEscapes:
    """10: a plan file's text with terminal escapes is cleaned on every surface."""

    @pytest.fixture
    def hostile_plan(self, plan: tdplan.Plan, tmp_path: Path) -> Path:
        text = dumps_plan(plan).replace(
            'vi = "Tỷ lệ xã, thị trấn đạt tiêu chuẩn phù hợp với trẻ em"',
            f'vi = "{HOSTILE_TEXT.encode("unicode_escape").decode("ascii")}"'.replace("\\x", "\\u00"),
        )
        path = tmp_path / "hostile.toml"
        path.write_text(text, encoding="utf-8")
        assert HOSTILE_TEXT in tdplan.load_plan(path).indicator("1").name("vi")
        return path

    @pytest.mark.parametrize("command", [["show", "1"], ["indicators"], ["indicators", "--wide"]])
    def test_command_line(self, hostile_plan: Path, command: list[str]) -> None:
        """``show`` and ``indicators`` print no ESC, BEL or U+202E, wrapped (the default) or not (--wide)."""
        status, out, _ = run(*command, "--plan", str(hostile_plan))
        assert (0, True) == (status, no_controls(out))
        assert "Trẻ\ufffd[31m" in out

    def test_jupyter(self, hostile_plan: Path) -> None:
        """The Jupyter HTML of the plan and of the indicator holds none either."""
        loaded = tdplan.load_plan(hostile_plan)
        assert no_controls(loaded._repr_html_())
        assert no_controls(loaded.indicator("1")._repr_html_())


class TestTimes:
    """12: NumPy times and durations are not measurements."""

    @pytest.mark.parametrize("value", [np.timedelta64(16), np.timedelta64(5, "D"), np.datetime64("2025-01-01")])
    def test_refused(self, plan: tdplan.Plan, value: object) -> None:
        """InputTypeError, whatever the unit of the duration."""
        with pytest.raises(tdplan.InputTypeError):
            plan.assess("3", value, year=2025)

    def test_count_cell(self, plan: tdplan.Plan) -> None:
        """A duration in a numerator cell is the row's problem."""
        card = tdplan.assess_table(
            plan, [{"indicator": "9", "numerator": np.timedelta64(3), "denominator": 4, "year": 2025}]
        )
        assert ["InputTypeError"] == [problem.error for problem in card.problems]

    @pytest.mark.parametrize("rows", [2, 2000], ids=["row by row", "NumPy path"])
    @pytest.mark.parametrize("column", ["indicator", "year", "area"])
    @pytest.mark.parametrize("value", [np.timedelta64(16), np.timedelta64(5, "D"), np.datetime64("2025-01-01")])
    def test_frame_cell(self, plan: tdplan.Plan, rows: int, column: str, value: object) -> None:
        """A time in a DataFrame's indicator, year or area cell is that row's problem, on both paths: the row by
        row path read timedelta64(16) as indicator 16 and year 16 (NumPy's item() makes it the int 16), and the
        NumPy path raised TypeError on int(timedelta64(5, "D"))."""
        pandas = pytest.importorskip("pandas")
        columns: dict[str, list[object]] = {
            "indicator": ["9"] * rows,
            "value": ["95,5"] * rows,
            "year": ["2025"] * rows,
            "area": ["Bản Bo"] * rows,
        }
        columns[column][-1] = value
        card = plan.assess_table(pandas.DataFrame(columns, dtype=object))
        said = {"indicator": "is not a name or an id", "year": "is not a year: write it as 2025"}
        expected = f"{value!r} {said.get(column, 'is not a name or an id')}"
        assert [(rows, expected)] == [(problem.row, problem.message("en")) for problem in card.problems]
        assert rows - 1 == card.counts[tdplan.Status.NOT_MET]  # 95,5 % is below at least 97.2 %


class TestUnhashableGroups:
    """13: a disaggregation whose group is a list."""

    def test_list_group(self, plan: tdplan.Plan) -> None:
        """InputTypeError, not TypeError: unhashable type."""
        with pytest.raises(tdplan.InputTypeError):
            plan.assess("8", "0,05%", year=2025, disaggregation={"residence": ["rural"]})


class TestSharedPlan:
    """The cached shipped plan's indexes cannot be changed by a caller."""

    @pytest.mark.parametrize("name", ["_applicable", "_by_id", "_agencies_by_id"])
    def test_read_only(self, plan: tdplan.Plan, name: str) -> None:
        """Writing to an index raises TypeError, and the next caller's verdict is unchanged."""
        plan.assess("3", 16, year=2025)
        with pytest.raises(TypeError):
            getattr(plan, name)["3"] = None
        assert tdplan.Status.MET == tdplan.load_plan().assess("3", 16, year=2025).status
