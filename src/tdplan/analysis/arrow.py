"""pyarrow arrays to and from NumPy and Python without importing pandas.

pyarrow's own conversions (``pyarrow.array``, ``pyarrow.scalar``, ``Array.to_numpy``,
a Python number or text given to a compute function) first ask whether the object is a
pandas one, and import pandas to ask: 40 MB of memory and a quarter of a second, for a
large CSV file that pandas never reads. These make the same arrays from their buffers:
:func:`arrow_array` (a NumPy array, no copy for numbers; a list of texts),
:func:`arrow_text` (one text, for a compute function), :func:`numpy_of` (an array of
numbers or booleans read back).

>>> import numpy as np
>>> numpy_of(arrow_array(np.array([3, 1, 2]))).tolist()
[3, 1, 2]
>>> arrow_array(["16,5", None]).to_pylist()
['16,5', None]
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

__all__ = ["arrow_array", "arrow_text", "numpy_of"]


def arrow_array(values: Any) -> Any:
    """``values`` as a pyarrow array: a pyarrow array as it is, a NumPy array of numbers (its memory, not a copy) or
    of booleans, or a sequence of texts and None (as Arrow text, None missing)."""
    import numpy as np

    pa = importlib.import_module("pyarrow")
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        data = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("="))
        return pa.Array.from_buffers(pa.from_numpy_dtype(data.dtype), len(data), [None, pa.py_buffer(data)])
    if isinstance(values, np.ndarray) and values.dtype.kind == "b":
        bits = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])
    return _texts(list(values))


def _texts(texts: Sequence[str | None]) -> Any:
    import numpy as np

    pa = importlib.import_module("pyarrow")
    encoded = [b"" if text is None else text.encode() for text in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    missing = np.fromiter((text is None for text in texts), dtype=bool, count=len(texts))
    validity = pa.py_buffer(np.packbits(~missing, bitorder="little")) if missing.any() else None
    data = pa.py_buffer(b"".join(encoded))
    if offsets[-1] < 2**31:
        offsets32 = pa.py_buffer(offsets.astype(np.int32))
        return pa.StringArray.from_buffers(len(encoded), offsets32, data, validity, int(missing.sum()))
    large = pa.LargeStringArray.from_buffers(len(encoded), pa.py_buffer(offsets), data, validity, int(missing.sum()))
    return large.cast(pa.string())  # over 2 GiB of text: pyarrow says so, as pyarrow.array would


def arrow_text(text: str) -> Any:
    """``text`` as a pyarrow scalar, for a compute function (given a ``str``, it would import pandas)."""
    return _texts([text])[0]


def numpy_of(array: Any) -> Any:
    """A pyarrow array (or chunked array) of numbers or booleans, with no missing value, as a NumPy array: numbers
    read from its memory (read-only), booleans unpacked (a new array)."""
    import numpy as np

    pa = importlib.import_module("pyarrow")
    if isinstance(array, pa.ChunkedArray):
        parts = [numpy_of(chunk) for chunk in array.chunks]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=_dtype(pa, array.type))
    if array.null_count:
        raise ValueError("an array with missing values has no NumPy array of numbers")
    dtype = _dtype(pa, array.type)
    data = array.buffers()[1]
    if dtype == np.dtype(bool):
        bits = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
        return np.unpackbits(bits, count=array.offset + len(array), bitorder="little")[array.offset :].astype(bool)
    if data is None:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(data, dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)


def _dtype(pa: Any, kind: Any) -> Any:
    import numpy as np

    if pa.types.is_boolean(kind):
        return np.dtype(bool)
    if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        raise TypeError(f"no NumPy numbers for Arrow {kind}")
    return np.dtype(kind.to_pandas_dtype())
