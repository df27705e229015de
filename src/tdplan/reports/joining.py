"""A large report's rows joined by pyarrow and written to a file, in threads of their own.

:mod:`tdplan.reports.combination_rows` lays out a chunk of rows as pieces (texts shared by
every row, and texts to take from tables of distinct parts, :class:`PartTable`);
:func:`join_pieces` takes and joins them with pyarrow, and :func:`write_chunks` writes the
joined rows. Where :data:`THREADS` is true, the joining runs in a second thread and the
writing in a third while the next chunk is laid out (pyarrow and the file's writes let go
of the interpreter). The joining thread joins about :data:`JOIN_BYTES` of a chunk's text at a
time and hands each run straight to the writing thread, with at most :data:`_WAITING` runs
waiting, so that memory holds a few thousand rows' text whatever the table's length.
"""

from __future__ import annotations

import importlib
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from tdplan.analysis.arrow import arrow_array, arrow_text, numpy_of

__all__ = [
    "JOIN_BYTES",
    "JOIN_ROWS",
    "THREADS",
    "PartTable",
    "RowChunk",
    "behind",
    "join_pieces",
    "memory_pool",
    "utf8_text",
    "write_chunks",
]

T = TypeVar("T")

THREADS = (os.cpu_count() or 1) > 1
"""Whether rows are joined and written in threads of their own while the next rows are laid out."""

_WAITING = 2
"""Items made and not yet consumed, at most, in each thread's queue (:func:`behind`): laid-out chunks waiting to be
joined, joined runs of rows waiting to be written."""

JOIN_BYTES = 3 << 19
"""About how much text pyarrow joins at once, and the writing thread writes at once (1.5 MiB): a report's first run
is :data:`JOIN_ROWS` rows, each next one as many rows as that much text took in the run before (about 2,700 rows of a
JSON report, 5,500 of a CSV report; docs/performance.md, "Where the writing's memory went")."""

JOIN_ROWS = 2_500
"""Rows of a report's first run of joined text (:data:`JOIN_BYTES`)."""


def memory_pool() -> Any:
    """The pyarrow memory pool the rows are joined in: the system allocator, which gives the pages of a run of rows
    back once it is written. pyarrow's default (mimalloc) keeps them: about 30 MB more at the peak of a report of
    100,000 rows (docs/performance.md, "Memory while writing")."""
    return importlib.import_module("pyarrow").system_memory_pool()


def join_pieces(parts: list[tuple[Any, list[Any]]]) -> tuple[Any, Any]:
    """Rows and their texts, from each shape's rows and pieces: a piece is a text for every row (a ``str`` or a
    pyarrow scalar), ``(array, positions)`` to take from an array, or ``(None, numbers)`` for the rows' numbers; each
    shape's pieces taken and joined, the shapes merged in the rows' order."""
    import numpy as np

    pa, pc = importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")
    pool = memory_pool()
    joined = []
    for done, pieces in parts:
        taken = [
            arrow_text(piece)
            if isinstance(piece, str)
            else piece
            if not isinstance(piece, tuple)  # a text made a pyarrow scalar already
            else pc.cast(arrow_array(piece[1]), pa.string(), memory_pool=pool)
            if piece[0] is None
            else pc.take(piece[0], arrow_array(piece[1]), memory_pool=pool)
            for piece in pieces
        ]
        joined.append((done, pc.binary_join_element_wise(*taken, arrow_text(""), memory_pool=pool)))
    if len(joined) > 1:  # assessed rows and problems: merged in the table's order
        done = np.concatenate([done for done, _ in joined])
        order = np.argsort(done, kind="stable")
        texts = pa.concat_arrays([texts for _, texts in joined], memory_pool=pool)
        joined = [(done[order], pc.take(texts, arrow_array(order), memory_pool=pool))]
    return joined[0] if joined else (np.zeros(0, dtype=np.int64), None)


