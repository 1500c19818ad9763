"""Wall seconds per phase of a run (for the summary), and a hook told when each phase starts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# Called with the phase name ("read", "write chart_entry", ...) when the phase starts.
PhaseListener = Callable[[str], None]
WRITE_PHASE = "write"


class PhaseClock:
    """Times the phases of one run; Spark jobs started in a phase carry its name."""

    def __init__(self, spark: Any = None, listener: PhaseListener | None = None) -> None:
        self._spark = spark
        self._listener = listener
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the block as phase `name` (a repeated name adds up)."""
        if self._listener is not None:
            self._listener(name)
        if self._spark is not None:
            # Shown by Spark's status tracker and logs next to the jobs of this phase.
            self._spark.sparkContext.setJobDescription(name)
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - started
            if self._spark is not None:
                self._spark.sparkContext.setJobDescription(None)

    def summary(self) -> dict[str, Any]:
        """Seconds per phase, rounded to ms; the table writes grouped under "write"."""
        result: dict[str, Any] = {}
        writes: dict[str, float] = {}
        for name, seconds in self.seconds.items():
            phase, _, table = name.partition(" ")
            if phase == WRITE_PHASE and table:
                writes[table] = round(seconds, 3)
            else:
                result[name] = round(seconds, 3)
        if writes:
            result[WRITE_PHASE] = writes
        return result


def write_phase(table: str) -> str:
    """The phase name of one table's write."""
    return f"{WRITE_PHASE} {table}"
