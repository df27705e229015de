"""Exports other platforms read: Open SDG (sdg-build's input), SDMX (read back with sdmx1), DHIS2 (both ways)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest

import tdplan
from tdplan.cli import main
from tdplan.exchange.dhis2 import dhis2_period, export_dhis2, load_mapping, read_dhis2, read_mapping
from tdplan.exchange.opensdg import export_opensdg
from tdplan.exchange.sdmx import area_code, export_sdmx, read_with_sdmx1, sdmx_period

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "data" / "bang-so-lieu-mau.csv"
MAPPING = ROOT / "examples" / "exchange" / "dhis2-mapping.toml"
PLAN = tdplan.load_plan()
ROWS = [
    {"indicator": "3", "value": "16,5‰", "year": 2025},
    {"indicator": "3", "value": "1,75%", "year": 2025, "area": "Bản Bo"},
    {"indicator": "3", "value": 20, "year": 2024, "area": "Bản Bo"},
    {"indicator": "8", "value": "0,08%", "year": 2025, "area": "Bản Bo", "residence": "rural"},
    {"indicator": "19", "value": "99,1%", "period": "2025-H1", "area": "Bản Bo"},
]
CARD = PLAN.assess_table(ROWS)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


class TestOpenSdg:
    """sdg-build's input layout: data/indicator_<id>.csv, meta/<id>.yml, meta/en/<id>.yml."""

    def test_data_columns(self) -> None:
        """Year first, the disaggregations with a value, Units, Value last; the headline row first, 1,75% as 17.5‰."""
        text = export_opensdg(CARD).files["data/indicator_1-3.csv"]
        assert "Year,Địa bàn,Units,Value\n2025,,‰,16.5\n2024,Bản Bo,‰,20\n2025,Bản Bo,‰,17.5\n" == text

    def test_group_column(self) -> None:
        """Indicator 8's group is a column of its own, after the area."""
        text = export_opensdg(CARD).files["data/indicator_1-8.csv"]
        assert ["Year", "Địa bàn", "Khu vực", "Units", "Value"] == text.splitlines()[0].split(",")
        assert "2025,Bản Bo,rural,%,0.08" == text.splitlines()[1]

    def test_half_year_left_out_and_listed(self) -> None:
        """Open SDG is yearly: the half-year figure (row 5) is not in a data file, and is listed."""
        export = export_opensdg(CARD)
        assert "data/indicator_3-19.csv" not in export.files
        assert [5] == [left.row for left in export.left_out]

    def test_metadata(self) -> None:
        """Names in Vietnamese and English; the progress options: the 2030 target (< 15‰), negative, 2021 base."""
        files = export_opensdg(CARD).files
        vi, en = files["meta/1-3.yml"], files["meta/en/1-3.yml"]
        assert 'indicator_name: "Tỷ suất tử vong trẻ sơ sinh"' in vi
        assert 'indicator_name: "Neonatal mortality rate"' in en
        options = vi.split("progress_calculation_options:\n")[1]
        assert '- direction: "negative"\n  target: 15\n  base_year: 2021\n  target_year: 2030\n' == options
        assert 'reporting_status: "notstarted"' in files["meta/1-4.yml"]  # indicator 4 has no figure

    def test_metadata_is_yaml(self) -> None:
        """Every metadata file reads as YAML (PyYAML, as sdg-build's readers use), with exact numbers."""
        yaml = pytest.importorskip("yaml")
        meta = yaml.safe_load(export_opensdg(CARD).files["meta/1-8.yml"])
        assert [("rural", 0.1), ("urban", 0.2)] == [
            (option["disaggregation"][0]["value"], option["target"]) for option in meta["progress_calculation_options"]
        ]

    def test_data_read_as_sdg_build_does(self, tmp_path: Path) -> None:
        """pandas.read_csv (what sdg-build's InputCsvData calls) reads the columns and values back, UTF-8."""
        pandas = pytest.importorskip("pandas")
        export_opensdg(CARD).write(tmp_path)
        frame = pandas.read_csv(tmp_path / "data" / "indicator_1-3.csv", dtype=str)
        assert ["Year", "Địa bàn", "Units", "Value"] == list(frame.columns)
        assert ["16.5", "20", "17.5"] == list(frame["Value"])


