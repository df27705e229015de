"""What a caller's number can be: NumPy times are not numbers, no count, id or year runs past 30 digits, and
a DataFrame's missing cell has many forms.

Checked before a value is turned into an int or a Decimal: NumPy makes ``timedelta64`` an
integer type, and an int of 5,000 digits cannot even be written in a message.
"""

from __future__ import annotations

import numbers
from decimal import Decimal
from typing import Any

__all__ = ["is_missing", "is_time", "too_big"]


def is_time(value: Any) -> bool:
    """Whether ``value`` is a NumPy time or duration (``timedelta64``, ``datetime64``): never a count or a value.

    NumPy makes ``timedelta64`` an integer type, so ``numbers.Integral`` alone would read ``timedelta64(16)`` as 16.
    """
    kind = getattr(getattr(value, "dtype", None), "kind", None) if type(value).__module__ == "numpy" else None
    return kind in ("m", "M")


_BIG = 10**30  # no count, id or year has more digits; past 4,300 digits Python cannot even write an int


def too_big(value: object) -> bool:
    """Whether a number is too long to be a count, an id or a year (more than 30 digits)."""
    if isinstance(value, float):
        return not -1e30 < value < 1e30
    if isinstance(value, numbers.Integral) and not is_time(value):
        return not -_BIG < int(value) < _BIG
    return False


def is_missing(value: Any) -> bool:
    """Whether a DataFrame's cell is missing, as pandas takes one: None, NA, NaT, or a NaN of any kind.

    >>> from decimal import Decimal
    >>> [is_missing(cell) for cell in (None, float("nan"), Decimal("NaN"), 0.0, "", "nan")]
    [True, True, True, False, False, False]
    """
    if value is None or type(value).__name__ in ("NaTType", "NAType"):
        return True
    if isinstance(value, Decimal):
        return value.is_nan()  # Decimal("sNaN") too, which no comparison may touch
    if is_time(value) or (isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral)):
        return bool(value != value)  # NumPy's float32 NaN and timedelta64("NaT") too
    return False
