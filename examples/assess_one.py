"""Assess one measured value against the Tam Đường plan, as a script would.

Run it with ``python examples/assess_one.py``. The figures are the province-level
ones Lai Châu published for 2021–2025 (see ``docs/getting-started.md`` for the
sources); Tam Đường's own figures were not found.
"""

from __future__ import annotations

import tdplan


def main() -> None:
    plan = tdplan.load_plan()

    # Full immunisation of children under 1: "đạt ≥ 97,2% vào năm 2025 và 2030".
    # Lai Châu reported 95 % for 2021–2025 (Department of Health).
    immunisation = plan.assess("9", "95%", year=2025)
    print(immunisation.explain("en"))
    print(f"  status {immunisation.status.name}, margin {immunisation.margin} percentage points")

    # Stunting of children under 5: "xuống dưới 20% vào năm 2025". Lai Châu: 19,93 %.
    stunting = plan.assess("7", "19,93%", year=2025)
    print(stunting.explain("vi"))

    # A value written in another unit gets the same verdict, at the boundary too.
    neonatal = plan.assess("3", "1,8%", year=2025)
    print(neonatal.explain("en"))

    # Bad input is a typed error that says what is valid.
    try:
        plan.assess("8", "0,05%", year=2025)
    except tdplan.DisaggregationError as error:
        print(f"error: {error}")


if __name__ == "__main__":
    main()
