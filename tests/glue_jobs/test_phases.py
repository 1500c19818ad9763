"""The run's phase clock: seconds per phase, writes grouped by table, the listener told first."""

from __future__ import annotations

import pytest

from glue_jobs.charts.phases import PhaseClock, write_phase


def test_phases_add_up_and_writes_are_grouped_by_table() -> None:
    started: list[str] = []
    clock = PhaseClock(listener=started.append)
    for name in ("read", write_phase("song"), "read", write_phase("artist")):
        with clock.phase(name):
            pass
    summary = clock.summary()
    assert started == ["read", "write song", "read", "write artist"]
    assert list(summary) == ["read", "write"]
    assert list(summary["write"]) == ["song", "artist"]
    assert all(value >= 0 for value in [summary["read"], *summary["write"].values()])


def test_a_failing_phase_is_still_timed() -> None:
    clock = PhaseClock()
    with pytest.raises(RuntimeError), clock.phase("read"):
        raise RuntimeError("killed")
    assert "read" in clock.summary()
