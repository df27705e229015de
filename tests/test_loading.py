"""Loading plan data: structuring with paths in errors, links, NFC, and the cache."""

from __future__ import annotations

import copy
import importlib.resources
import threading
import tomllib
import unicodedata
from decimal import Decimal
from typing import Any

import pytest

import tdplan
from tdplan.loading import build_plan, structure_plan


@pytest.fixture
def data() -> dict[str, Any]:
    """The shipped plan file, parsed, as a fresh dict each test may change."""
    text = importlib.resources.files("tdplan").joinpath("data", "tam-duong-2021-2030.toml").read_text("utf-8")
    return tomllib.loads(text, parse_float=Decimal)


def load(data: dict[str, Any]) -> tdplan.Plan:
    return build_plan(structure_plan(copy.deepcopy(data), "test.toml"), "test.toml")


class TestStructure:
    """Type errors and unknown keys are reported with a path, all at once."""

    def test_round(self, data: dict[str, Any]) -> None:
        """The shipped data builds a plan equal to the cached one."""
        assert tdplan.load_plan() == load(data)

    def test_every_error_with_path(self, data: dict[str, Any]) -> None:
        """Two independent mistakes are both reported, each with its path."""
        data["indicators"][2]["targets"][0]["threshold"] = "eighteen"
        data["indicators"][5]["targets"][1]["treshold"] = 12
        with pytest.raises(tdplan.PlanDataError) as info:
            load(data)
        errors = "\n".join(info.value.errors)
        assert "$.indicators[2].targets[0].threshold" in errors
        assert "treshold" in errors
        assert isinstance(info.value, ValueError)

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (lambda d: d["indicators"][0].__setitem__("unit", "kilogram"), "$.indicators[0].unit"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("comparator", "=>"), "comparator"),
            (lambda d: d["indicators"][0].__setitem__("goal", "1"), "$.indicators[0].goal"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("threshold", True), "threshold"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("threshold", 97.2), "threshold"),
            (lambda d: d.pop("title"), "$.title"),
            (lambda d: d["legal_basis"].__setitem__("date", 20200406), "$.legal_basis.date"),
        ],
    )
    def test_type_errors(self, data: dict[str, Any], change: Any, path: str) -> None:
        """Wrong types, missing fields and floats (inexact) are errors at their path."""
        change(data)
        with pytest.raises(tdplan.PlanDataError, match=path.replace("$", r"\$").replace("[", r"\[")):
            load(data)


class TestLinks:
    """References, ids, years and bounds are checked after structuring."""

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda d: d["indicators"][1].__setitem__("id", "1"), "duplicate indicator id '1'"),
            (lambda d: d["indicators"][0].__setitem__("goal", 7), "goal 7 is not defined"),
            (lambda d: d["indicators"][0].__setitem__("lead", ["labor"]), "agency 'labor' is not defined"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("year", 2035), "year 2035 is outside"),
            (lambda d: d["indicators"][0]["targets"][0].__setitem__("threshold", 101), "above the whole"),
            (lambda d: d["indicators"][0].__setitem__("targets", []), "at least one target"),
            (lambda d: d.__setitem__("tdplan", 2), "format version 2"),
        ],
    )
    def test_problems(self, data: dict[str, Any], change: Any, message: str) -> None:
        """Each broken link is a PlanDataError saying what is wrong."""
        change(data)
        with pytest.raises(tdplan.PlanDataError, match=message):
            load(data)

    def test_nfc(self, data: dict[str, Any]) -> None:
        """Decomposed text is normalised to NFC on load."""
        data["indicators"][2]["name"]["vi"] = unicodedata.normalize("NFD", "Tỷ suất tử vong trẻ sơ sinh")
        plan = load(data)
        assert unicodedata.is_normalized("NFC", plan.indicator("3").name.vi)
        assert "Tỷ suất tử vong trẻ sơ sinh" == plan.indicator("3").name.vi


class TestCache:
    """The shipped plan is read once and shared."""

    def test_concurrent_first_load(self) -> None:
        """Threads loading at the same time get the same object."""
        plans: list[tdplan.Plan] = []
        threads = [threading.Thread(target=lambda: plans.append(tdplan.load_plan())) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert 1 == len({id(plan) for plan in plans})
