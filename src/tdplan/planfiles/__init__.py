"""Layer 2, plan files: the file format and its JSON Schema, validation, loading and writing plans.

Imports only :mod:`tdplan.core` (docs/architecture.md).
"""
