"""A large report's rows joined by pyarrow and written to a file, in threads of their own.

:mod:`tdplan.reports.combination_rows` lays out a chunk of rows as pieces (texts shared by
every row, and texts to take from tables of distinct parts, :class:`PartTable`);
:func:`join_pieces` takes and joins them with pyarrow, and :func:`write_chunks` writes the
joined chunks. Where :data:`THREADS` is true, the joining runs in a second thread and the
writing in a third while the next chunk is laid out (pyarrow and the file's writes let go
of the interpreter), with at most a few chunks waiting, so that memory holds a few
chunks' text whatever the table's length.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from tdplan.analysis.arrow import arrow_array, arrow_text, numpy_of

__all__ = ["THREADS", "Inline", "PartTable", "behind", "join_pieces", "utf8_text", "write_chunks"]

T = TypeVar("T")

THREADS = (os.cpu_count() or 1) > 1
"""Whether rows are joined and written in threads of their own while the next rows are laid out."""

_WAITING = 2
"""Chunks of text joined and not yet written, at most: the writing thread's queue."""


class Inline:
    """Runs each job at once, in the caller's thread: the joining of rows without threads (as an executor would)."""

    def __enter__(self) -> Inline:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, job: Callable[..., Any], *args: Any) -> concurrent.futures.Future[Any]:
        done: concurrent.futures.Future[Any] = concurrent.futures.Future()
        done.set_result(job(*args))
        return done


def join_pieces(parts: list[tuple[Any, list[Any]]]) -> tuple[Any, Any]:
    """Rows and their texts, from each shape's rows and pieces: a piece is a text for every row, ``(array,
    positions)`` to take from an array, or ``(None, numbers)`` for the rows' numbers; each shape's pieces taken and
    joined, the shapes merged in the rows' order."""
    import numpy as np

    pa, pc = importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")
    joined = []
    for done, pieces in parts:
        taken = [
            arrow_text(piece)
            if isinstance(piece, str)
            else pc.cast(arrow_array(piece[1]), pa.string())
            if piece[0] is None
            else piece[0].take(arrow_array(piece[1]))
            for piece in pieces
        ]
        joined.append((done, pc.binary_join_element_wise(*taken, arrow_text(""))))
    if len(joined) > 1:  # assessed rows and problems: merged in the table's order
        done = np.concatenate([done for done, _ in joined])
        order = np.argsort(done, kind="stable")
        joined = [(done[order], pa.concat_arrays([texts for _, texts in joined]).take(arrow_array(order)))]
    return joined[0] if joined else (np.zeros(0, dtype=np.int64), None)


class PartTable:
    """The written texts of one kind of part, each made once: by a whole number naming it (a cell's code …)."""

    def __init__(self) -> None:
        import numpy as np

        self.texts: list[str | None] = []
        self.position: dict[int, int] = {}
        self._names: Any = np.zeros(0, dtype=np.int64)  # by position
        self._array: Any = None  # the texts as a pyarrow array, built up as they come
        self._written: Any = np.zeros(0, dtype=bool)
        self._index: Any = None

    def positions(self, names: list[int], make: Callable[[int, int], str | None]) -> Any:
        """Each name's position in :attr:`texts`; ``make(name, i)`` writes a new one (``i``: its place in ``names``)."""
        import numpy as np

        compute = importlib.import_module("pyarrow.compute")
        if self._index is None:
            self._index = arrow_array(self._names)
        wanted = arrow_array(np.asarray(names, dtype=np.int64))
        absent = arrow_array(np.array([-1], dtype=np.int32))[0]  # index_in's positions are int32
        found = numpy_of(compute.index_in(wanted, value_set=self._index).fill_null(absent)).astype(np.int64)
        new: list[int] = []
        for place in (found < 0).nonzero()[0].tolist():
            name = names[place]
            at = self.position.get(name)  # a name twice in ``names``
            if at is None:
                at = self.position[name] = len(self.texts)
                self.texts.append(utf8_text(make(name, place)))
                new.append(name)
            found[place] = at
        if new:
            self._names = np.concatenate([self._names, np.array(new, dtype=np.int64)])
            self._index = None
        return found

    def arrays(self) -> tuple[Any, Any]:
        """The texts as a pyarrow array, and which are written (not None) as a NumPy array."""
        import numpy as np

        pa = importlib.import_module("pyarrow")
        built = len(self._written)
        if built < len(self.texts):
            more = self.texts[built:]
            array = arrow_array(more)
            self._array = array if self._array is None else pa.concat_arrays([self._array, array])
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


def write_chunks(stream: Any, chunks: Iterator[memoryview | str]) -> None:
    """Write :func:`row_chunks` to a text stream: bytes straight to its UTF-8 buffer where it has one.

    The writing is done by a second thread, a few chunks behind, while this one joins the
    next rows (writing a file and pyarrow's joining both let go of the interpreter): the
    stream is used by that thread alone until every chunk is written.
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

    behind(write, chunks, "tdplan-report-writer")


def behind(consume: Callable[[T], object], items: Iterable[T], name: str) -> None:
    """``consume`` each of ``items`` in a thread of its own, at most :data:`_WAITING` behind the one making them.

    The first error ``consume`` raises stops it, and is raised again here once the thread
    has ended. Without :data:`THREADS`, each item is consumed here, as it is made.
    """
    if not THREADS:
        for item in items:
            consume(item)
        return
    waiting: queue.Queue[tuple[T] | None] = queue.Queue(_WAITING)
    failed: list[BaseException] = []

    def work() -> None:
        while (item := waiting.get()) is not None:
            if failed:
                continue  # drained, so that the making thread never waits on a full queue
            try:
                consume(item[0])
            except BaseException as error:  # raised again in the caller's thread
                failed.append(error)

    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    try:
        for item in items:
            if failed:
                break
            waiting.put((item,))
    finally:
        waiting.put(None)
        thread.join()
    if failed:
        raise failed[0]
