"""`tdplan report FILE`: every format, the exit status, problems on stderr, colours and progress only on a terminal."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import tdplan
from tdplan.cli.main import _FORMATS, _assess_file, _Progress, main
from tdplan.reports.render import REPORT_FORMATS

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "data" / "bang-so-lieu-mau.csv"
BAD = """\
chỉ tiêu,năm,địa bàn,giá trị
3,2025,Bản Bo,"16,5‰"
30,2025,Bản Bo,1%
3,2035,Khun Há,"12‰"
9,2025,Tả Lèng,abc
"""


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal, as a real one does."""

    def isatty(self) -> bool:
        return True


def run(*argv: str, out: io.StringIO | None = None, err: io.StringIO | None = None) -> tuple[int, str, str]:
    """Run the command in-process; return its status, stdout and stderr."""
    out, err = out or io.StringIO(), err or io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """A table with one good row and three rows with problems."""
    path = tmp_path / "bang.csv"
    path.write_text(BAD, encoding="utf-8")
    return path


class TestExitStatus:
    """0 for a clean table, 1 for a table with bad rows, 2 when nothing can be reported."""

    def test_clean_table(self) -> None:
        """The example table: the report on stdout, nothing on stderr, exit 0."""
        status, out, err = run("report", str(EXAMPLE))
        assert (0, "") == (status, err)
        assert out.startswith("Kế hoạch thực hiện Chương trình hành động vì trẻ em")
        assert "đạt 13 · đạt trước hạn 3 · chưa đạt 5 · không đạt 8" in out

    def test_bad_rows(self, bad: Path) -> None:
        """Rows with problems: the whole report, then one line per problem on stderr, exit 1."""
        status, out, err = run("report", str(bad), "--lang", "en")
        assert 1 == status
        assert "4 rows, 1 assessed, 3 with problems" in out
        assert [
            f"{bad}: row 2: no indicator '30': the plan has 1–15, 15b, 16–25, 25b, 26–29",
            f"{bad}: row 3: year 2035 is outside the plan's period 2021–2030",
            f"{bad}: row 4: 'abc' is not a value: write a number and a unit, such as '16,5‰', '97,2 %' or '50/100.000'",
        ] == err.splitlines()

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["report", "missing.csv"], "missing.csv: cannot read the table"),
            (["report", str(EXAMPLE), "--format", "pdf"], "invalid choice: 'pdf'"),
            (["report", str(EXAMPLE), "--by", "commune"], "invalid choice: 'commune'"),
            (["report", str(EXAMPLE), "--plan", "nowhere"], "nowhere"),
            (["report", str(EXAMPLE), "-o", "/nonexistent-dir/report.html"], "cannot write the report"),
            (["report"], "the following arguments are required: FILE"),
        ],
    )
    def test_errors(self, argv: list[str], message: str) -> None:
        """Errors are one line on stderr, exit 2, nothing on stdout (in English with --lang en)."""
        status, out, err = run(*argv, "--lang", "en")
        assert (2, "") == (status, out)
        assert err.startswith("tdplan: error: ")
        assert message in err
        assert 1 == err.count("\n")

    def test_no_indicator_column(self, tmp_path: Path) -> None:
        """A table tdplan cannot read at all is an error, exit 2, not a report of bad rows."""
        table = tmp_path / "t.csv"
        table.write_text("a,b\n1,2\n", encoding="utf-8")
        status, out, err = run("report", str(table), "--lang", "en")
        assert (2, "") == (status, out)
        assert "the table has no indicator column" in err

    def test_not_over_the_table(self, bad: Path) -> None:
        """-o naming the table itself is refused, and the table is left as it was."""
        status, _, err = run("report", str(bad), "-o", str(bad), "--format", "csv", "--lang", "en")
        assert (2, BAD) == (status, bad.read_text(encoding="utf-8"))
        assert "is the table itself" in err

    def test_real_process(self, bad: Path) -> None:
        """A real process exits 1 for bad rows and writes UTF-8 Vietnamese."""
        done = subprocess.run(
            [sys.executable, "-m", "tdplan", "report", str(bad), "--format", "md"],
            capture_output=True,
            check=False,
        )
        assert 1 == done.returncode
        assert "Báo cáo đánh giá số liệu" in done.stdout.decode("utf-8")
        assert 3 == len(done.stderr.decode("utf-8").splitlines())


