"""Layer 3, analysis: assessing values, progress over time, aggregation, reading tables, scorecards, the NumPy path.

Imports only :mod:`tdplan.core` and :mod:`tdplan.planfiles`, except the convenience
methods declared in ``pyproject.toml`` (docs/architecture.md).
"""
