"""The declarative model of a plan: frozen attrs classes, no I/O.

A :class:`Plan` has :class:`Goal`\\ s, :class:`Indicator`\\ s and :class:`Agency`\\ s;
an indicator has :class:`Target`\\ s; assessing a value against an indicator gives an
:class:`Assessment` with a :class:`Status`. Loading and assessing live in their own
modules (:mod:`tdplan.planfiles.loading`, :mod:`tdplan.analysis.assessment`); these classes only hold
and describe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from tdplan.core.consistency import Rule
from tdplan.core.dimensions import Dimension, Disaggregation, match_key
from tdplan.core.errors import (
    InputTypeError,
    UnknownAgencyError,
    UnknownGoalError,
    UnknownIndicatorError,
)
from tdplan.core.i18n import C_
from tdplan.core.notation import Lang, format_value, readable
from tdplan.core.units import EXACT, Unit
from tdplan.core.vocabulary import Comparator, Status, TargetKind, Text

if TYPE_CHECKING:
    from tdplan.analysis.assessment import Disaggregated, ValueLike
    from tdplan.analysis.progress import Progress, SeriesLike
    from tdplan.analysis.reading import TableLike
    from tdplan.analysis.scorecard import Scorecard

__all__ = [
    "Agency",
    "Assessment",
    "Disaggregation",
    "Goal",
    "Indicator",
    "LegalBasis",
    "Plan",
    "Signatory",
    "Target",
    "Task",
]


def _disaggregation(value: Mapping[str, str] | None) -> Disaggregation:
    return value if isinstance(value, Disaggregation) else Disaggregation(value)


@attrs.frozen(repr=False)
class Target:
    """What an indicator must reach: ``comparator threshold unit``, by ``year``.

    ``year`` is the milestone (the end of that year), or None for a continuous
    target, due every year of the plan. For an ``ANNUAL_FALL`` target (indicator 18)
    the threshold is the smallest yearly fall, in percent, for every year from
    ``from_year`` to ``year``; ``upper`` is the top of the band the plan names.
    """

    comparator: Comparator
    threshold: Decimal
    unit: Unit
    year: int | None = None
    disaggregation: Disaggregation = attrs.field(default=Disaggregation(), converter=_disaggregation)
    note: Text | None = None
    kind: TargetKind = TargetKind.LEVEL
    from_year: int | None = None
    upper: Decimal | None = None

    @property
    def continuous(self) -> bool:
        """Whether the target is due every year (no milestone)."""
        return self.year is None

    def is_met_by(self, value: Decimal | Fraction) -> bool:
        """Whether ``value``, in this target's unit, satisfies the target (exactly, for a Fraction too)."""
        if not isinstance(value, Decimal | Fraction) or (isinstance(value, Decimal) and not value.is_finite()):
            raise InputTypeError("a value to compare is a finite Decimal or a Fraction, not {value!r}", value=value)
        return self.comparator.holds(value, self.threshold)

    def margin(self, value: Decimal) -> Decimal:
        """Distance of ``value`` from the threshold, positive on the good side."""
        if self.comparator._value_ in "≥>":
            return EXACT.subtract(value, self.threshold)
        return EXACT.subtract(self.threshold, value)

    def describe(self, lang: Lang = "vi", years: str | None = None) -> str:
        """``< 18‰ (2025)``, ``≥ 100% (thường xuyên)``, ``giảm ≥ 2%/năm (khoảng 2%–3%, 2025–2030)``.

        ``years`` replaces the target's own year in the text (``"2025, 2030"``).
        """
        threshold = format_value(self.threshold, self.unit, lang)
        if self.kind is TargetKind.ANNUAL_FALL:
            span = f"{self.from_year}–{self.year}"
            if self.upper is not None:
                upper = format_value(self.upper, self.unit, lang)
                span = _BAND(lang).format(lower=threshold, upper=upper, span=span)
            return _FALL(lang).format(comparator=self.comparator.value, threshold=threshold, span=span)
        if years is None:
            years = str(self.year) if self.year is not None else _CONTINUOUS_YEARS(lang)
        group = f", {self.disaggregation.label(lang)}" if self.disaggregation else ""
        return f"{self.comparator.value} {threshold} ({years}{group})"

    def __repr__(self) -> str:
        return f"<Target {self.describe('en')}>"