class RowChunk:
    """Rows ``start`` to ``stop`` of a report, laid out (:func:`~tdplan.reports.combination_rows.row_chunks`):
    iterated, their text in order, about :data:`JOIN_BYTES` of it joined at a time.

    ``parts``: for each shape of row, its rows (ascending) and their pieces (:func:`join_pieces`); ``whole``: the
    text of each other row, by index; ``first``: the text before the table's first row; ``then``: the length in
    UTF-8 of the separator each joined row starts with; ``pace``: the rows of the next run, shared by the chunks of
    one report (one item, :data:`JOIN_ROWS` at first). Runs of joined rows come as UTF-8 bytes, the other rows as
    str.
    """

    def __init__(
        self,
        start: int,
        stop: int,
        parts: list[tuple[Any, list[Any]]],
        whole: dict[int, str],
        first: str,
        then: int,
        pace: list[int],
    ) -> None:
        self.start, self.stop, self.parts, self.whole, self.first, self.then = start, stop, parts, whole, first, then
        self.pace = pace

    def __iter__(self) -> Iterator[memoryview | str]:
        import numpy as np

        # the texts every row has, as pyarrow scalars once a chunk, not once a run
        scalars = [
            (done, [arrow_text(piece) if isinstance(piece, str) else piece for piece in pieces])
            for done, pieces in self.parts
        ]
        begin = self.start
        while begin < self.stop:
            end = min(self.stop, begin + self.pace[0])
            parts = []
            for done, pieces in scalars:
                low, high = np.searchsorted(done, [begin, end]).tolist()
                if high > low:
                    parts.append((done[low:high], [_rows_of(piece, low, high) for piece in pieces]))
            fast_rows, texts = join_pieces(parts)
            if texts is not None and len(texts) and texts.buffers()[2] is not None:
                per_row = max(1, texts.buffers()[2].size // len(texts))
                self.pace[0] = max(100, min(100_000, JOIN_BYTES // per_row))
            yield from self._in_order(begin, end, fast_rows, texts)
            begin = end

    def _in_order(self, start: int, stop: int, fast_rows: Any, texts: Any) -> Iterator[memoryview | str]:
        """Rows ``start`` to ``stop`` in order: runs of joined rows as bytes, the other rows' texts."""
        import numpy as np

        offsets: Any = None
        data: Any = None
        if texts is not None:
            offsets = np.frombuffer(texts.buffers()[1], dtype=np.int32)[texts.offset : texts.offset + len(texts) + 1]
            data = memoryview(texts.buffers()[2])
        done = 0  # joined rows written
        if len(fast_rows) and fast_rows[0] == 0:  # the table's first row: after ``first``, not ``then``
            yield self.first
            offsets = offsets.copy()
            offsets[0] += self.then
        whole = [index for index in self.whole if start <= index < stop] if len(fast_rows) < stop - start else []
        for index in whole:
            before = int(np.searchsorted(fast_rows, index))
            if before > done:
                yield data[offsets[done] : offsets[before]]
                done = before
            yield self.whole[index]
        if texts is not None and done < len(texts):
            yield data[offsets[done] : offsets[len(texts)]]


def _rows_of(piece: Any, low: int, high: int) -> Any:
    """A piece of :func:`join_pieces` for its rows ``low`` to ``high`` only."""
    return (piece[0], piece[1][low:high]) if isinstance(piece, tuple) else piece


class PartTable:
    """The written texts of one kind of part, each made once: by a whole number naming it (a cell's code …).

    A text is kept as Python text only until :meth:`arrays` puts it in the pyarrow array.
    """

    def __init__(self) -> None:
        import numpy as np

        self.count = 0  # texts made
        self.first: str | None = None  # the first text made
        self._new: list[str | None] = []  # texts made since the array was last built
        self._names: Any = np.zeros(0, dtype=np.int64)  # by position
        self._array: Any = None  # the texts as a pyarrow array, built up as they come
        self._written: Any = np.zeros(0, dtype=bool)
        self._index: Any = None

    def positions(self, names: list[int], make: Callable[[int, int], str | None]) -> Any:
        """Each name's position among the texts; ``make(name, i)`` writes a new one (``i``: its place in ``names``)."""
        import numpy as np

        compute = importlib.import_module("pyarrow.compute")
        if self._index is None:
            self._index = arrow_array(self._names)
        wanted = arrow_array(np.asarray(names, dtype=np.int64))
        absent = arrow_array(np.array([-1], dtype=np.int32))[0]  # index_in's positions are int32
        found = numpy_of(compute.index_in(wanted, value_set=self._index).fill_null(absent)).astype(np.int64)
        new: dict[int, int] = {}
        for place in (found < 0).nonzero()[0].tolist():
            name = names[place]
            at = new.get(name)  # a name twice in ``names``
            if at is None:
                at = new[name] = self.count
                text = utf8_text(make(name, place))
                self.first = text if self.count == 0 else self.first
                self._new.append(text)
                self.count += 1
            found[place] = at
        if new:
            self._names = np.concatenate([self._names, np.fromiter(new, dtype=np.int64, count=len(new))])
            self._index = None
        return found

    def arrays(self) -> tuple[Any, Any]:
        """The texts as a pyarrow array, and which are written (not None) as a NumPy array."""
        import numpy as np

        pa = importlib.import_module("pyarrow")
        if self._new:
            more, self._new = self._new, []
            array = arrow_array(more)
            self._array = array if self._array is None else pa.concat_arrays([self._array, array], memory_pool())
            self._written = np.concatenate([self._written, np.array([text is not None for text in more], dtype=bool)])
        return self._array, self._written


def utf8_text(text: str | None) -> str | None:
    """``text``, or None (its rows written whole) if it holds a lone surrogate, which no UTF-8 array can."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


def write_chunks(stream: Any, chunks: Iterator[Iterable[memoryview | str]]) -> None:
    """Write :func:`~tdplan.reports.combination_rows.row_chunks` to a text stream: bytes straight to its UTF-8
    buffer where it has one.

    Each chunk is iterated (its rows joined, about :data:`JOIN_BYTES` at a time) by a second thread
    and its text written by a third, each a few items behind, while this one lays out the
    next rows (pyarrow's joining and the file's writes let go of the interpreter): the
    stream is used by the writing thread alone until every chunk is written.
    """
    raw = getattr(stream, "buffer", None)
    utf8 = str(getattr(stream, "encoding", "")).lower().replace("-", "").replace("_", "") == "utf8"

    def write(chunk: memoryview | str) -> None:
        if isinstance(chunk, str):
            stream.write(chunk)
        elif raw is not None and utf8:
            stream.flush()
            raw.write(chunk)
        else:
            stream.write(bytes(chunk).decode("utf-8"))

    if not THREADS:
        for chunk in chunks:
            for piece in chunk:
                write(piece)
        return
    with _Behind(write, "tdplan-report-writer") as writer:
        behind(writer.put_all, chunks, "tdplan-report-join")


def behind(consume: Callable[[T], object], items: Iterable[T], name: str) -> None:
    """``consume`` each of ``items`` in a thread of its own, at most :data:`_WAITING` behind the one making them.

    The first error ``consume`` raises stops it, and is raised again here once the thread
    has ended. Without :data:`THREADS`, each item is consumed here, as it is made.
    """
    if not THREADS:
        for item in items:
            consume(item)
        return
    with _Behind(consume, name) as worker:
        worker.put_all(items)


class _Behind:
    """A thread consuming what :meth:`put_all` is given, in order, at most :data:`_WAITING` items behind; leaving the
    ``with`` block waits for it to end and raises the first error ``consume`` raised."""

    def __init__(self, consume: Callable[[Any], object], name: str) -> None:
        self.consume = consume
        self.waiting: queue.Queue[tuple[Any] | None] = queue.Queue(_WAITING)
        self.failed: list[BaseException] = []
        self.thread = threading.Thread(target=self._work, name=name, daemon=True)

    def __enter__(self) -> _Behind:
        self.thread.start()
        return self

    def _work(self) -> None:
        while (item := self.waiting.get()) is not None:
            if self.failed:
                continue  # drained, so that the making thread never waits on a full queue
            try:
                self.consume(item[0])
            except BaseException as error:  # raised again in the caller's thread
                self.failed.append(error)

    def put_all(self, items: Iterable[Any]) -> None:
        """Queue each of ``items`` (made in the caller's thread); stop early if consuming one failed."""
        for item in items:
            if self.failed:
                raise self.failed[0]
            self.waiting.put((item,))

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.waiting.put(None)
        self.thread.join()
        if self.failed and error is None:
            raise self.failed[0]
