"""The colours of statuses (Okabe–Ito, told apart with colour blindness), shared by HTML, Jupyter and charts.

Colour never carries a status alone: every format also writes the status in words.
"""

from __future__ import annotations

from collections.abc import Mapping

from tdplan.analysis.trajectory import TrajectoryStatus
from tdplan.core.vocabulary import Status

__all__ = ["STATUS_COLOURS", "TRAJECTORY_COLOURS"]

STATUS_COLOURS: Mapping[Status, str] = {
    Status.MET: "#009E73",  # bluish green
    Status.AHEAD: "#0072B2",  # blue
    Status.PENDING: "#E69F00",  # orange
    Status.NOT_MET: "#D55E00",  # vermillion
}
"""A colour per status (Okabe–Ito), shared by the HTML and the charts."""


TRAJECTORY_COLOURS: Mapping[TrajectoryStatus, str] = {
    TrajectoryStatus.ACHIEVED: "#009E73",
    TrajectoryStatus.ON_TRACK: "#56B4E9",
    TrajectoryStatus.MODERATE: "#F0E442",
    TrajectoryStatus.LIMITED: "#E69F00",
    TrajectoryStatus.DETERIORATION: "#D55E00",
    TrajectoryStatus.INSUFFICIENT_DATA: "#BBBBBB",
}
"""A colour per trajectory status, from achieved (green) to deterioration (vermillion)."""
