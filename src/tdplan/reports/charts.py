"""Charts with matplotlib: a series against its targets, and a scorecard's statuses by goal or office.

``Progress.plot`` and ``Scorecard.plot`` call these. matplotlib is an optional extra
(``pip install 'tdplan[charts]'``), imported only here, when a chart is drawn; without
it a :class:`~tdplan.MissingDependencyError` says what to install.

Charts use matplotlib's object API (:class:`matplotlib.figure.Figure`), never
``pyplot``: no global state and no window, so they are safe in threads and on servers,
and drawing one changes nothing for the caller's other figures. Each function draws on
the Axes it is given, or on a new Figure's, and returns the Axes: save the chart with
``ax.figure.savefig("chart.png")``; in Jupyter, show it with ``ax.figure`` as a cell's
last line (after ``%matplotlib inline``, or once ``matplotlib.pyplot`` has been imported).

Labels are in Vietnamese or English (``lang``), numbers in that language's notation,
statuses coloured as in the HTML (:data:`tdplan.reports.colours.STATUS_COLOURS`) and named in
the legend.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING

from tdplan.core.errors import MissingDependencyError
from tdplan.core.i18n import C_
from tdplan.core.notation import Lang, format_number, format_value, percent, rounded
from tdplan.core.periods import PeriodKind
from tdplan.core.text import check_lang
from tdplan.core.units import Unit
from tdplan.core.vocabulary import STATUS_ORDER, Status, TargetKind
from tdplan.reports.colours import STATUS_COLOURS, TRAJECTORY_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.ticker import Formatter

    from tdplan.analysis.progress import Progress
    from tdplan.analysis.scorecard import Scorecard
    from tdplan.analysis.trajectory import Trajectory
    from tdplan.core.model import Target
    from tdplan.core.periods import Period

__all__ = ["progress_chart", "require_matplotlib", "scorecard_chart"]

_LINE = "#4D4D4D"
_TARGET = "#222222"
_BASELINE = "#BBBBBB"
_BAND = "#009E73"

_T = {
    "indicator": C_("chart", "Indicator"),
    "measured": C_("chart", "measured"),
    "baseline": C_("chart", "baseline (before the plan)"),
    "not_assessed": C_("chart", "not assessed (no year before)"),
    "target": C_("chart", "target"),
    "by": C_("chart", "by {year}"),
    "continuous": C_("chart", "continuous"),
    "projected": C_("chart", "projected {year}: {status}"),
    "band": C_("chart", "needed (a fall of {band})"),
    "year": C_("chart", "Year"),
    "year_end": C_("chart", "Year (each point at the end of its period)"),
    "rows": C_("chart", "Rows assessed"),
    "no_rows": C_("chart", "no figures"),
    "problems": C_("chart", "{n} row(s) with problems not counted: see problems"),
    "goal": C_("chart", "Goal {key}"),
    "by_goal": C_("chart", "Results by goal"),
    "by_agency": C_("chart", "Results by lead office"),
    "by_area": C_("chart", "Results by area"),
    "by_year": C_("chart", "Results by year"),
    "two_leads": C_("chart", "an indicator with two lead offices counts for both"),
}
_UNIT_LABELS = {
    Unit.PERCENT: C_("chart axis", "Share (%)"),
    Unit.PER_MILLE: C_("chart axis", "Rate (‰)"),
    Unit.PER_100000: C_("chart axis", "Rate (per 100,000)"),
    Unit.COUNT: C_("chart axis", "Count"),
}


def require_matplotlib() -> None:
    """Check that matplotlib can be imported; :class:`MissingDependencyError` (an ``ImportError``) if not."""
    try:
        import matplotlib  # the package itself: a submodule may be cached while the package is gone
        import matplotlib.figure  # noqa: F401
    except ImportError as error:
        raise MissingDependencyError(
            "charts need matplotlib, which is not installed: pip install 'tdplan[charts]' (or pip install matplotlib)"
        ) from error


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=100, layout="constrained").add_subplot()


def _decimal(value: float) -> Decimal:
    """A tick's float as the short decimal it stands for (17.5, not 17.499999…)."""
    return Decimal(0) if value == 0 else Decimal(f"{value:.12g}")


