"""Past one machine: assess_frame per partition with Dask gives the single-machine result."""

from __future__ import annotations

import pandas as pd
import pytest

import tdplan

dd = pytest.importorskip("dask.dataframe")

from test_bulk import random_table  # noqa: E402  (after the skip: the helper needs no Dask)


def test_map_partitions_equals_one_frame() -> None:
    """Four partitions assessed separately give, row for row, what the whole table gives."""
    plan = tdplan.load_plan()
    frame = random_table(20_000, seed=3)
    whole = tdplan.assess_frame(plan, frame)
    table = dd.from_pandas(frame, npartitions=4)
    meta = tdplan.assess_frame(plan, frame.head(0))
    result = table.map_partitions(lambda part: tdplan.assess_frame(plan, part), meta=meta).compute(scheduler="threads")
    # Dask stores text as Arrow strings: compare the values, not the dtypes
    assert list(whole.index) == list(result.index)
    for column in ("status", "problem"):
        assert list(whole[column].fillna("-")) == list(result[column].fillna("-"))
    counts = result["status"].value_counts(dropna=False)
    assert len(frame) == int(counts.sum())


def test_partition_index_kept() -> None:
    """Each partition keeps its own index, so rows can be joined back to the source."""
    plan = tdplan.load_plan()
    frame = pd.DataFrame({"indicator": ["3", "9"], "year": [2025, 2025], "value": [16.5, 95.0]}, index=[10, 11])
    assert [10, 11] == list(tdplan.assess_frame(plan, frame).index)
    assert ["met", "not_met"] == list(tdplan.assess_frame(plan, frame)["status"])
