"""Spark runs in a fresh JVM each, as every Glue run and every `spotify-etl transform` starts.

In the benchmark's one shared session only the first Spark run pays the JVM's warm-up (class
loading, the JIT compiling Spark's and Jackson's code); the later ones are measured warm. Here
each run is its own process: `python -m benchmarks.ways.cold <task> <lake> <out>` builds the
local session (untimed, as `spark_session_start` is), times the task alone and prints one JSON
line: {"seconds": ..., "detail": {...}}.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

TIMEOUT_SECONDS = 3600


def _glue_job(spark: SparkSession, lake: Path, _: Path) -> dict[str, Any]:
    from benchmarks.generate import RAW_PREFIX
    from benchmarks.ways import glue_way

    glue_way.clear_job_outputs(lake)
    summary = glue_way.backfill(spark, lake, glue_way.raw_dates(lake, RAW_PREFIX))
    return {"rows": summary["rows_written"], "phase_seconds": summary["phase_seconds"]}


def _floor(spark: SparkSession, lake: Path, _: Path) -> dict[str, Any]:
    from benchmarks.ways import floor

    return floor.json_parse(spark, lake)


def _bound(spark: SparkSession, lake: Path, out: Path) -> dict[str, Any]:
    from benchmarks.ways import spark_bound

    return spark_bound.five_tables(spark, lake, out)


# Timing names, as the report shows them.
TASKS: dict[str, Callable[[SparkSession, Path, Path], dict[str, Any]]] = {
    "cold_backfill_glue_job": _glue_job,
    "cold_spark_bound_five_tables": _bound,
    "cold_floor_spark_gzip_json_parse": _floor,
}


def run_cold(task: str, lake: Path, out: Path) -> tuple[float, dict[str, Any]]:
    """Run one task in a fresh Python and JVM; its seconds (session start excluded), detail."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.ways.cold", task, str(lake), str(out)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        tail = "\n".join(completed.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"cold run {task} failed ({completed.returncode}): {tail}")
    result = json.loads(lines[-1])
    return float(result["seconds"]), result["detail"]


def main(argv: list[str]) -> int:
    """`<task> <lake> <out>`: build the session, time the task, print the JSON line."""
    task, lake, out = argv[0], Path(argv[1]), Path(argv[2])
    if task not in TASKS:
        print(f"unknown task {task!r}: one of {', '.join(TASKS)}", file=sys.stderr)
        return 2
    from spotify_etl.local_spark import build_local_spark

    spark = build_local_spark(app_name=f"benchmarks-{task}")
    try:
        started = time.perf_counter()
        detail = TASKS[task](spark, lake, out)
        seconds = time.perf_counter() - started
    finally:
        spark.stop()
    print(json.dumps({"seconds": seconds, "detail": detail}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