def _number_ticks(lang: Lang) -> Formatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: format_number(_decimal(value), lang))


def _year_ticks() -> Formatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _position: str(round(value)) if abs(value - round(value)) < 1e-9 else "")


def _x(period: Period) -> float:
    """Where a period is drawn: at its end, on a scale where 2024 is the end of 2024 (the milestones' "by 2025")."""
    return float(period.position - 1)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _label(ax: Axes, x: float, y: float, text: str, *, below: bool = False, colour: str = _LINE) -> None:
    ax.annotate(
        text,
        (x, y),
        xytext=(0, -12 if below else 7),
        textcoords="offset points",
        ha="center",
        va="top" if below else "bottom",
        fontsize=8,
        color=colour,
    )


def _targets(ax: Axes, targets: list[Target], left: float, right: float, lang: Lang) -> None:
    """Each target as a dashed line up to its milestone (◆), then dotted while it stays in force."""
    start = left
    for index, target in enumerate(sorted(targets, key=lambda target: target.year or 0)):
        y = float(target.threshold)
        needs = f"{target.comparator.value} {format_value(target.threshold, target.unit, lang)}"
        label = _T["target"](lang) if index == 0 else "_nolegend_"
        end = right if target.year is None else float(target.year)
        ax.hlines(y, start, end, colors=_TARGET, linestyles="--", linewidth=1.2, label=label)
        when = _T["continuous"](lang) if target.year is None else _T["by"](lang).format(year=target.year)
        ax.annotate(
            f"{needs} ({when})",
            (start, y),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=8,
            color=_TARGET,
        )
        if target.year is not None:
            ax.plot([target.year], [y], marker="D", color=_TARGET, linestyle="none", markersize=6)
            start = target.year
    last = max((target for target in targets if target.year is not None), key=lambda t: t.year or 0, default=None)
    if last is not None and last.year is not None and right > last.year:
        ax.hlines(float(last.threshold), last.year, right, colors=_TARGET, linestyles=":", linewidth=1)


def _projection(ax: Axes, trajectory: Trajectory, lang: Lang) -> None:
    """The course toward a milestone if the growth rate holds: a dotted curve to a marker coloured by its status."""
    if trajectory.cagr is None or trajectory.projected is None:
        return
    x0, y0 = _x(trajectory.latest.period), float(trajectory.latest.value)
    x1 = float(trajectory.milestone)
    whole = trajectory.target.unit.whole
    growth = 1 + float(trajectory.cagr)
    steps = 24
    xs = [x0 + (x1 - x0) * step / steps for step in range(steps + 1)]
    ys = [y0 * growth ** (x - x0) for x in xs]
    if whole is not None:
        ys = [min(y, float(whole)) for y in ys]
    ax.plot(xs, ys, color=_LINE, linestyle=":", linewidth=1.3)
    status = trajectory.status.label(lang)
    ax.plot(
        [x1],
        [float(trajectory.projected)],
        marker="o",
        markersize=8,
        markerfacecolor=TRAJECTORY_COLOURS[trajectory.status],
        markeredgecolor=_TARGET,
        linestyle="none",
        label=_T["projected"](lang).format(year=trajectory.milestone, status=status),
        zorder=4,
    )
    shown = format_value(rounded(trajectory.projected), trajectory.target.unit, lang)
    _label(ax, x1, float(trajectory.projected), shown, below=trajectory.projected < trajectory.target.threshold)


