"""tdplan's version, from the installed package's metadata."""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _metadata_version

__all__ = ["version"]


@functools.cache
def version() -> str:
    """The installed tdplan's version (``0+unknown`` in a source tree that was never installed).

    >>> version().count(".") >= 1 or version() == "0+unknown"
    True
    """
    try:
        return _metadata_version("tdplan")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "0+unknown"
