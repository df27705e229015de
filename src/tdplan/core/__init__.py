"""Layer 1, the core: the model, its vocabulary, units, notation, periods, text and errors.

No file or network access, and no knowledge of any layer above (docs/architecture.md).
"""