def _markers(ax: Axes, points: list[tuple[float, float, Status | None]], none_label: str, lang: Lang) -> None:
    """The measurements, coloured by status, one legend entry per status present."""
    groups: dict[Status | None, list[tuple[float, float]]] = {}
    for x, y, status in points:
        groups.setdefault(status, []).append((x, y))
    for status in (*STATUS_ORDER, None):
        if status not in groups:
            continue
        xs, ys = zip(*groups[status], strict=True)
        colour = _BASELINE if status is None else STATUS_COLOURS[status]
        label = none_label if status is None else status.label(lang)
        ax.scatter(xs, ys, s=55, color=colour, edgecolors=_TARGET, linewidths=0.8, zorder=5, label=label)


def progress_chart(progress: Progress, ax: Axes | None = None, lang: Lang = "vi") -> Axes:
    """An indicator's series against its targets, with each milestone and the projection toward it.

    Each measurement is drawn at the end of its period (2024 at the end of 2024, where
    the 2025 milestone is the end of 2025) and coloured by its status; targets are dashed
    up to their milestone (◆) and dotted after it while they stay in force; a dotted curve
    continues the latest value toward each milestone not yet due, at the series' growth
    rate, to a dot coloured by the trajectory's status. Indicator 18 shows its yearly
    counts, each year's fall, and the band of counts a 2–3 % fall would give.
    """
    require_matplotlib()
    lang = check_lang(lang)
    ax = _new_axes(ax, (9, 4.8))
    indicator = progress.indicator
    unit = progress.latest.unit
    xs = [_x(point.period) for point in progress.points]
    ys = [float(point.value) for point in progress.points]
    ax.plot(xs, ys, color=_LINE, linewidth=1.6, zorder=3, label=_T["measured"](lang))
    targets = [target for target in indicator.targets if target.disaggregation == progress.disaggregation]
    milestones = [float(target.year) for target in targets if target.year is not None]
    left, right = min([*xs, *milestones]) - 0.6, max([*xs, *milestones]) + 0.6
    if indicator.unit is Unit.COUNT or any(target.kind is TargetKind.ANNUAL_FALL for target in targets):
        points = _falls(ax, progress, lang)
        none_label = _T["not_assessed"](lang)
    else:
        _targets(ax, targets, left, right, lang)
        for trajectory in progress.trajectories:
            _projection(ax, trajectory, lang)
        points = [
            (x, y, None if point.assessment is None else point.assessment.status)
            for x, y, point in zip(xs, ys, progress.points, strict=True)
        ]
        none_label = _T["baseline"](lang)
        for x, y, point in zip(xs, ys, progress.points, strict=True):
            when = "" if point.period.kind is PeriodKind.YEAR else f" ({point.period.text(lang)})"
            _label(ax, x, y, format_value(point.value, point.unit, lang) + when)
    _markers(ax, points, none_label, lang)
    title = f"{_T['indicator'](lang)} {indicator.id}: {indicator.name(lang)}"
    group = progress.disaggregation.label(lang)
    ax.set_title(_wrap(title + (f" ({group})" if group else ""), 80).replace("$", r"\$"), fontsize=11, loc="left")
    every_year = all(point.period.kind is PeriodKind.YEAR for point in progress.points)
    ax.set_xlabel(_T["year" if every_year else "year_end"](lang))
    ax.set_ylabel(_UNIT_LABELS[unit](lang))
    ax.set_xlim(left, right)
    from matplotlib.ticker import MaxNLocator, MultipleLocator

    ax.xaxis.set_major_locator(MultipleLocator(1))
    ax.xaxis.set_major_formatter(_year_ticks())
    if unit is Unit.COUNT:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(_number_ticks(lang))
    ax.margins(y=0.15)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    _legend(ax, [_T["measured"](lang), *(status.label(lang) for status in STATUS_ORDER), none_label])
    return ax


def _legend(ax: Axes, first: list[str]) -> None:
    """The legend beside the chart, with the entries named in ``first`` first, in that order."""
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: first.index(labels[i]) if labels[i] in first else len(first))
    ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=8,
        frameon=False,
    )