class TestSdmx:
    """SDMX-CSV 2.0 data and an SDMX-ML 3.0 structure, read back with sdmx1."""

    def test_csv(self) -> None:
        """The header of SDMX-CSV 2.0, and a row per figure with codes and exact values."""
        rows = list(csv.reader(io.StringIO(export_sdmx(CARD).files["data.csv"])))
        assert [
            "STRUCTURE",
            "STRUCTURE_ID",
            "ACTION",
            "INDICATOR",
            "AREA",
            "RESIDENCE",
            "AGE",
            "TIME_PERIOD",
            "OBS_VALUE",
            "UNIT_MEASURE",
            "TARGET_STATUS",
        ] == rows[0]
        flow = "TDPLAN:DF_TAM_DUONG_2021_2030(1.0)"
        assert ["dataflow", flow, "I", "3", "_T", "_T", "_T", "2025", "16.5", "PER_1000", "MET"] == rows[1]
        assert ["8", "BAN_BO", "RURAL", "2025", "0.08"] == [rows[4][i] for i in (3, 4, 5, 7, 8)]
        assert "2025-S1" == rows[5][7]

    def test_read_back_with_sdmx1(self) -> None:
        """sdmx1 reads the structure (DSD, codelists with Vietnamese names) and the data against its dataflow."""
        pytest.importorskip("sdmx")
        structure, data = read_with_sdmx1(export_sdmx(CARD))
        dsd = structure.structure["DSD_TDPLAN"]
        assert ["INDICATOR", "AREA", "RESIDENCE", "AGE", "TIME_PERIOD"] == [d.id for d in dsd.dimensions]
        assert ["UNIT_MEASURE", "TARGET_STATUS"] == [a.id for a in dsd.attributes]
        assert "Bản Bo" == structure.codelist["CL_AREA"]["BAN_BO"].name.localizations["vi"]
        assert "Neonatal mortality rate" == structure.codelist["CL_INDICATOR"]["3"].name.localizations["en"]
        observations = data.data[0].obs
        assert 5 == len(observations)
        assert "16.5" == str(observations[0].value)

    def test_structure_21_written_by_sdmx1(self) -> None:
        """sdmx1 writes the same structures as SDMX-ML 2.1, and reads the data against that dataflow too."""
        sdmx = pytest.importorskip("sdmx")
        from tdplan.exchange.sdmx import structure_21

        export = export_sdmx(CARD)
        text = structure_21(export)
        assert "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" in text
        structure = sdmx.read_sdmx(io.BytesIO(text.encode("utf-8")), format="XML")
        assert ["UNIT_MEASURE", "TARGET_STATUS"] == [a.id for a in structure.structure["DSD_TDPLAN"].attributes]
        data = sdmx.read_sdmx(
            io.BytesIO(export.files["data.csv"].encode("utf-8")),
            format="CSV",
            structure=structure.dataflow["DF_TAM_DUONG_2021_2030"],
        )
        assert 5 == len(data.data[0].obs)

    def test_codes(self) -> None:
        """Area codes in ASCII capitals; SDMX periods."""
        assert ("BAN_BO", "TA_LENG", "DONG_HA") == tuple(area_code(name) for name in ("Bản Bo", "Tả Lèng", "Đồng Hà"))
        assert ["2025", "2025-S2", "2025-Q3"] == [
            sdmx_period(tdplan.Period.parse(p)) for p in ("2025", "2025-H2", "2025-Q3")
        ]


