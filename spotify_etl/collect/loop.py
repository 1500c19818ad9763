"""The `collect` loop: run the chain once at start, then each step when the schedule says.

The loop never sleeps longer than `MAX_NAP_S` at a time: the monotonic clock that timed waits
use stops while a laptop is suspended, so after a suspend the wall clock is looked at again
within a minute of waking, and whatever fell due meanwhile runs once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ingest_lambda.keys import format_timestamp, truncate_to_hour
from spotify_etl.collect.schedule import Schedule, missed_slots

MAX_NAP_S = 60.0
OK, FAILED, SKIPPED, INTERRUPTED = "ok", "failed", "skipped", "interrupted"


@dataclass(frozen=True)
class StepResult:
    """What one step did: its outcome, a short detail, how long it took, any warnings."""

    step: str
    outcome: str
    detail: str
    seconds: float
    warnings: tuple[str, ...] = field(default=())

    def line(self) -> str:
        """The step's one log line: what, outcome, seconds."""
        return f"{self.step} {self.outcome}: {self.detail} ({self.seconds:.1f} s)"


class Steps(Protocol):
    """The chain's three steps; each returns its result instead of raising."""

    def ingest(self, hour: datetime) -> StepResult:
        """Land the scheduled hour `hour`."""
        ...

    def transform(self) -> StepResult:
        """Rebuild the curated dates whose raw objects changed."""
        ...

    def crawl(self) -> StepResult:
        """Catalogue the curated tables."""
        ...


class StopSignal(Protocol):
    """Set when the loop must stop (`stop.StopFlag`); `wait` returns True once it is set."""

    def is_set(self) -> bool:
        """Whether a stop was asked for."""
        ...

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to `timeout` seconds for a stop; True when stopping."""
        ...


class Collector:
    """Runs `steps` on `schedule` until `stop` is set, logging one line per step."""

    def __init__(
        self,
        steps: Steps,
        schedule: Schedule,
        *,
        clock: Callable[[], datetime],
        stop: StopSignal,
        log: Callable[[str], None],
    ) -> None:
        """Use `clock` for the time of day and `stop` to wait and to know when to stop."""
        self.steps = steps
        self.schedule = schedule
        self.clock = clock
        self.stop = stop
        self.log = log
        self.results: list[StepResult] = []

    def _record(self, result: StepResult) -> None:
        self.results.append(result)
        self.log(result.line())
        for warning in result.warnings:
            self.log(f"warning: {warning}")

    def run_chain(self, hour: datetime) -> None:
        """Ingest `hour`, then transform and crawl; stop between steps when asked."""
        self._record(self.steps.ingest(hour))
        if not self.stop.is_set():
            self._transform_and_crawl()

    def _transform_and_crawl(self) -> None:
        self._record(self.steps.transform())
        if not self.stop.is_set():
            self._record(self.steps.crawl())

    def _sleep_until(self, due: datetime) -> bool:
        """Wait until `due` on the wall clock; True if a stop came first."""
        while (remaining := (due - self.clock()).total_seconds()) > 0:
            if self.stop.wait(min(remaining, MAX_NAP_S)):
                return True
        return self.stop.is_set()

    def run(self) -> None:
        """The chain now, then ingest every hour and transform+crawl every N hours."""
        started = self.clock()
        self.run_chain(truncate_to_hour(started))
        next_ingest = self.schedule.next_ingest_after(started)
        next_transform = self.schedule.next_transform_after(self.clock())
        while not self.stop.is_set():
            if self._sleep_until(min(next_ingest, next_transform)):
                break
            now = self.clock()
            if now >= next_ingest:
                self._warn_missed(next_ingest, truncate_to_hour(now))
                self._record(self.steps.ingest(truncate_to_hour(now)))
                next_ingest = self.schedule.next_ingest_after(now)
            if not self.stop.is_set() and self.clock() >= next_transform:
                self._transform_and_crawl()
                next_transform = self.schedule.next_transform_after(self.clock())

    def _warn_missed(self, expected: datetime, current: datetime) -> None:
        missed = missed_slots(expected, current)
        if missed:
            self.log(
                f"missed {len(missed)} hour(s), {format_timestamp(missed[0])} to "
                f"{format_timestamp(missed[-1])} (asleep, suspended or stopped): not back-filled, "
                "the API serves only the current content"
            )
