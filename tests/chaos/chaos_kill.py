"""Run one `spotify-etl` command in this process and die at a named step, as a kill would.

    python tests/chaos/chaos_kill.py STEP spotify-etl-arguments...

The process ends with os._exit(KILLED) at the step: no `finally`, no cleanup, no flush, as
with SIGKILL or a Glue worker lost. Exit status KILLED means the step was reached; anything
else means the command ended first (a test failure).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

KILLED = 77
# Time the Spark action of the read runs before the kill lands in the middle of it.
MID_READ_S = 0.5


def die() -> None:
    sys.stderr.write("chaos: killed\n")
    sys.stderr.flush()
    os._exit(KILLED)


def on_call(
    owner: Any, name: str, call_number: int, before: Callable[..., None] | None = None
) -> None:
    """Replace `owner.name` so that its `call_number`-th call dies (after `before(*args)`)."""
    real = getattr(owner, name)
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == call_number:
            if before is not None:
                before(*args, **kwargs)
            die()
        return real(*args, **kwargs)

    setattr(owner, name, wrapper)


def ingest_mid_write() -> None:
    """The third snapshot's bytes are in its temporary file, not yet renamed into place."""
    real = os.replace

    def replace(source: Any, target: Any) -> None:
        if "playlist_snapshots" in str(target):
            replace.count += 1  # type: ignore[attr-defined]
            if replace.count == 3:  # type: ignore[attr-defined]
                die()
        real(source, target)

    replace.count = 0  # type: ignore[attr-defined]
    os.replace = replace  # type: ignore[assignment]


def transform_mid_read() -> None:
    """Killed while Spark reads and parses the raw objects (the first action of the run)."""
    from glue_jobs.charts import pipeline

    real = pipeline.collect_object_stats

    def collect(entries_df: Any) -> Any:
        threading.Timer(MID_READ_S, die).start()
        return real(entries_df)

    pipeline.collect_object_stats = collect


def transform_staged() -> None:
    """chart_entry's rebuilt partitions are staged whole; none is published yet (the step
    that was "between delete and move" with Spark's dynamic overwrite)."""
    from glue_jobs.charts import writer

    on_call(writer, "publish_partitions", 1)


def transform_mid_publish() -> None:
    """One partition of chart_entry is published, the other is not."""
    from glue_jobs.charts.storage import LocalStorage

    on_call(LocalStorage, "replace", 2)


def transform_mid_quarantine() -> None:
    """The first rejected object is copied to quarantine, the next is not."""
    from glue_jobs.charts import writer

    on_call(writer, "quarantine_object", 2)


def transform_mid_state_write() -> None:
    """The new state is in its temporary file, not renamed over the old one."""
    from pathlib import Path

    from glue_jobs.charts.state import STATE_KEY
    from glue_jobs.charts.storage import LocalStorage

    real = LocalStorage.write_bytes

    def write_bytes(self: LocalStorage, key: str, data: bytes) -> None:
        if key == STATE_KEY:
            partial = Path(self.root / key)
            partial.with_name(f".{partial.name}.partial").write_bytes(data[: len(data) // 2])
            die()
        real(self, key, data)

    LocalStorage.write_bytes = write_bytes  # type: ignore[method-assign]


def crawl_mid_write() -> None:
    """The catalog's transaction holds one table of five; it never commits."""
    from spotify_etl.catalog import store

    on_call(store, "_insert_table", 2)


STEPS: dict[str, Callable[[], None]] = {
    "ingest-mid-write": ingest_mid_write,
    "transform-mid-read": transform_mid_read,
    "transform-staged": transform_staged,
    "transform-mid-publish": transform_mid_publish,
    "transform-mid-quarantine": transform_mid_quarantine,
    "transform-mid-state-write": transform_mid_state_write,
    "crawl-mid-write": crawl_mid_write,
}


def main() -> None:
    step, *arguments = sys.argv[1:]
    STEPS[step]()
    from spotify_etl.cli import main as spotify_etl

    status = spotify_etl(arguments)
    sys.stderr.write(f"chaos: {step} was never reached (exit status {status})\n")
    sys.exit(1 if status == KILLED else status or 1)


if __name__ == "__main__":
    main()