def _falls(ax: Axes, progress: Progress, lang: Lang) -> list[tuple[float, float, Status | None]]:
    """Indicator 18: the band a 2–3 % fall would give each year, and each year's fall."""
    falls = {fall.year: fall for fall in progress.falls}
    points: list[tuple[float, float, Status | None]] = []
    labelled = False
    for point in progress.points:
        x, y = _x(point.period), float(point.value)
        fall = falls.get(point.period.year)
        points.append((x, y, None if fall is None else fall.status))
        if fall is None:
            _label(ax, x, y, format_number(point.value, lang))
            continue
        target = fall.target
        upper = target.upper if target.upper is not None else target.threshold
        low, high = (fall.previous * (1 - float(bound) / 100) for bound in (upper, target.threshold))
        band = f"{format_value(target.threshold, Unit.PERCENT, lang)}–{format_value(upper, Unit.PERCENT, lang)}"
        ax.vlines(
            x,
            low,
            high,
            colors=_BAND,
            linewidth=9,
            alpha=0.3,
            label="_nolegend_" if labelled else _T["band"](lang).format(band=band),
        )
        labelled = True
        change = "" if fall.fall is None else percent(abs(fall.fall), lang, scale=0)
        sign = "" if fall.fall is None or fall.fall == 0 else "−" if fall.fall > 0 else "+"
        count = format_number(point.value, lang)
        _label(ax, x, y, f"{count} ({sign}{change})" if change else count)
    return points


def scorecard_chart(card: Scorecard, by: str = "goal", ax: Axes | None = None, lang: Lang = "vi") -> Axes:
    """A stacked bar per goal (or lead office, area, year): how many rows are met, ahead, pending, not met.

    ``by`` is ``"goal"``, ``"agency"``, ``"area"`` or ``"year"``, as for
    ``Scorecard.rollup``. Groups are in the plan's order, top to bottom, and a group with
    no rows is shown as such; rows with problems are not counted, and the chart says how
    many there are.
    """
    require_matplotlib()
    lang = check_lang(lang)
    rollups = card.rollup(by)
    labels = []
    for rollup in rollups:
        name = rollup.label(lang)
        label = f"{_T['goal'](lang).format(key=rollup.key)}: {name}" if by == "goal" else name
        labels.append(_wrap(label, 34).replace("$", r"\$"))  # "$" would start matplotlib's math text
    lines = sum(label.count("\n") + 1 for label in labels)
    ax = _new_axes(ax, (9, max(3.0, 1.6 + 0.28 * lines + 0.25 * len(labels))))
    positions = list(range(len(rollups)))
    left = [0] * len(rollups)
    for status in STATUS_ORDER:
        counts = [rollup.counts[status] for rollup in rollups]
        bars = ax.barh(
            positions,
            counts,
            left=left,
            color=STATUS_COLOURS[status],
            edgecolor="white",
            linewidth=0.8,
            label=status.label(lang),
            height=0.65,
        )
        ax.bar_label(
            bars,
            labels=[str(count) if count else "" for count in counts],
            label_type="center",
            fontsize=8,
            color="#FFFFFF" if STATUS_COLOURS[status] == "#0072B2" else "#000000",
        )
        left = [start + count for start, count in zip(left, counts, strict=True)]
    for position, rollup in zip(positions, rollups, strict=True):
        if rollup.total == 0:
            ax.annotate(
                _T["no_rows"](lang),
                (0, position),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color=_LINE,
                fontstyle="italic",
            )
    ax.set_yticks(positions, labels, fontsize=8)
    ax.invert_yaxis()
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_T["rows"](lang))
    ax.set_title(_T[f"by_{by}"](lang), fontsize=11, loc="left")
    notes = []
    if card.problems:
        notes.append(_T["problems"](lang).format(n=len(card.problems)))
    if by == "agency":
        notes.append(_T["two_leads"](lang))
    if notes:
        ax.annotate(
            "; ".join(notes),
            (0, 0),
            xycoords="axes fraction",
            xytext=(0, -32),
            textcoords="offset points",
            fontsize=7.5,
            color=_LINE,
            va="top",
        )
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return ax
