"""Render the chart images of docs/jupyter.md from the example data: python docs/images/render_charts.py.

Run it from anywhere; it writes the PNG files next to itself. The series of indicator 3
is illustrative, as the page says.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SERIES = {2020: 25, 2021: "24,1‰", 2022: "23,958‰", 2023: "21,5‰", 2024: "19,8‰"}


def main() -> None:
    """Draw the two charts and save them as PNG files at 110 dpi."""
    import tdplan

    plan = tdplan.load_plan()
    progress = plan.track("3", SERIES)
    progress.plot().figure.savefig(HERE / "tien-do-chi-tieu-3.png", dpi=110)
    card = plan.assess_table(ROOT / "examples" / "data" / "bang-so-lieu-mau.csv")
    card.plot(by="goal").figure.savefig(HERE / "theo-muc-tieu.png", dpi=110)


if __name__ == "__main__":
    main()
