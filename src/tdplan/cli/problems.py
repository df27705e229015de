"""The rows of a table that could not be assessed, on standard error: a line a row, or a line a kind when many.

``tdplan report`` and ``tdplan export`` say which rows failed and why. Up to
:data:`~tdplan.reports.content.PROBLEMS_SHOWN` problems, each is a line with its row
(``bang.csv: dòng 3: …``). A table with more (one written for another plan, with national
indicator codes, can have hundreds of thousands) gets a line per kind of problem instead
(the rows of one error and message: :mod:`tdplan.analysis.problem_kinds`), with its count
and its first rows, as the reports list them, and a last line saying where every row's
problem is: the CSV, xlsx and JSON reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tdplan.analysis.scorecard import Scorecard
from tdplan.core.i18n import N_, Message
from tdplan.core.notation import Lang
from tdplan.exchange.files import LeftOut
from tdplan.reports.content import PROBLEMS_SHOWN, count_text, kind_rows_text, many_problems, named_rows

__all__ = ["left_out_lines", "one_line", "problem_lines"]

_KIND = N_("{file}: {count} rows ({rows}): {message}")
_SINGLE = N_("{file}: row {row}: {message}")
_LEFT_OUT = N_("{file}: {count} figures left out, said above by reason")
_EVERY = N_(
    "{file}: {count} rows could not be assessed, said above by kind; "
    "the CSV, Excel (xlsx) and JSON reports give every row's problem in its row"
)


def one_line(text: str) -> str:
    """A message as one line with no control characters: a table's header must not drive the terminal."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def problem_lines(card: Scorecard, file: str, lang: Lang) -> Iterator[str]:
    """The lines (without their line break) that say ``card``'s problems, ``file`` being the table's name."""
    problems = card.problems
    if not many_problems(card):
        for problem in problems:
            message = " ".join(problem.message(lang).split())
            yield one_line(Message(_SINGLE, file=file, row=problem.row, message=message).text(lang))
        return
    kinds = card.problem_kinds(lang)
    for kind, message in enumerate(kinds.messages):
        message = " ".join(message.split())
        count = kinds.counts[kind]
        if count == 1:
            line = Message(_SINGLE, file=file, row=kinds.first_rows(kind, 1)[0], message=message)
        else:
            rows = kind_rows_text(kinds, kind)
            line = Message(_KIND, file=file, count=count_text(count, lang), rows=rows, message=message)
        yield one_line(line.text(lang))
    yield one_line(Message(_EVERY, file=file, count=count_text(len(problems), lang)).text(lang))


def left_out_lines(left_out: Sequence[LeftOut], file: str, lang: Lang) -> Iterator[str]:
    """The lines that say the figures an export left out: a line each, or past
    :data:`~tdplan.reports.content.PROBLEMS_SHOWN` a line per reason, with its count and first rows."""
    if len(left_out) <= PROBLEMS_SHOWN:
        for left in left_out:
            yield one_line(f"{file}: {left.text(lang)}")
        return
    rows_of: dict[str, list[int]] = {}
    for left in left_out:
        rows_of.setdefault(left.reason.text(lang), []).append(left.row)
    for reason, rows in rows_of.items():
        if len(rows) == 1:
            line = Message(_SINGLE, file=file, row=rows[0], message=reason)
        else:
            named = named_rows(rows, len(rows))
            line = Message(_KIND, file=file, count=count_text(len(rows), lang), rows=named, message=reason)
        yield one_line(line.text(lang))
    yield one_line(Message(_LEFT_OUT, file=file, count=count_text(len(left_out), lang)).text(lang))
