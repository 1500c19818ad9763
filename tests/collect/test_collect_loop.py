"""The collect loop on a simulated clock: what runs when, after a suspend, and on a stop."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from spotify_etl.collect.loop import MAX_NAP_S, OK, Collector, StepResult
from spotify_etl.collect.schedule import Schedule


def at(hour: int, minute: int = 0, day: int = 26) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@dataclass
class SimulatedTime:
    """A wall clock and a stop signal: `wait` moves the clock instead of sleeping.

    `suspend` is a nap that ends much later on the wall clock (a laptop's lid was closed);
    the stop comes at `stop_at`.
    """

    now: datetime
    stop_at: datetime
    suspend: tuple[datetime, datetime] | None = None
    stopped: bool = False
    naps: list[float] = field(default_factory=list)

    def clock(self) -> datetime:
        return self.now

    def is_set(self) -> bool:
        return self.stopped

    def wait(self, timeout: float | None = None) -> bool:
        assert timeout is not None
        self.naps.append(timeout)
        woke = self.now + timedelta(seconds=timeout)
        if self.suspend and self.now <= self.suspend[0] < woke:
            woke = self.suspend[1]
        if woke >= self.stop_at:
            self.now, self.stopped = self.stop_at, True
        else:
            self.now = woke
        return self.stopped

    def set(self) -> None:
        self.stopped = True


@dataclass
class ScriptedSteps:
    """Steps that record when they ran and take simulated time."""

    time: SimulatedTime
    calls: list[tuple[str, str]] = field(default_factory=list)
    stop_during: str | None = None

    def _run(self, step: str, what: str, seconds: float) -> StepResult:
        self.calls.append((step, what))
        self.time.now += timedelta(seconds=seconds)
        if step == self.stop_during:
            self.time.set()  # Ctrl-C while this step runs
        return StepResult(step, OK, what, seconds)

    def ingest(self, hour: datetime) -> StepResult:
        return self._run("ingest", f"{self.time.now:%H:%M} slot {hour:%d %H:%M}", 2)

    def transform(self) -> StepResult:
        return self._run("transform", f"{self.time.now:%H:%M}", 90)

    def crawl(self) -> StepResult:
        return self._run("crawl", f"{self.time.now:%H:%M}", 3)


def collect(time: SimulatedTime, steps: ScriptedSteps, every: int = 6) -> list[str]:
    lines: list[str] = []
    collector = Collector(steps, Schedule(every), clock=time.clock, stop=time, log=lines.append)
    collector.run()
    return lines


def test_the_chain_runs_at_start_then_hourly_ingests_and_transforms_every_six_hours() -> None:
    time = SimulatedTime(now=at(10, 37), stop_at=at(13, 30))
    steps = ScriptedSteps(time)
    lines = collect(time, steps)
    assert steps.calls == [
        ("ingest", "10:37 slot 26 10:00"),
        ("transform", "10:37"),
        ("crawl", "10:38"),
        ("ingest", "11:00 slot 26 11:00"),
        ("ingest", "12:00 slot 26 12:00"),
        ("transform", "12:15"),
        ("crawl", "12:16"),
        ("ingest", "13:00 slot 26 13:00"),
    ]
    assert lines[0] == "ingest ok: 10:37 slot 26 10:00 (2.0 s)"
    assert max(time.naps) <= MAX_NAP_S


def test_after_a_suspend_the_missed_hours_are_reported_not_back_filled() -> None:
    # Asleep from 14:20 to 18:40: the 15:00 to 18:00 slots and the 18:15 transform fell due.
    time = SimulatedTime(now=at(14, 5), stop_at=at(19, 10), suspend=(at(14, 20), at(18, 40)))
    steps = ScriptedSteps(time)
    lines = collect(time, steps)
    assert steps.calls[3:] == [
        ("ingest", "18:40 slot 26 18:00"),
        ("transform", "18:40"),
        ("crawl", "18:41"),
        ("ingest", "19:00 slot 26 19:00"),
    ]
    assert (
        "missed 3 hour(s), 2026-11-26T15:00:00Z to 2026-11-26T17:00:00Z (asleep, suspended or "
        "stopped): not back-filled, the API serves only the current content"
    ) in lines


@pytest.mark.parametrize(
    ("stop_during", "expected"),
    [
        ("ingest", [("ingest", "10:37 slot 26 10:00")]),
        ("transform", [("ingest", "10:37 slot 26 10:00"), ("transform", "10:37")]),
    ],
)
def test_a_stop_lets_the_running_step_finish_and_starts_no_other(
    stop_during: str, expected: list[tuple[str, str]]
) -> None:
    time = SimulatedTime(now=at(10, 37), stop_at=at(23))
    steps = ScriptedSteps(time, stop_during=stop_during)
    collect(time, steps)
    assert steps.calls == expected


def test_transform_every_hour_and_the_day_boundary() -> None:
    time = SimulatedTime(now=at(23, 20), stop_at=at(1, 20, day=27))
    steps = ScriptedSteps(time)
    collect(time, steps, every=1)
    assert [c for c in steps.calls if c[0] == "transform"] == [
        ("transform", "23:20"),
        ("transform", "00:15"),
        ("transform", "01:15"),
    ]


@pytest.mark.parametrize(
    ("now", "every", "due"),
    [
        (at(0, 0), 6, at(0, 15)),
        (at(0, 15), 6, at(6, 15)),
        (at(19, 0), 6, at(0, 15, day=27)),
        (at(7, 59), 8, at(8, 15)),
        (at(3, 16), 24, at(0, 15, day=27)),
    ],
)
def test_next_transform(now: datetime, every: int, due: datetime) -> None:
    assert Schedule(every).next_transform_after(now) == due


@pytest.mark.parametrize("every", [0, 5, 7, 25])
def test_transform_period_must_divide_the_day(every: int) -> None:
    with pytest.raises((ValueError, ZeroDivisionError)):
        Schedule(every)


def test_a_signal_handler_wakes_a_waiting_loop_at_once() -> None:
    import signal
    import time

    from spotify_etl.collect.stop import StopFlag

    stop = StopFlag()
    previous = signal.signal(signal.SIGALRM, lambda number, frame: stop.set())
    try:
        assert stop.wait(0.01) is False
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.2)  # a SIGALRM while the loop waits an hour
        assert stop.wait(3600) is True
        assert time.monotonic() - started < 60
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        stop.close()
