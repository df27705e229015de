"""The tdplan command: indicators, show, assess, and one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tdplan.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command in-process; return its status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


class TestAssess:
    """`tdplan assess ID VALUE --year Y`."""

    def test_vietnamese(self) -> None:
        """The default output is Vietnamese: the explanation, status and margin."""
        assert (
            0,
            "Chỉ tiêu 3 (2025): 16,5‰ < 18‰: đạt chỉ tiêu năm 2025\nKết quả: đạt (met); chênh lệch: 1,5‰\n",
            "",
        ) == run("assess", "3", "16,5‰", "--year", "2025")

    def test_english_with_unit(self) -> None:
        """--lang en and --unit for a bare number."""
        status, out, _ = run("assess", "3", "1.8", "--unit", "%", "--year", "2025", "--lang", "en")
        assert 0 == status
        assert "Indicator 3 (2025): 18‰ ≥ 18‰: does not meet the 2025 target (needs < 18‰)\n" in out
        assert "Result: not met (not_met); margin: 0‰\n" in out

    def test_disaggregations(self) -> None:
        """--residence and --age choose a group."""
        status, out, _ = run("assess", "8", "0,05%", "--year", "2025", "--residence", "rural")
        assert (0, True) == (status, "đạt chỉ tiêu năm 2025" in out)
        status, out, _ = run("assess", "20", "36", "--year", "2024", "--age", "2-3", "--lang", "en")
        assert (0, True) == (status, "already meets the 2025 target" in out)

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["assess", "30", "5", "--year", "2025"], "no indicator '30'"),
            (["assess", "3", "abc", "--year", "2025"], "'abc' is not a value"),
            (["assess", "3", "16", "--year", "2035"], "outside the plan's period"),
            (["assess", "8", "0,05", "--year", "2025"], "give --residence rural or --residence urban"),
            (["assess", "18", "12", "--year", "2026"], "series of yearly counts"),
            (["assess", "3", "16", "--year", "soon"], "argument --year: 'soon' is not a year: write it as 2025"),
            (["assess", "3", "16"], "the following arguments are required: --year"),
            (["frobnicate"], "invalid choice"),
            ([], "the following arguments are required: COMMAND"),
        ],
    )
    def test_errors(self, argv: list[str], message: str) -> None:
        """Errors are one line on stderr, exit status 2, nothing on stdout (in English with --lang en)."""
        status, out, err = run(*argv, "--lang", "en")
        assert (2, "") == (status, out)
        assert err.startswith("tdplan: error: ")
        assert message in err
        assert 1 == err.count("\n")


class TestListings:
    """`tdplan indicators` and `tdplan show ID`."""

    def test_indicators(self) -> None:
        """One row per indicator (--wide: one line each), after a heading and a rule, with targets and leads."""
        status, out, _ = run("indicators", "--lang", "en", "--wide")
        lines = out.splitlines()
        assert 0 == status
        assert 2 + 31 == len(lines)
        assert lines[0].split()[:3] == ["ID", "Goal", "Indicator"]
        row = next(line for line in lines if line.startswith("15b "))
        assert "≤ 5 per 100,000 (2030)" in row
        assert row.endswith("Office of Health and the Health Centre")

    def test_show(self) -> None:
        """An indicator in full: goal, targets with notes, leads and the source sentence."""
        status, out, _ = run("show", "10")
        assert 0 == status
        assert "Chỉ tiêu 10: Tỷ lệ trẻ em dưới 5 tuổi được tiêm chủng đầy đủ các loại vắc xin" in out
        assert "≥ 93% (2025) — 12 loại vắc xin" in out
        assert "Cơ quan chủ trì: Phòng Y tế, Trung tâm y tế\n" in out
        assert "Nguyên văn: Chỉ tiêu 10:" in out
        assert "Cơ quan chủ trì: Phòng Y tế, Trung tâm y tế (health)\n" in run("show", "10", "--ids")[1]


class TestEntryPoints:
    """`python -m tdplan` runs the same command in a real process."""

    def test_module(self) -> None:
        """A real process prints UTF-8 Vietnamese and exits with the status."""
        done = subprocess.run(
            [sys.executable, "-m", "tdplan", "assess", "3", "16,5‰", "--year", "2025"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        assert (0, "") == (done.returncode, done.stderr)
        assert "đạt chỉ tiêu năm 2025" in done.stdout
        failed = subprocess.run(
            [sys.executable, "-m", "tdplan", "show", "99"], capture_output=True, text=True, check=False
        )
        assert 2 == failed.returncode
        assert "Traceback" not in failed.stderr


class TestPlanFiles:
    """`tdplan validate`, `tdplan schema`, and `--plan` for other plans."""

    EXAMPLE = "examples/plans/xa-vi-du-2026-2030.toml"

    def test_validate_valid(self) -> None:
        """A valid plan: one line saying so, exit 0."""
        assert (
            0,
            f"{self.EXAMPLE}: valid plan 'xa-vi-du-2026-2030' (2 goals, 5 indicators, 2 agencies)\n",
            "",
        ) == run("validate", self.EXAMPLE, "--lang", "en")

    def test_validate_problems(self, tmp_path: Path) -> None:
        """Each problem on its own line as file:line: path: message, in Vietnamese; exit 1."""
        bad = tmp_path / "bad.toml"
        text = Path(self.EXAMPLE).read_text(encoding="utf-8")
        bad.write_text(text.replace('lead = ["health_station"]', 'lead = ["healt_station"]', 1), encoding="utf-8")
        status, out, err = run("validate", str(bad))
        line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("lead ="))
        assert (1, "") == (status, err)
        assert [
            f"{bad}:{line}: $.indicators[0].lead[0]: cơ quan 'healt_station' chưa được khai báo "
            "trong [[agencies]] (có phải là 'health_station'?)",
            f"{bad}: 1 lỗi",
        ] == out.splitlines()

    def test_validate_json_and_unreadable(self, tmp_path: Path) -> None:
        """JSON is validated too; a missing file or unknown format is exit 2."""
        exported = tmp_path / "plan.json"
        exported.write_text('{"tdplan": 1}', encoding="utf-8")
        status, out, _ = run("validate", str(exported), "--lang", "en")
        assert 1 == status
        assert f"{exported}:1: $.id: required key is missing" == out.splitlines()[0]
        assert 2 == run("validate", str(tmp_path / "missing.toml"))[0]
        assert 2 == run("validate", str(tmp_path / "plan.txt"))[0]

    def test_schema(self) -> None:
        """`tdplan schema` prints the JSON Schema."""
        status, out, _ = run("schema", "--lang", "en")
        assert 0 == status
        assert "tdplan plan file, format version 1" == json.loads(out)["title"]

    def test_other_plan(self) -> None:
        """--plan reads another plan for indicators, show and assess."""
        status, out, _ = run("assess", "1", "97%", "--year", "2028", "--plan", self.EXAMPLE, "--lang", "en")
        assert (0, "Indicator 1 (2028): 97% ≥ 96.5%: meets the 2028 target\n") == (status, out.splitlines(True)[0])
        status, out, _ = run("indicators", "--plan", self.EXAMPLE, "--wide")
        assert (0, 2 + 5) == (status, len(out.splitlines()))
        assert 2 == run("show", "1", "--plan", "nowhere")[0]


def test_output_encoding_without_vietnamese() -> None:
    """Output redirected in an encoding without Vietnamese (cp1252 on Windows) is written as UTF-8, not a crash."""
    done = subprocess.run(
        [sys.executable, "-m", "tdplan", "assess", "3", "16,5‰", "--year", "2025"],
        capture_output=True,
        env={**__import__("os").environ, "PYTHONIOENCODING": "cp1252"},
        check=False,
    )
    assert (0, b"") == (done.returncode, done.stderr)
    assert "đạt chỉ tiêu năm 2025" in done.stdout.decode("utf-8")


class TestGroupOptions:
    """`tdplan assess` takes each dimension of the plan as an option, by its code and by its Vietnamese name."""

    EXAMPLE = Path("examples/plans/xa-vi-du-2026-2030.toml")

    def help(self, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
        """The help `tdplan assess --help` prints (argparse exits after printing it)."""
        with pytest.raises(SystemExit) as done:
            run("assess", "--help", *argv)
        assert 0 == done.value.code
        return capsys.readouterr().out

    @pytest.mark.parametrize(
        ("option", "group"),
        [("--khu-vuc", "nông thôn"), ("--khu-vuc", "rural"), ("--residence", "Nong thon"), ("--residence", "rural")],
    )
    def test_residence(self, option: str, group: str) -> None:
        """--khu-vuc and --residence are one option: a group by code or label, with or without accents."""
        status, out, err = run("assess", "8", "0,05%", "--year", "2025", option, group)
        assert (0, "") == (status, err)
        assert "Chỉ tiêu 8 (2025): 0,05% < 0,1% (nông thôn): đạt chỉ tiêu năm 2025" == out.splitlines()[0]

    def test_age(self) -> None:
        """--nhom-tuoi, the age group's Vietnamese name without accents, chooses the group of indicator 20."""
        status, out, _ = run("assess", "20", "36%", "--year", "2025", "--nhom-tuoi", "2 - 3 tuổi")
        assert (0, "Chỉ tiêu 20 (2025): 36% ≥ 35% (trẻ 2–3 tuổi): đạt chỉ tiêu năm 2025") == (
            status,
            out.splitlines()[0],
        )

    def test_one_group(self) -> None:
        """A dimension given twice, by either spelling, is refused rather than half read."""
        status, out, err = run("assess", "8", "0,05%", "--year", "2025", "--residence", "rural", "--khu-vuc", "urban")
        assert (2, "") == (status, out)
        assert "tdplan: lỗi: tham số --khu-vuc/--residence: chỉ ghi một nhóm: đã ghi cả 'rural' và 'urban'\n" == err

    def test_plan_given_with_equals(self, tmp_path: Path) -> None:
        """`--plan=FILE` names the plan whose options are read, as `--plan FILE` does."""
        plan = tmp_path / "ke-hoach.toml"
        text = self.EXAMPLE.read_text("utf-8")
        plan.write_text(text.replace('en = "residence" }', 'en = "residence" }\noption = "vung"', 1), "utf-8")
        assert 0 == run("assess", "2", "10%", "--year", "2030", f"--plan={plan}", "--vung", "nông thôn")[0]

    def test_hints(self) -> None:
        """A missing group is asked for with the option and labels of the language; codes stay accepted."""
        vi = run("assess", "8", "0,05%", "--year", "2025")[2]
        en = run("assess", "20", "36%", "--year", "2025", "--lang", "en")[2]
        assert (
            'tdplan: lỗi: chỉ tiêu 8 có mức phấn đấu theo nhóm: hãy ghi --khu-vuc "nông thôn" hoặc --khu-vuc '
            + ('"thành thị"\n')
            == vi
        )
        assert (
            'tdplan: error: indicator 20 has targets by group: give --age "children aged 2–3" or --age '
            + ('"children aged 3–5"\n')
            == en
        )

    def test_help(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The help lists each dimension's options, the language's first, with its groups' labels."""
        vi = " ".join(self.help(capsys).split())
        en = " ".join(self.help(capsys, "--lang", "en").split())
        assert "--khu-vuc NHÓM, --residence NHÓM khu vực, cho chỉ tiêu 8: nông thôn hoặc thành thị" in vi
        assert "--nhom-tuoi NHÓM, --age NHÓM nhóm tuổi, cho chỉ tiêu 20: trẻ 2–3 tuổi hoặc trẻ 3–5 tuổi" in vi
        assert "--residence GROUP, --khu-vuc GROUP residence, for indicator 8: rural or urban" in en

    def test_plan_option(self, tmp_path: Path) -> None:
        """A plan file's `option` names the Vietnamese option; the name's own word is then not an option."""
        plan = tmp_path / "ke-hoach.toml"
        text = self.EXAMPLE.read_text("utf-8")
        plan.write_text(text.replace('en = "residence" }', 'en = "residence" }\noption = "vung"', 1), "utf-8")
        status, out, _ = run("assess", "2", "10%", "--year", "2030", "--plan", str(plan), "--vung", "nông thôn")
        assert (0, True) == (status, out.startswith("Chỉ tiêu 2 (2030): 10% < 18,5% (nông thôn)"))
        assert run("assess", "2", "10%", "--year", "2030", "--plan", str(plan))[2].endswith(
            'hãy ghi --vung "nông thôn" hoặc --vung "thành thị"\n'
        )
        assert "--khu-vuc" in run("assess", "2", "10%", "--year", "2030", "--plan", str(plan), "--khu-vuc", "x")[2]

    def test_plan_without_dimensions(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A plan that declares no dimensions: an option for each name its targets use, groups by code."""
        text = self.EXAMPLE.read_text("utf-8")
        plan = tmp_path / "ke-hoach.toml"
        plan.write_text(text[: text.index("[dimensions.residence]")] + text[text.index("[[goals]]") :], "utf-8")
        status, out, _ = run("assess", "2", "10%", "--year", "2030", "--plan", str(plan), "--residence", "urban")
        assert (0, True) == (status, out.startswith("Chỉ tiêu 2 (2030): 10% < 12% (urban)"))
        assert "--residence NHÓM residence, cho chỉ tiêu 2: rural hoặc urban" in " ".join(
            self.help(capsys, "--plan", str(plan)).split()
        )

    def test_unused_dimension(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A dimension no target is split by is no option: there is nothing to give it for."""
        plan = tmp_path / "ke-hoach.toml"
        text = self.EXAMPLE.read_text("utf-8")
        extra = '[dimensions.zone]\nname = "vùng"\ngroups.a = { vi = "vùng cao" }\n\n[[goals]]'
        plan.write_text(text.replace("[[goals]]", extra, 1), "utf-8")
        shown = self.help(capsys, "--plan", str(plan))
        assert (True, False) == ("--khu-vuc" in shown, "--vung" in shown)

    def test_reserved_options(self) -> None:
        """No dimension can take an option of `tdplan assess`'s own: the plan files' list names every one."""
        import argparse

        from tdplan.cli.arguments import build_parser
        from tdplan.planfiles.groups import RESERVED_OPTIONS

        parser = build_parser("en")
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        own = {flag[2:] for flag in commands.choices["assess"]._option_string_actions if flag.startswith("--")}
        assert own <= RESERVED_OPTIONS