class TestDhis2:
    """dataValueSets through a mapping file, both ways."""

    MAP = load_mapping(MAPPING, PLAN)

    def test_payload_fields(self) -> None:
        """DHIS2's fields, in its documentation's order, values as decimal strings; unmapped rows listed."""
        export = export_dhis2(CARD, self.MAP)
        values = json.loads(export.files["dataValueSets.json"])["dataValues"]
        assert {
            "dataElement": "Neonatal001",
            "period": "2025",
            "orgUnit": "BanBo000001",
            "categoryOptionCombo": "HllvX50cXC0",
            "value": "17.5",
        } == values[0]
        assert ["dataElement", "period", "orgUnit", "categoryOptionCombo", "value"] == list(values[0])
        assert ("Obesity0001", "Rural000001", "0.08") == (
            values[2]["dataElement"],
            values[2]["categoryOptionCombo"],
            values[2]["value"],
        )
        # Row 1 has no area (no org unit), row 5's indicator 19 is not mapped.
        assert [1, 5] == [left.row for left in export.left_out]

    def test_periods(self) -> None:
        """DHIS2's period formats: yearly, six-monthly, quarterly, daily."""
        periods = ("2025", "2025-H1", "2025-Q3", "2025-03-15")
        assert ["2025", "2025S1", "2025Q3", "20250315"] == [dhis2_period(tdplan.Period.parse(p)) for p in periods]

    def test_round_trip(self) -> None:
        """The payload read back through the mapping gives the same figures and verdicts."""
        payload = export_dhis2(CARD, self.MAP).files["dataValueSets.json"]
        card = PLAN.assess_table(read_dhis2(payload, self.MAP))
        assert [("3", "Bản Bo", Decimal("17.5")), ("3", "Bản Bo", Decimal(20))] == [
            (a.indicator.id, row.area, a.value) for row, a in zip(card.rows, card.assessments, strict=False)
        ][:2]
        assert [row.status for row in CARD.rows[1:4]] == [row.status for row in card.rows]

    def test_csv_export(self) -> None:
        """DHIS2's CSV export (dataelement, period, orgunit, catoptcombo, …) is read too."""
        text = (
            "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup\n"
            "Obesity0001,2025S1,BanBo000001,Urban000001,HllvX50cXC0,0.15,admin,2025-07-01,,false\n"
        )
        expected = [{"indicator": "8", "period": "2025-H1", "area": "Bản Bo", "residence": "urban", "value": "0.15"}]
        assert expected == read_dhis2(text, self.MAP)

    def test_unknown_element(self) -> None:
        """A data element the mapping does not name is an ExchangeError saying which."""
        with pytest.raises(tdplan.ExchangeError, match="Nope0000001"):
            read_dhis2('{"dataValues": [{"dataElement": "Nope0000001", "orgUnit": "BanBo000001"}]}', self.MAP)

    def test_json_mapping(self, tmp_path: Path) -> None:
        """A mapping file in JSON reads as the TOML one does."""
        import tomllib

        path = tmp_path / "m.json"
        path.write_text(json.dumps(tomllib.loads(MAPPING.read_text("utf-8")), ensure_ascii=False), "utf-8")
        assert self.MAP == load_mapping(path, PLAN)

    def test_mapping_problems(self) -> None:
        """Bad UIDs, an unknown indicator, a missing category option combo: each with its path and line."""
        text = (
            'dhis2_mapping = 1\norg_units = { "Bản Bo" = "short" }\n\n[[data_elements]]\nindicator = "30"\n'
            'data_element = "fbfJHSPpUQD"\n'
        )
        mapping, problems = read_mapping(text, PLAN)
        assert mapping is None
        found = {(p.path, p.line) for p in problems}
        assert ("$.data_elements[0].indicator", 5) in found
        assert ("$.data_elements[0].category_option_combo", 4) in found  # the line of its table
        assert any(p.path == "$.org_units.Bản Bo" for p in problems)


