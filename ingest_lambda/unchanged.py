"""Read a chart again when it changed while its pages were read; a bounded number of times.

A chart of 100 entries takes two pages. A playlist edited between them (user-maintained copies
of charts change at the top of the hour, when the Lambda runs) would give one snapshot mixing
two versions: a song missing, another twice. Each read therefore checks that the chart did not
change while it was read (the source decides how: a playlist's `snapshot_id` before and after
its pages, the first top-tracks page read again) and is repeated when it did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from ingest_lambda.errors import ChartChangedError

T = TypeVar("T")
LOGGER = logging.getLogger("ingest_lambda.unchanged")
# A chart edited once at the top of the hour is read whole by the second read; a third
# covers two edits in a row. More would spend the quota on a chart that keeps changing.
MAX_READS = 3


class ChangedWhileReadError(Exception):
    """One read saw the chart change: `change` says how, `attempts` the requests it spent."""

    def __init__(self, change: str, attempts: int = 0) -> None:
        super().__init__(change)
        self.change = change
        self.attempts = attempts

    def plus(self, attempts: int) -> ChangedWhileReadError:
        """The same change, counting `attempts` more requests of the read it ended."""
        return ChangedWhileReadError(self.change, self.attempts + attempts)


def read_unchanged(
    read_once: Callable[[], tuple[T, int]], chart: str, max_reads: int = MAX_READS
) -> tuple[T, int]:
    """Call `read_once` until one read sees no change; return its result and every attempt.

    Args:
        read_once: one whole read, returning (result, attempts); raises ChangedWhileReadError
            when the chart changed during it.
        chart: names the chart in logs and in the error, e.g. "playlist <id>".
        max_reads: how many reads at most.

    Raises:
        ChartChangedError: every read saw a change; nothing may be written.
    """
    spent = 0
    changes: list[str] = []
    for number in range(1, max_reads + 1):
        try:
            result, attempts = read_once()
        except ChangedWhileReadError as changed:
            spent += changed.attempts
            changes.append(changed.change)
            LOGGER.warning(
                "chart changed while read",
                extra={"chart": chart, "read": number, "change": changed.change},
            )
            continue
        return result, spent + attempts
    raise ChartChangedError(
        f"{chart} changed while its pages were read, on each of {max_reads} reads "
        f"({'; '.join(changes)}); nothing written, so no snapshot mixes two versions (the next "
        "run tries again)"
    )
