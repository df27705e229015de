"""Generated and mutated plans: round trips, the JSON Schema, and a fuzz test of the loader."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.resources
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tdplan
from tdplan.planfiles.format import to_data

ROOT = Path(__file__).parent.parent
SCHEMA = json.loads(tdplan.plan_schema())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
SHIPPED = tomllib.loads(
    importlib.resources.files("tdplan").joinpath("data", "tam-duong-2021-2030.toml").read_text("utf-8"),
    parse_float=Decimal,
)


def as_json(data: Any) -> Any:
    """TOML data as the JSON the schema describes: dates as ISO strings."""
    if isinstance(data, dict):
        return {key: as_json(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_json(item) for item in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


# Valid plans, built from the format's rules.

words = st.text(alphabet="abcdeghiklmnopqrstuvxyàáảãạăâđêôơư ", min_size=1, max_size=20).map(str.strip).filter(bool)
texts = st.one_of(words, st.fixed_dictionaries({"vi": words}, optional={"en": words}))
ids = st.from_regex(r"\A[0-9]{1,2}[a-z]?\Z")
agency_ids = st.from_regex(r"\A[a-z][a-z0-9_]{0,8}\Z")
units = st.sampled_from(["percent", "permille", "per_100000"])


@st.composite
def targets(draw: st.DrawFn, unit: str, start: int, end: int, group: dict[str, str] | None) -> dict[str, Any]:
    whole = {"percent": 100, "permille": 1000, "per_100000": 100000}[unit]
    target: dict[str, Any] = {
        "comparator": draw(st.sampled_from(["<", "<=", ">=", ">"])),
        "threshold": draw(st.decimals(min_value=0, max_value=whole, places=3)),
    }
    year = draw(st.one_of(st.none(), st.integers(start, end)))
    if year is not None:
        target["year"] = year
    if group:
        target["disaggregation"] = group
    if draw(st.booleans()):
        target["note"] = draw(texts)
    return target


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """Data for a valid plan: goals, agencies, indicators and consistent targets."""
    start = draw(st.integers(2000, 2040))
    end = start + draw(st.integers(0, 15))
    goals = list(range(1, draw(st.integers(1, 4)) + 1))
    agencies = draw(st.lists(agency_ids, min_size=1, max_size=4, unique=True))
    indicators = []
    for indicator_id in draw(st.lists(ids, min_size=1, max_size=6, unique=True)):
        unit = draw(units)
        groups: list[dict[str, str] | None] = draw(
            st.sampled_from([[None], [{"residence": "rural"}, {"residence": "urban"}], [{"age": "2-3"}]])
        )
        all_targets = []
        for group in groups:
            years = draw(st.lists(st.integers(start, end), min_size=1, max_size=3, unique=True))
            for year in years:
                target = draw(targets(unit, start, end, group))
                target["year"] = year
                all_targets.append(target)
        indicator = {
            "id": indicator_id,
            "goal": draw(st.sampled_from(goals)),
            "lead": draw(st.lists(st.sampled_from(agencies), min_size=1, max_size=2, unique=True)),
            "unit": unit,
            "name": draw(texts),
            "targets": all_targets,
        }
        if draw(st.booleans()):
            indicator["population"] = draw(texts)
        indicators.append(indicator)
    return {
        "tdplan": 1,
        "id": draw(st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,20}\Z")),
        "title": draw(texts),
        "issuer": draw(texts),
        "start_year": start,
        "end_year": end,
        "goals": [{"number": number, "title": draw(texts)} for number in goals],
        "agencies": [{"id": agency, "name": draw(texts)} for agency in agencies],
        "indicators": indicators,
    }


class TestGenerated:
    """Plans generated from the format's rules."""

    @given(plans(), st.sampled_from(["toml", "json"]))
    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    def test_round_trip(self, data: dict[str, Any], format: tdplan.Format) -> None:
        """A generated plan loads, matches the schema, and survives dump and load in either format."""
        plan = tdplan.loads_plan(tomli_w.dumps(data))
        VALIDATOR.validate(as_json(data))
        assert plan == tdplan.loads_plan(tdplan.dumps_plan(plan, format), format)
        VALIDATOR.validate(as_json(to_data(plan)))