class TestRepeatedFigures:
    """A second figure for the same key is left out and named by every export, never written over the first."""

    ROWS: ClassVar[list[dict[str, object]]] = [
        {"indicator": "3", "value": 17, "year": 2025, "area": "Bản Bo"},
        {"indicator": "3", "value": 19, "year": 2025, "area": "Bản Bo"},
        {"indicator": "19", "value": "99,1%", "period": "2025-H1", "area": "Bản Bo"},
        {"indicator": "3", "value": 18, "year": 2025, "area": "Bình Lư"},
    ]
    REPEATED = "row 2: a second figure for indicator 3 in 2025 for the same area and group is not exported"

    def test_open_sdg(self) -> None:
        """Open SDG keeps row 1's 17, and lists rows 2 and 3 in the order of their rows."""
        export = export_opensdg(PLAN.assess_table(self.ROWS))
        assert (
            "Year,Địa bàn,Units,Value\n2025,Bản Bo,‰,17\n2025,Bình Lư,‰,18\n" == export.files["data/indicator_1-3.csv"]
        )
        assert [
            self.REPEATED,
            "row 3: Open SDG's series are yearly: a figure for H1 2025 is not exported",
        ] == [left.text("en") for left in export.left_out]

    def test_sdmx(self) -> None:
        """SDMX-CSV has one observation for Bản Bo in 2025, row 1's, and names row 2."""
        export = export_sdmx(PLAN.assess_table(self.ROWS))
        rows = list(csv.DictReader(io.StringIO(export.files["data.csv"])))
        assert [("BAN_BO", "2025", "17"), ("BAN_BO", "2025-S1", "99.1"), ("BINH_LU", "2025", "18")] == [
            (row["AREA"], row["TIME_PERIOD"], row["OBS_VALUE"]) for row in rows
        ]
        assert [self.REPEATED] == [left.text("en") for left in export.left_out]

    def test_dhis2(self) -> None:
        """DHIS2 gets one data value for Bản Bo in 2025, row 1's, and row 2 is named."""
        export = export_dhis2(PLAN.assess_table(self.ROWS), TestDhis2.MAP)
        values = json.loads(export.files["dataValueSets.json"])["dataValues"]
        assert [("BanBo000001", "17"), ("BinhLu00001", "18")] == [(v["orgUnit"], v["value"]) for v in values]
        assert [2, 3] == [left.row for left in export.left_out]
        assert self.REPEATED == export.left_out[0].text("en")

    def test_dhis2_one_org_unit(self) -> None:
        """Two areas mapped to one organisation unit: the second area's figure would replace the first's in DHIS2."""
        text = MAPPING.read_text("utf-8").replace('"Bình Lư" = "BinhLu00001"', '"Bình Lư" = "BanBo000001"')
        mapping, problems = read_mapping(text, PLAN)
        assert ([], True) == (problems, mapping is not None)
        assert mapping is not None
        export = export_dhis2(PLAN.assess_table(self.ROWS), mapping)
        values = json.loads(export.files["dataValueSets.json"])["dataValues"]
        assert [("BanBo000001", "17")] == [(v["orgUnit"], v["value"]) for v in values]
        assert "row 4: the mapping sends this figure to the same DHIS2 data value as row 1's: not exported" == (
            export.left_out[-1].text("en")
        )

    def test_command_line(self, tmp_path: Path) -> None:
        """tdplan export --to sdmx names the repeated row on stderr, in Vietnamese, and exits 1."""
        table = tmp_path / "t.csv"
        table.write_text("chỉ tiêu,giá trị,năm,địa bàn\n3,17,2025,Bản Bo\n3,19,2025,Bản Bo\n", "utf-8")
        status, _, err = run("export", str(table), "--to", "sdmx", "-o", str(tmp_path / "s"))
        assert 1 == status
        assert "dòng 2: số liệu thứ hai của chỉ tiêu 3 trong năm 2025 cho cùng địa bàn và nhóm không được xuất" in err
        assert 2 == len((tmp_path / "s" / "data.csv").read_text("utf-8").splitlines())

    def test_command_line_by_reason(self, tmp_path: Path) -> None:
        """Past 1,000 figures left out, stderr says each reason once, with its count and first rows."""
        table = tmp_path / "t.csv"
        table.write_text("chỉ tiêu,giá trị,năm,địa bàn\n" + "3,17,2025,Bản Bo\n" * 1102, "utf-8")
        status, _, err = run("export", str(table), "--to", "sdmx", "-o", str(tmp_path / "s"))
        assert 1 == status
        assert [
            f"{table}: 1.101 dòng (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …): số liệu thứ hai của chỉ tiêu 3 trong năm 2025 "
            "cho cùng địa bàn và nhóm không được xuất",
            f"{table}: 1.101 số liệu không được xuất, đã gộp theo từng lý do ở trên",
        ] == err.splitlines()


class TestNotDhis2:
    """A file that is not a DHIS2 export is an ExchangeError, never an empty table."""

    @pytest.mark.parametrize("text", ["[]", "null", "", "{", "nul\n", "a,b\n1,2\n"])
    def test_refused(self, text: str) -> None:
        """An empty list, JSON that is no document, an unfinished one, a CSV without DHIS2's columns."""
        with pytest.raises(tdplan.ExchangeError):
            read_dhis2(text, load_mapping(MAPPING, PLAN))


