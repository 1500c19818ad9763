"""Progress of a long Spark run: the phase, then its running tasks in percent."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Any

from spotify_etl.spark_progress import SparkProgress


@dataclass
class StageInfo:
    numTasks: int  # noqa: N815 (the names of Spark's SparkStageInfo)
    numCompletedTasks: int  # noqa: N815


class FakeTracker:
    """Two running stages; tells the test once it was asked twice (a line was printed)."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.calls = 0
        self.stages = {3: StageInfo(200, 90), 4: StageInfo(100, 30), 5: None}

    def getActiveStageIds(self) -> list[int]:
        self.calls += 1
        if self.calls >= 2:
            self.asked.set()
        return list(self.stages)

    def getStageInfo(self, stage_id: int) -> StageInfo | None:
        return self.stages[stage_id]


class FakeSpark:
    def __init__(self, tracker: FakeTracker) -> None:
        self.sparkContext = self
        self._tracker = tracker

    def statusTracker(self) -> Any:
        return self._tracker


def test_phase_line_then_tasks_done_of_the_running_stages() -> None:
    tracker, out = FakeTracker(), io.StringIO()
    with SparkProgress(FakeSpark(tracker), "transform", out, report_every=0) as progress:
        progress.on_phase("write song")
        assert tracker.asked.wait(timeout=30)
    lines = out.getvalue().splitlines()
    assert lines[0] == "transform: write song"
    assert lines[1].startswith("transform: write song, 120/300 tasks (40%), ")
    assert len(lines) == 2  # the same numbers are not printed again


def test_nothing_is_reported_before_the_first_phase() -> None:
    tracker, out = FakeTracker(), io.StringIO()
    with SparkProgress(FakeSpark(tracker), "transform", out, report_every=0):
        pass
    assert out.getvalue() == ""
    assert tracker.calls == 0