class TestSchema:
    """The JSON Schema accepts every valid plan tdplan ships or shows."""

    @pytest.mark.parametrize(
        "path",
        ["examples/plans/xa-vi-du-2026-2030.toml", "examples/plans/template.toml"],
    )
    def test_examples(self, path: str) -> None:
        """The example plan and the template are valid by the schema."""
        VALIDATOR.validate(as_json(tomllib.loads((ROOT / path).read_text("utf-8"), parse_float=Decimal)))

    def test_shipped(self) -> None:
        """The shipped plan is valid by the schema, as TOML data and as exported JSON."""
        VALIDATOR.validate(as_json(SHIPPED))
        VALIDATOR.validate(json.loads(tdplan.dumps_plan(tdplan.load_plan(), "json")))

    def test_rejects(self) -> None:
        """The schema rejects a misspelled key, an unknown unit and a missing field."""
        data = as_json(copy.deepcopy(SHIPPED))
        data["indicators"][0]["targets"][0]["treshold"] = 1
        data["indicators"][1]["unit"] = "percnt"
        del data["title"]
        assert 3 <= len(list(VALIDATOR.iter_errors(data)))

    def test_meta(self) -> None:
        """The schema is itself a valid draft 2020-12 schema."""
        jsonschema.Draft202012Validator.check_schema(SCHEMA)


# Mutations of the shipped plan.

JUNK = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**400),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    st.dates(),
)


def places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside the data."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += places(value, (*path, index))
    return found


PLACES = places(SHIPPED)[1:]


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """The shipped plan with a few keys deleted, values replaced, entries duplicated, junk inserted."""
    data = copy.deepcopy(SHIPPED)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PLACES))
        parent: Any = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            key = path[-1]
            action = draw(st.sampled_from(["delete", "replace", "duplicate", "insert"]))
            if action == "delete":
                del parent[key]
            elif action == "replace":
                parent[key] = draw(JUNK)
            elif action == "duplicate" and isinstance(parent, list):
                parent.append(copy.deepcopy(parent[key]))
            elif isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=12))] = draw(JUNK)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this place
    return data


class TestFuzz:
    """A mutated plan loads as a plan or as problems with paths: never another exception, never a hang."""

    @given(mutated(), st.sampled_from(["toml", "json"]))
    @settings(max_examples=150, deadline=dt.timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])
    def test_mutations(self, data: dict[str, Any], format: tdplan.Format) -> None:
        """Every outcome is a valid plan or a list of problems that each have a path; a valid one fits the schema."""
        try:
            text = tomli_w.dumps(data) if format == "toml" else json.dumps(as_json(data), default=str)
        except (TypeError, ValueError):
            return  # a mutation TOML cannot write (such as a mixed list) cannot come from a file
        plan, problems = tdplan.read_plan(text, format)
        assert all(problem.path.startswith("$") for problem in problems)
        if plan is None:
            assert any(problem.severity == "error" for problem in problems)
            return
        assert VALIDATOR.is_valid(as_json(data)), list(VALIDATOR.iter_errors(as_json(data)))[:1]
        use(plan)

    @given(st.binary(max_size=200), st.sampled_from(["toml", "json"]))
    def test_bytes(self, data: bytes, format: tdplan.Format) -> None:
        """Random bytes are problems, never an exception."""
        plan, problems = tdplan.read_plan(data, format)
        assert plan is None or not problems or all(p.severity == "warning" for p in problems)

    @given(st.integers(0, 4000), st.integers(0, 255))
    def test_broken_encoding(self, offset: int, byte: int) -> None:
        """One byte of the shipped file replaced: a plan or problems, never an exception."""
        raw = bytearray(tomli_w.dumps(SHIPPED).encode("utf-8"))
        raw[offset % len(raw)] = byte
        plan, problems = tdplan.read_plan(bytes(raw))
        assert plan is not None or problems


def use(plan: tdplan.Plan) -> None:
    """Everything a valid plan offers works: reprs, descriptions, assessments of boundary values, dumping."""
    assert repr(plan)
    assert tdplan.loads_plan(tdplan.dumps_plan(plan, "json"), "json") == plan
    for indicator in plan.indicators:
        assert repr(indicator)
        assert indicator.describe_targets("vi")
        assert indicator.describe_targets("en")
        for target in indicator.targets:
            if target.kind is not tdplan.TargetKind.LEVEL or target.year is None:
                continue
            group = dict(target.disaggregation) or None
            try:
                result = plan.assess(
                    indicator.id, target.threshold, target.unit, year=target.year, disaggregation=group
                )
            except tdplan.TdplanError:
                continue  # a count unit, for instance
            assert result.explain("vi")
            assert result.explain("en")
            assert repr(result)
