"""Layer 4, reports: a scorecard in five formats, Jupyter displays, DataFrames and charts.

:func:`~tdplan.reports.render.render` is the entry point; each format is a module, and
:mod:`tdplan.reports.content` holds what they all say (docs/architecture.md).
"""
