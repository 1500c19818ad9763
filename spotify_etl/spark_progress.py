"""Progress of a long local Spark run on stderr: the job's phase and its tasks done, in percent.

Spark's own console bar is off (`spark.ui.showConsoleProgress`); this prints one line when the
phase changes and at most one line every few seconds while its tasks run, e.g.
`transform: read, 120/282 tasks (42%), 31 s`.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, TextIO

POLL_SECONDS = 0.5
# A line while tasks run at most this often (the phase's first line is printed at once).
REPORT_EVERY_SECONDS = 5.0


def task_counts(spark: Any) -> tuple[int, int]:
    """(completed, total) tasks of the stages running now, from Spark's status tracker."""
    tracker = spark.sparkContext.statusTracker()
    done = total = 0
    for stage_id in tracker.getActiveStageIds():
        info = tracker.getStageInfo(stage_id)
        if info is not None:
            done += info.numCompletedTasks
            total += info.numTasks
    return done, total


class SparkProgress:
    """Tell it each phase (`on_phase`); a daemon thread reports the phase's tasks until `stop`."""

    def __init__(
        self,
        spark: Any,
        label: str,
        stream: TextIO | None = None,
        report_every: float = REPORT_EVERY_SECONDS,
    ) -> None:
        self._spark = spark
        self._report_every = report_every
        self._label = label
        self._stream = stream or sys.stderr
        self._phase = ""
        self._phase_started = time.monotonic()
        self._last_key: tuple[str, int, int] | None = None
        self._last_report = 0.0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="spark-progress", daemon=True)

    def __enter__(self) -> SparkProgress:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def on_phase(self, phase: str) -> None:
        """The run entered `phase` (the pipeline's phase names)."""
        self._phase, self._phase_started = phase, time.monotonic()
        self._emit((phase, 0, 0), f"{self._label}: {phase}")

    def stop(self) -> None:
        """Stop reporting (idempotent)."""
        self._stopped.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join()

    def _poll(self) -> None:
        while not self._stopped.wait(POLL_SECONDS):
            now = time.monotonic()
            if not self._phase or now - self._last_report < self._report_every:
                continue
            phase, (done, total) = self._phase, task_counts(self._spark)
            if total:
                elapsed = now - self._phase_started
                self._emit(
                    (phase, done, total),
                    f"{self._label}: {phase}, {done}/{total} tasks "
                    f"({100 * done // total}%), {elapsed:.0f} s",
                )

    def _emit(self, key: tuple[str, int, int], line: str) -> None:
        # Only news: the same phase and task counts are not printed again.
        self._last_report = time.monotonic()
        if key != self._last_key:
            self._last_key = key
            print(line, file=self._stream, flush=True)
