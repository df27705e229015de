"""Layer 4, exchange: a scorecard's figures in formats other platforms read, and DHIS2's figures read back.

:mod:`~tdplan.exchange.opensdg` (sdg-build's input files), :mod:`~tdplan.exchange.sdmx`
(SDMX-CSV 2.0 data and an SDMX-ML 3.0 structure message), :mod:`~tdplan.exchange.dhis2`
(dataValueSets through a mapping file, both ways); each export is an
:class:`~tdplan.exchange.files.Export` (docs/exchange.md, docs/architecture.md).
"""