def _shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip(" ,") + " …"


@attrs.frozen(repr=False)
class Indicator:
    """One of the plan's indicators (``"1"`` … ``"29"``, ``"15b"``, ``"25b"``) and its targets."""

    id: str
    goal: int
    name: Text
    unit: Unit
    targets: tuple[Target, ...]
    lead_agencies: tuple[str, ...]
    measure: Text | None = None
    population: Text | None = None
    source: str = ""
    notes: tuple[Text, ...] = ()
    lead_names: tuple[Text, ...] = attrs.field(default=(), eq=False)
    """The lead offices' names, in the order of ``lead_agencies`` (filled when a plan is loaded)."""

    def leads(self, lang: Lang = "vi") -> list[str]:
        """The lead offices by name (``Phòng Y tế, Trung tâm y tế``), or by code where the name is not known."""
        names = dict(zip(self.lead_agencies, self.lead_names, strict=False))
        return [names[code](lang) if code in names else code for code in self.lead_agencies]

    @property
    def disaggregations(self) -> tuple[Disaggregation, ...]:
        """The distinct disaggregations of the targets, in order (``({},)`` when none)."""
        return tuple(dict.fromkeys(target.disaggregation for target in self.targets))

    def describe_targets(self, lang: Lang = "vi") -> str:
        """Every target, with the years of equal ones together: ``< 18‰ (2025), < 15‰ (2030)``.

        >>> import tdplan
        >>> tdplan.load_plan().indicator("9").describe_targets("en")
        '≥ 97.2% (2025, 2030)'
        """
        return ", ".join(self.target_texts(lang))

    def target_texts(self, lang: Lang = "vi") -> list[str]:
        """Each target as :meth:`describe_targets` words it, one string per target: ``['< 18‰ (2025)', …]``."""
        same: dict[Target, list[int]] = {}
        for target in self.targets:
            key = attrs.evolve(target, year=None, note=None) if target.kind is TargetKind.LEVEL else target
            same.setdefault(key, []).extend([] if target.year is None else [target.year])
        return [target.describe(lang, ", ".join(map(str, years)) if years else None) for target, years in same.items()]

    def _repr_html_(self) -> str:
        """The indicator as HTML for Jupyter: its targets by year and group, and the plan's sentence."""
        from tdplan.reports.jupyter import indicator_html  # the declared upward reach

        return indicator_html(self)

    def __repr__(self) -> str:
        return f"<Indicator {self.id}: {_shorten(self.name.vi)} {self.describe_targets()}>"


@attrs.frozen(repr=False)
class Goal:
    """One of the plan's four goals (Mục tiêu) and its indicators."""

    number: int
    title: Text
    indicators: tuple[Indicator, ...]

    def __repr__(self) -> str:
        return f"<Goal {self.number}: {_shorten(self.title.vi)} ({len(self.indicators)} indicators)>"


@attrs.frozen(repr=False)
class Agency:
    """An office of section IV, its duties (verbatim) and the indicators it leads."""

    id: str
    name: Text
    duties: tuple[Text, ...]
    indicators: tuple[Indicator, ...]

    def __repr__(self) -> str:
        led = ", ".join(indicator.id for indicator in self.indicators) or "no indicators"
        return f"<Agency {self.id}: {self.name.vi} ({led})>"


@attrs.frozen
class Task:
    """One of the tasks and solutions of section II.2 (2.1 … 2.7)."""

    number: str
    title: Text
    items: tuple[Text, ...]


@attrs.frozen
class LegalBasis:
    """The decision the plan implements."""

    document: str
    date: dt.date
    issuer: Text
    title: Text


