"""The example notebook runs from top to bottom, so it never rots, and is stored without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).parent.parent
NOTEBOOK = ROOT / "examples" / "notebooks" / "tdplan-tour.ipynb"


def test_stored_without_outputs() -> None:
    """The notebook in the repository has no outputs and no execution counts (they would go stale)."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert [] == [cell.id for cell in code if cell.outputs or cell.execution_count is not None]


def test_runs() -> None:
    """Every cell runs without an error in a python3 kernel; the reprs are HTML and the charts PNG images."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = {cell.id: cell.outputs for cell in notebook.cells if cell.cell_type == "code"}
    assert [] == [
        cell_id for cell_id, cell_outputs in outputs.items() if any(o.output_type == "error" for o in cell_outputs)
    ]

    def kinds(cell_id: str) -> set[str]:
        return {kind for output in outputs[cell_id] for kind in output.get("data", {})}

    for cell_id in ("setup", "indicator", "assessment", "table", "frame", "track"):
        assert "text/html" in kinds(cell_id), cell_id
    for cell_id in ("chart-goal", "chart-agency", "track-chart", "falls"):
        assert "image/png" in kinds(cell_id), cell_id
    assert "không đạt" in outputs["boundary"][0]["data"]["text/html"]
    assert (
        "(Decimal('16.66666666666666666666666666666667'), False, 'ahead')"
        == (outputs["frame-exact"][0]["data"]["text/plain"])
    )
