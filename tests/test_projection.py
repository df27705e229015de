"""A trajectory says when Open SDG's "on track" would still miss the target: hand-computed series."""

from __future__ import annotations

from decimal import Decimal

import tdplan
from tdplan import TrajectoryStatus

PLAN = tdplan.load_plan()


class TestProjectionShortOfTarget:
    """The honest sentence beside the status, which stays Open SDG's."""

    def test_strict_target_projected_on_the_threshold(self) -> None:
        """< 18‰ (indicator 3): 23,958‰ (2022) → 19,8‰ (2024) falls by 1/11 a year, R = 1, projecting 18‰ in 2025.

        19,8 / 23,958 = (10/11)² and 18 / 23,958 = (10/11)³: the series is exactly on
        course, and lands exactly on 18‰, which is not below 18‰.
        """
        t = PLAN.track("3", {2022: "23,958‰", 2024: "19,8‰"}).trajectory(2025)
        assert TrajectoryStatus.ON_TRACK is t.status
        assert (Decimal(1), Decimal(18)) == (t.ratio, t.projected)
        assert t.projection_meets is False
        assert "; but the projection, 18‰, is exactly the threshold, which does not meet < 18‰; " in t.explain("en")
        assert "; nhưng mức dự báo 18‰ đúng bằng ngưỡng, như vậy chưa đạt yêu cầu < 18‰; " in t.explain("vi")

    def test_on_track_but_short(self) -> None:
        """≥ 97,2% (indicator 9, 2025): 80% (2023) → 88% (2024) grows 10% a year; 97,2% needs √1,215 − 1 ≈ 10,227%.

        R = 0,1 / 0,10227… ≈ 0,978 ≥ 0,95: on track; but 88% × 1,1 = 96,8% in 2025, below 97,2%.
        """
        t = PLAN.track("9", {2023: 80, 2024: 88}).trajectory(2025)
        assert TrajectoryStatus.ON_TRACK is t.status
        assert Decimal("0.977") < t.ratio < Decimal("0.978")  # type: ignore[operator]
        assert Decimal("96.8") == t.projected
        assert t.projection_meets is False
        assert "; but the projection, 96.8%, would not meet ≥ 97.2%; " in t.explain("en")
        assert "; nhưng mức dự báo 96,8% chưa đạt yêu cầu ≥ 97,2%; " in t.explain("vi")

    def test_no_sentence_when_the_projection_meets(self) -> None:
        """80% (2023) → 90% (2024) grows 12,5% a year: 90% × 1,125 = 101,25%, capped at 100%, meets ≥ 97,2%."""
        t = PLAN.track("9", {2023: 80, 2024: 90}).trajectory(2025)
        assert TrajectoryStatus.ON_TRACK is t.status
        assert Decimal(100) == t.projected
        assert t.projection_meets is True
        assert "projection," not in t.explain("en")

    def test_no_sentence_for_other_statuses(self) -> None:
        """A series making moderate progress says so already: 80% → 84% grows 5% a year, R ≈ 0,49 (limited)."""
        t = PLAN.track("9", {2023: 80, 2024: 84}).trajectory(2025)
        assert TrajectoryStatus.LIMITED is t.status
        assert t.projection_meets is False
        assert "projection," not in t.explain("en")

    def test_one_value(self) -> None:
        """With one value there is no projection to judge."""
        t = PLAN.track("9", {2024: 88}).trajectory(2025)
        assert t.projection_meets is None