class TestFormats:
    """--format, --lang, --by and -o."""

    @pytest.mark.parametrize("lang", ["vi", "en"])
    @pytest.mark.parametrize("fmt", ["table", "md", "html", "json", "csv"])
    def test_every_format(self, fmt: str, lang: str) -> None:
        """Each format, in each language, is what tdplan.reports.render.render gives for the same table."""
        from tdplan.reports.render import render

        status, out, _ = run("report", str(EXAMPLE), "--format", fmt, "--lang", lang)
        card = tdplan.load_plan().assess_table(EXAMPLE)
        assert (0, render(card, fmt, lang=lang, source=str(EXAMPLE))) == (status, out)

    def test_format_choices(self) -> None:
        """--format offers exactly the formats tdplan.reports.render writes."""
        assert REPORT_FORMATS == _FORMATS

    def test_by(self) -> None:
        """--by year shows the roll-up by year instead of by goal and office."""
        _, out, _ = run("report", str(EXAMPLE), "--by", "year", "--format", "json")
        assert ["year"] == list(json.loads(out)["rollups"])

    @pytest.mark.parametrize(
        ("name", "start"),
        [
            ("r.html", b"<!DOCTYPE html>"),
            ("r.csv", b"\xef\xbb\xbf"),
            ("r.json", b'{\n  "schema": "tdplan-report"'),
            ("r.md", b"# K"),
            ("r.txt", "Kế".encode()),
        ],
    )
    def test_output_file(self, tmp_path: Path, name: str, start: bytes) -> None:
        """-o writes the report to a file, in the format its suffix names unless --format says otherwise."""
        path = tmp_path / name
        status, out, err = run("report", str(EXAMPLE), "-o", str(path))
        assert (0, "", f"Đã ghi báo cáo: {path} (29 dòng)\n") == (status, out, err)
        assert path.read_bytes().startswith(start)

    def test_csv_line_endings(self, tmp_path: Path) -> None:
        """A CSV report file has the CRLF line endings of RFC 4180, written as they are."""
        path = tmp_path / "r.csv"
        run("report", str(EXAMPLE), "-o", str(path))
        data = path.read_bytes()
        # The header, 29 rows, and a row per missing figure: the table reports 22 indicators in 5 areas and
        # 4 periods (2023, 2024, 2025-H1, 2025), 440 figures, of which 28 are there (two rows of 20 are one figure).
        assert (1 + 29 + 440 - 28, 0) == (data.count(b"\r\n"), data.count(b"\r\r"))

    def test_csv_to_standard_output(self) -> None:
        """CSV on a real process's standard output is the exact bytes: a byte order mark and CRLF line endings."""
        done = subprocess.run(
            [sys.executable, "-m", "tdplan", "report", str(EXAMPLE), "--format", "csv"],
            capture_output=True,
            check=False,
        )
        assert (0, b"") == (done.returncode, done.stderr)
        assert done.stdout.startswith("\ufeffDòng,Chỉ tiêu".encode())
        assert (1 + 29 + 440 - 28, 0) == (done.stdout.count(b"\r\n"), done.stdout.count(b"\r\r"))

    def test_other_plan(self, tmp_path: Path) -> None:
        """--plan assesses the table against another plan."""
        table = tmp_path / "xa.csv"
        table.write_text("indicator,year,value\n1,2028,97%\n", encoding="utf-8")
        status, out, _ = run("report", str(table), "--plan", "examples/plans/xa-vi-du-2026-2030.toml", "--lang", "en")
        assert 0 == status
        assert "1 row, 1 assessed, 0 with problems" in out


class TestTerminal:
    """Colours and progress only where a person is watching."""

    def test_colours_on_a_terminal(self) -> None:
        """The table is coloured when stdout is a terminal."""
        _, out, _ = run("report", str(EXAMPLE), out=_Terminal())
        assert "\x1b[32mđạt 13\x1b[0m" in out

    def test_no_colours_otherwise(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """No colours when stdout is not a terminal, when NO_COLOR is set, or in another format."""
        assert "\x1b" not in run("report", str(EXAMPLE))[1]
        assert "\x1b" not in run("report", str(EXAMPLE), "--format", "md", out=_Terminal())[1]
        monkeypatch.setenv("NO_COLOR", "1")
        assert "\x1b" not in run("report", str(EXAMPLE), out=_Terminal())[1]

    def test_no_progress_when_stderr_is_not_a_terminal(self, bad: Path) -> None:
        """Only the problems reach a redirected stderr."""
        _, _, err = run("report", str(bad))
        assert "\r" not in err

    def test_progress(self, tmp_path: Path) -> None:
        """Progress is counted on one line that is cleared at the end, in the report's language."""
        table = tmp_path / "big.csv"
        table.write_text("indicator,year,value\n" + "3,2025,16\n" * 2500, encoding="utf-8")
        stream = _Terminal()
        progress = _Progress(stream, "en", delay=0)
        progress.shown = -1.0  # so that two updates a moment apart are both shown
        card = _assess_file(tdplan.load_plan(), str(table), progress)
        progress.say("tdplan: writing the report…")
        progress.finish()
        assert stream.getvalue().startswith("\rtdplan: assessing 1,000/2,500 rows (40%)")
        assert stream.getvalue().endswith("\r\x1b[Ktdplan: writing the report…\r\x1b[K")
        assert tdplan.load_plan().assess_table(table) == card

    def test_same_scorecard(self) -> None:
        """Assessing with progress gives the very scorecard Plan.assess_table gives."""
        plan = tdplan.load_plan()
        assert plan.assess_table(EXAMPLE) == _assess_file(plan, str(EXAMPLE), None)


class TestHostileTables:
    """A table's text cannot drive the terminal; an empty table shows no progress."""

    def test_header_escapes_stay_escaped(self, tmp_path: Path) -> None:
        """Control characters in a header are written escaped, on one line."""
        table = tmp_path / "evil.csv"
        table.write_text('"\x1b[31mRED\x07\nline2",value,year\n1,2,3\n', encoding="utf-8")
        status, _, err = run("report", str(table))
        assert 2 == status
        assert "\x1b" not in err
        assert 1 == err.count("\n")
        assert "\\x1b[31mRED\\x07\\nline2" in err

    def test_progress_on_an_empty_table(self) -> None:
        """Progress over zero rows does nothing (it used to divide by zero)."""
        stream = _Terminal()
        progress = _Progress(stream, "en", delay=0)
        progress(0, 0)
        assert "" == stream.getvalue()