class TestCommandLine:
    """tdplan export, tdplan import, tdplan validate for a mapping."""

    def test_export_each(self, tmp_path: Path) -> None:
        """Each platform's files are written; rows left out are on stderr and the status is 1."""
        status, _, err = run("export", str(EXAMPLE), "--to", "opensdg", "-o", str(tmp_path / "o"))
        assert (1, True) == (status, (tmp_path / "o" / "data" / "indicator_1-3.csv").is_file())
        assert "6 tháng đầu năm 2025" in err
        status, _, _ = run("export", str(EXAMPLE), "--to", "sdmx", "-o", str(tmp_path / "s"))
        assert (0, ["data.csv", "structure.xml"]) == (status, sorted(p.name for p in (tmp_path / "s").iterdir()))
        status, _, err = run(
            "export", str(EXAMPLE), "--to", "dhis2", "--mapping", str(MAPPING), "-o", str(tmp_path / "d.json")
        )
        assert 1 == status
        assert "Neonatal001" in (tmp_path / "d.json").read_text("utf-8")
        assert "tệp ánh xạ chưa ghi phần tử dữ liệu cho chỉ tiêu 9" in err

    def test_import(self, tmp_path: Path) -> None:
        """A DHIS2 payload becomes a table that tdplan report reads."""
        payload = tmp_path / "dv.json"
        payload.write_text(export_dhis2(CARD, TestDhis2.MAP).files["dataValueSets.json"], "utf-8")
        status, out, _ = run("import", str(payload), "--from", "dhis2", "--mapping", str(MAPPING), "-o", "-")
        assert (0, "indicator,period,area,residence,value") == (status, out.splitlines()[0])
        assert "3,2025,Bản Bo,,17.5" == out.splitlines()[1]

    def test_validate_mapping(self) -> None:
        """tdplan validate knows a mapping file and checks it against the plan."""
        status, out, _ = run("validate", str(MAPPING), "--lang", "en")
        assert (0, f"{MAPPING}: valid DHIS2 mapping (6 data elements, 4 organisation units)\n") == (status, out)

    def test_validate_bad_mapping(self, tmp_path: Path) -> None:
        """A bad mapping: its problems with their lines, exit 1."""
        bad = tmp_path / "m.toml"
        bad.write_text('dhis2_mapping = 1\ncategory_option_combo = "x"\n[[data_elements]]\nindicator = "3"\n', "utf-8")
        status, out, _ = run("validate", str(bad))
        assert 1 == status
        assert f"{bad}:2: $.category_option_combo:" in out

    def test_report_areas_file(self, tmp_path: Path) -> None:
        """--areas-file: a name a line; giving --areas too is refused (exit 2)."""
        areas = tmp_path / "xa.txt"
        areas.write_text("# các xã\nBản Bo\nNà Tăm\n", "utf-8")
        status, out, _ = run("report", str(EXAMPLE), "--areas-file", str(areas), "--lang", "en", "--format", "json")
        assert (0, ["Bản Bo", "Nà Tăm"]) == (status, json.loads(out)["checks"]["completeness"]["areas"])
        status, _, err = run("report", str(EXAMPLE), "--areas-file", str(areas), "--areas", "Bản Bo", "--lang", "en")
        assert (2, "tdplan: error: give --areas or --areas-file, not both\n") == (status, err)
        status, _, err = run("report", str(EXAMPLE), "--areas-file", str(areas), "--areas", "Bản Bo")
        assert (2, "tdplan: lỗi: chỉ ghi --areas hoặc --areas-file, không ghi cả hai\n") == (status, err)

    def test_report_areas(self) -> None:
        """--areas names the communes that should report; Nà Tăm reported nothing."""
        status, out, _ = run("report", str(EXAMPLE), "--areas", "Bản Bo, Nà Tăm", "--lang", "en", "--format", "md")
        assert 0 == status
        assert "| Nà Tăm | 0 | 88 | 0% |" in out
        assert (
            "Areas in the table that are not expected to report: Lai Châu (toàn tỉnh), Bình Lư, Tả Lèng, Khun Há" in out
        )