@attrs.frozen
class Signatory:
    """Who signed the plan, and in what capacity."""

    name: str
    position: Text
    capacity: Text


def _index(items: tuple[Any, ...], key: str) -> dict[Any, Any]:
    return {getattr(item, key): item for item in items}


def _ranges(ids: list[str]) -> str:
    """``1–15, 15b, 16–25, 25b, 26–29`` for a list of indicator ids."""
    parts: list[list[str]] = []
    for id_ in ids:
        last = parts[-1][-1] if parts else None
        if last is not None and id_.isdigit() and last.isdigit() and int(id_) == int(last) + 1:
            parts[-1].append(id_)
        else:
            parts.append([id_])
    return ", ".join(run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in parts)


@attrs.frozen(repr=False)
class Plan:
    """A plan: its text, goals, indicators and agencies, in the plan's order."""

    id: str
    title: Text
    issuer: Text
    start_year: int
    end_year: int
    goals: tuple[Goal, ...]
    indicators: tuple[Indicator, ...]
    agencies: tuple[Agency, ...]
    legal_basis: LegalBasis | None = None
    signatory: Signatory | None = None
    purpose: Text | None = None
    requirements: Text | None = None
    general_objective: Text | None = None
    tasks: tuple[Task, ...] = ()
    funding: Text | None = None
    recipients: tuple[Text, ...] = ()
    translation_note: Text | None = None
    rules: tuple[Rule, ...] = ()  # consistency rules between indicators (core/consistency.py)
    areas: tuple[str, ...] = ()  # the areas that should report, for completeness
    dimensions: tuple[Dimension, ...] = ()
    _by_id: Mapping[str, Indicator] = attrs.field(init=False, eq=False, hash=False)
    _agencies_by_id: Mapping[str, Agency] = attrs.field(init=False, eq=False, hash=False)
    # Which target applies, by (indicator id, year, group): filled through _remember_target on first use, read
    # through _applicable. Only valid combinations are stored, so it stays as small as the plan.
    _applicable: Mapping[tuple[str, int, Any], Any] = attrs.field(init=False, eq=False, hash=False)
    _memo: dict[tuple[str, int, Any], Any] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType(_index(self.indicators, "id")))
        object.__setattr__(self, "_agencies_by_id", MappingProxyType(_index(self.agencies, "id")))
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_applicable", MappingProxyType(self._memo))

    def __getstate__(self) -> dict[str, Any]:
        """The plan's fields, without its indexes (rebuilt on unpickling: views cannot be pickled)."""
        return {field.name: getattr(self, field.name) for field in attrs.fields(type(self)) if field.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__attrs_post_init__()

    def _remember_target(self, key: tuple[str, int, Any], compute: Callable[[], Any]) -> Any:
        """The target :func:`tdplan.analysis.assessment.applicable_target` found for ``key``, computed once."""
        found = self._memo.get(key)
        return self._memo.setdefault(key, compute()) if found is None else found

    @property
    def years(self) -> range:
        """The years of the plan's period (2021 … 2030)."""
        return range(self.start_year, self.end_year + 1)

    def get_indicator(self, id: str, default: Indicator | None = None) -> Indicator | None:
        """The indicator with this id, or ``default``."""
        return self._by_id.get(id, default) if isinstance(id, str) else default

    def indicator(self, id: str) -> Indicator:
        """The indicator with this id; :class:`UnknownIndicatorError` if there is none.

        >>> import tdplan
        >>> tdplan.load_plan().indicator("30")
        Traceback (most recent call last):
        ...
        tdplan.core.errors.UnknownIndicatorError: no indicator '30': the plan has 1–15, 15b, 16–25, 25b, 26–29
        """
        if not isinstance(id, str):
            raise InputTypeError("indicator ids are strings, such as '3' or '15b', not {id!r}", id=id)
        try:
            return self._by_id[id]
        except KeyError:
            valid = _ranges(list(self._by_id))
            raise UnknownIndicatorError("no indicator {id!r}: the plan has {valid}", id=id, valid=valid) from None

    def get_dimension(self, name: str) -> Dimension | None:
        """The dimension with this code or name, in either language (``residence``, ``khu vực``), or None."""
        key = match_key(name) if isinstance(name, str) else None
        return next((dimension for dimension in self.dimensions if key in dimension.keys), None)

    def get_agency(self, id: str, default: Agency | None = None) -> Agency | None:
        """The agency with this id, or ``default``."""
        return self._agencies_by_id.get(id, default) if isinstance(id, str) else default

    def agency(self, id: str) -> Agency:
        """The agency with this id; :class:`UnknownAgencyError` if there is none."""
        agency = self.get_agency(id)
        if agency is None:
            valid = ", ".join(self._agencies_by_id)
            raise UnknownAgencyError("no agency {id!r}: the plan has {valid}", id=id, valid=valid)
        return agency

    def goal(self, number: int) -> Goal:
        """The goal with this number (1 … 4); :class:`UnknownGoalError` if there is none."""
        for goal in self.goals:
            if type(number) is int and goal.number == number:
                return goal
        valid = ", ".join(str(goal.number) for goal in self.goals)
        raise UnknownGoalError("no goal {number!r}: the plan has goals {valid}", number=number, valid=valid)

    def assess(
        self,
        indicator: str,
        value: ValueLike,
        unit: str | Unit | None = None,
        *,
        year: int,
        disaggregation: Disaggregated = None,
    ) -> Assessment:
        """Assess a measured value against the indicator's target for ``year``.

        ``value`` is a number in the indicator's unit (or in ``unit``), a pint
        quantity, or a string such as ``"16,5‰"``. See :func:`tdplan.analysis.assessment.assess`.

        >>> import tdplan
        >>> a = tdplan.load_plan().assess("3", "16,5‰", year=2025)
        >>> a.status, a.margin
        (Status.MET, Decimal('1.5'))
        >>> a.explain("vi")
        '16,5‰ < 18‰: đạt chỉ tiêu năm 2025'
        """
        return (_assess or _bind_assess())(self, indicator, value, unit, year=year, disaggregation=disaggregation)

    def track(
        self,
        indicator: str,
        series: SeriesLike,
        unit: str | Unit | None = None,
        *,
        disaggregation: Disaggregated = None,
        as_of: dt.date | str | None = None,
    ) -> Progress:
        """Track a series of measurements of the indicator: each verdict, and the course toward each milestone.

        ``series`` maps a year, a date (``"31/12/2024"``) or a reporting period
        (``"2024-H1"``, ``"quý III/2024"``) to a value in any form :meth:`assess` takes.
        ``as_of`` is when the time left is counted from (default: the end of the latest
        period). See :func:`tdplan.analysis.progress.track` and ``docs/progress.md``.

        >>> import tdplan
        >>> p = tdplan.load_plan().track("3", {2022: "23,958‰", 2024: "19,8‰"})
        >>> p.trajectory(2025).status
        TrajectoryStatus.ON_TRACK
        >>> p.trajectory(2025).left.text("vi")
        'còn 1 năm'
        """
        from tdplan.analysis.progress import track  # the declared upward reach

        return track(self, indicator, series, unit, disaggregation=disaggregation, as_of=as_of)

    def assess_table(
        self, data: TableLike, *, sheet: str | None = None, decimal: str | None = None, **options: Any
    ) -> Scorecard:
        """Assess every row of a table (a CSV or Excel file, a list of mappings, a DataFrame); see ``docs/tables.md``.

        ``sheet`` names an Excel workbook's sheet (default: the first with the columns);
        ``decimal`` is the values' decimal sign, ``","`` or ``"."`` (default: inferred per column);
        the other ``options`` are those of :func:`tdplan.analysis.tables.assess_table`
        (``areas``, ``jump_bands``, ``progress``).

        >>> import tdplan
        >>> tdplan.load_plan().assess_table([{"indicator": "3", "value": "16,5‰", "year": 2025}]).counts[Status.MET]
        1
        """
        from tdplan.analysis.tables import assess_table  # the declared upward reach

        return assess_table(self, data, sheet=sheet, decimal=decimal, **options)

    def _repr_html_(self) -> str:
        """The plan as HTML for Jupyter: its title and source, its goals, and (folded) its indicators and agencies."""
        from tdplan.reports.jupyter import plan_html  # the declared upward reach

        return plan_html(self)

    def __repr__(self) -> str:
        return (
            f"<Plan {self.id}: {len(self.goals)} goals, {len(self.indicators)} indicators, "
            f"{len(self.agencies)} agencies, {self.start_year}–{self.end_year}>"
        )


@attrs.frozen(repr=False)
class Assessment:
    """The verdict on one value: which target applied, whether it is met, and by how much.

    ``value`` and ``margin`` are in the target's unit; ``margin`` is positive on the
    good side of the threshold and zero at it. ``exact`` is False only for a rate with
    no finite decimal expansion (from counts, such as 5 / 300): its ``value`` and
    ``margin`` are then rounded to 34 significant digits, while the verdict was decided
    on the exact rate.
    """

    indicator: Indicator
    target: Target
    value: Decimal
    year: int
    status: Status
    margin: Decimal
    exact: bool = True

    @property
    def met(self) -> bool:
        """Whether the value satisfies the target applied (``MET`` or ``AHEAD``)."""
        return self.status.met

    def explain(self, lang: Lang = "vi") -> str:
        """One sentence: ``16,5‰ < 18‰: đạt chỉ tiêu năm 2025``."""
        target = self.target
        value = format_value(self.value if self.exact else readable(self.value, target.threshold), target.unit, lang)
        value = value if self.exact else f"≈ {value}"
        threshold = format_value(target.threshold, target.unit, lang)
        symbol = target.comparator.value if self.met else target.comparator.negation
        head = f"{value} {symbol} {threshold}"
        if target.disaggregation:
            head += f" ({target.disaggregation.label(lang)})"
        needs = f"{target.comparator.value} {threshold}"
        if target.year is None:
            sentence = _CONTINUOUS[self.met](lang).format(year=self.year, needs=needs)
        else:
            sentence = _SENTENCES[self.status](lang).format(milestone=target.year, needs=needs)
            if target.year < self.year:
                sentence += _STILL_IN_FORCE(lang).format(year=self.year)
        return f"{head}: {sentence}"

    def _repr_html_(self) -> str:
        """The verdict as HTML for Jupyter: the status in words and colour, the sentence, value, target and margin."""
        from tdplan.reports.jupyter import assessment_html  # the declared upward reach

        return assessment_html(self)

    def __repr__(self) -> str:
        return f"<Assessment {self.indicator.id} ({self.year}): {self.explain('en')} [{self.status.name}]>"


_SENTENCES = {
    Status.MET: C_("verdict", "meets the {milestone} target"),
    Status.NOT_MET: C_("verdict", "does not meet the {milestone} target (needs {needs})"),
    Status.AHEAD: C_("verdict", "already meets the {milestone} target, ahead of time"),
    Status.PENDING: C_("verdict", "not yet at the {milestone} target (needs {needs}; not yet due)"),
}
_CONTINUOUS = {
    True: C_("verdict", "meets the continuous target in {year}"),
    False: C_("verdict", "does not meet the continuous target in {year} (needs {needs})"),
}
_STILL_IN_FORCE = C_("verdict", ", still in force in {year}")
_FALL = C_("target", "fall {comparator} {threshold}/year ({span})")
_BAND = C_("target", "band {lower}–{upper}, {span}")
_CONTINUOUS_YEARS = C_("target", "continuous")


_assess: Callable[..., Assessment] | None = None
"""``tdplan.analysis.assessment.assess``, bound on the first check: an import statement per call would cost more."""


def _bind_assess() -> Callable[..., Assessment]:
    global _assess
    from tdplan.analysis.assessment import assess  # the declared upward reach (docs/architecture.md)

    _assess = assess
    return assess
