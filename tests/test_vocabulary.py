"""One vocabulary: each status has one spelling on every surface, and statuses are ordered best to worst."""

from __future__ import annotations

import csv
import io
import json

import pytest

import tdplan
from tdplan import Status, TrajectoryStatus
from tdplan.analysis.trajectory import OPEN_SDG_STATUSES
from tdplan.core.vocabulary import STATUS_ORDER
from tdplan.reports.render import render

PLAN = tdplan.load_plan()
# One row per status, in the order met, ahead, pending, not met (indicator 3: < 18‰ by 2025).
ROWS = [
    {"indicator": "3", "value": "16,5‰", "year": 2025},
    {"indicator": "3", "value": "16,5‰", "year": 2023},
    {"indicator": "3", "value": "19‰", "year": 2023},
    {"indicator": "3", "value": "19‰", "year": 2025},
]
CODES = ["met", "ahead", "pending", "not_met"]


class TestStatus:
    """Status: its codes and its order."""

    def test_codes(self) -> None:
        """Each status's value is its name in lower case."""
        assert CODES == [status.value for status in STATUS_ORDER]
        assert all(status.value == status.name.lower() for status in Status)

    def test_order(self) -> None:
        """Best to worst, as STATUS_ORDER lists them; rank is the place in it."""
        assert Status.MET < Status.AHEAD < Status.PENDING < Status.NOT_MET
        assert Status.NOT_MET > Status.MET
        assert list(STATUS_ORDER) == sorted(Status)
        assert [0, 1, 2, 3] == [status.rank for status in STATUS_ORDER]
        assert min(Status.PENDING, Status.AHEAD) is Status.AHEAD

    def test_no_order_with_other_types(self) -> None:
        """A status does not compare with a string or a trajectory status."""
        with pytest.raises(TypeError):
            _ = Status.MET < "not_met"  # type: ignore[operator]
        with pytest.raises(TypeError):
            _ = Status.MET < TrajectoryStatus.ON_TRACK  # type: ignore[operator]


class TestTrajectoryStatus:
    """TrajectoryStatus: tdplan's codes, and Open SDG's names beside them."""

    def test_codes(self) -> None:
        """The codes are the names in lower case: on_track, not substantial_progress."""
        assert "on_track" == TrajectoryStatus.ON_TRACK.value
        assert all(status.value == status.name.lower() for status in TrajectoryStatus)

    def test_open_sdg(self) -> None:
        """Open SDG's progress status names, as its methodology spells them."""
        assert {
            "achieved": "target_achieved",
            "on_track": "substantial_progress",
            "moderate": "moderate_progress",
            "limited": "limited_progress",
            "deterioration": "deterioration",
            "insufficient_data": "insufficient_data",
        } == {status.value: status.opensdg for status in TrajectoryStatus}
        assert set(TrajectoryStatus) == set(OPEN_SDG_STATUSES)


class TestSurfaces:
    """JSON, CSV, DataFrames and the command line spell a status the same way."""

    def test_rows_give_each_status(self) -> None:
        """The rows above give met, ahead, pending and not met, in that order."""
        assert list(STATUS_ORDER) == [row.status for row in PLAN.assess_table(ROWS).rows]

    def test_json(self) -> None:
        """JSON rows and counts use the codes."""
        document = json.loads(render(PLAN.assess_table(ROWS), "json"))
        assert CODES == [row["status"] for row in document["rows"]]
        assert dict.fromkeys(CODES, 1) == document["summary"]["counts"]

    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_csv(self, lang: tdplan.Lang) -> None:
        """The CSV status column uses the codes, in both languages."""
        rows = list(csv.reader(io.StringIO(render(PLAN.assess_table(ROWS), "csv", lang=lang).lstrip("\ufeff"))))
        column = rows[0].index({"vi": "Mã kết quả", "en": "Status"}[lang])
        assert CODES == [row[column] for row in rows[1:]]

    def test_dataframes(self) -> None:
        """DataFrames: the status category has the codes, ordered best to worst; trajectories too."""
        pytest.importorskip("pandas")
        frame = PLAN.assess_table(ROWS).to_dataframe()
        assert CODES == frame["status"].tolist()
        assert CODES == list(frame["status"].cat.categories)
        courses = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"}).trajectories_to_dataframe()
        assert ["on_track", "on_track"] == courses["status"].tolist()
        assert [status.value for status in TrajectoryStatus] == list(courses["status"].cat.categories)

    def test_assess_frame(self) -> None:
        """assess_frame's status column uses the codes."""
        pd = pytest.importorskip("pandas")
        frame = pd.DataFrame({"indicator": ["3"] * 4, "year": [2025, 2023, 2023, 2025], "value": [16.5, 16.5, 19, 19]})
        assert CODES == tdplan.assess_frame(PLAN, frame)["status"].tolist()

    def test_command_line(self) -> None:
        """`tdplan assess` prints the label and the code."""
        from tdplan.cli import main

        out = io.StringIO()
        assert 0 == main(["assess", "3", "19‰", "--year", "2025"], out, io.StringIO())
        assert "Kết quả: không đạt (not_met); chênh lệch: -1‰\n" in out.getvalue()
