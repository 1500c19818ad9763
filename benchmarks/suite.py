"""The benchmarks themselves: each takes the shared context and records its timings."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import layout
from benchmarks.generate import (
    RAW_PREFIX,
    GenerateSpec,
    generate,
    generate_charts,
    scheduled_hour,
)
from benchmarks.measure import Timing, time_repeated
from benchmarks.ways import cold, duckdb_way, floor, glue_way, pandas_way

HOURS_PER_DAY = 24
MANIFEST = "bench-input.json"


@dataclass
class Context:
    """What every benchmark shares: the lake, a scratch folder, the scale and the results."""

    lake: Path
    work: Path
    hours: int
    repeat: int
    backfill_repeat: int = 1
    reuse_input: bool = False
    charts: int = 50
    chart_days: int = 30
    timings: dict[str, Timing] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    _spark: Any = None

    def record(self, timing: Timing) -> Timing:
        """Keep a timing and print its median at once (a long run shows progress)."""
        self.timings[timing.name] = timing
        print(f"  {timing.name}: median {timing.median:.3f} s over {len(timing.seconds)} run(s)")
        return timing

    def spark(self) -> Any:
        """The local SparkSession, built once; its start-up is timed on its own."""
        if self._spark is None:
            from spotify_etl.local_spark import build_local_spark

            started = time.perf_counter()
            self._spark = build_local_spark(app_name="benchmarks", warehouse_dir=self.work / "wh")
            self.record(Timing("spark_session_start", (time.perf_counter() - started,)))
        return self._spark

    def stop(self) -> None:
        """Stop Spark if it was started."""
        if self._spark is not None:
            self._spark.stop()
            self._spark = None


def ensure_input(ctx: Context) -> None:
    """Generate the raw snapshots (timed) unless `--reuse-input` finds the same ones."""
    manifest = ctx.lake / MANIFEST
    wanted = {"hours": ctx.hours, "start": scheduled_hour(GenerateSpec(ctx.lake, 0), 0).isoformat()}
    if ctx.reuse_input and manifest.exists() and json.loads(manifest.read_text()) == wanted:
        print(f"  reusing {ctx.hours} raw snapshots in {ctx.lake}")
        return
    shutil.rmtree(ctx.lake / RAW_PREFIX, ignore_errors=True)
    spec = GenerateSpec(lake=ctx.lake, hours=ctx.hours)
    ctx.record(time_repeated("generate_raw_snapshots", lambda: generate(spec), repeat=1))
    manifest.write_text(json.dumps(wanted))


def bench_glue_backfill(ctx: Context) -> None:
    """The Glue job's full backfill, from empty outputs each repeat; keeps each run's phases."""
    spark, dates = ctx.spark(), glue_way.raw_dates(ctx.lake, RAW_PREFIX)
    phases: list[dict[str, Any]] = ctx.results.setdefault("glue_phase_seconds", [])

    def backfill() -> dict[str, Any]:
        summary = glue_way.backfill(spark, ctx.lake, dates)
        phases.append(summary["phase_seconds"])
        return summary

    ctx.record(
        time_repeated(
            "backfill_glue_job",
            backfill,
            ctx.backfill_repeat,
            prepare=lambda: glue_way.clear_job_outputs(ctx.lake),
        )
    )
    ctx.results.setdefault("rows", {})["glue_job"] = layout.row_counts(ctx.lake / "curated")


def ensure_curated(ctx: Context) -> None:
    """Make sure the Glue job's output of the whole input exists (an untimed backfill)."""
    if "glue_job" not in ctx.results.get("rows", {}):
        glue_way.clear_job_outputs(ctx.lake)
        glue_way.backfill(ctx.spark(), ctx.lake, glue_way.raw_dates(ctx.lake, RAW_PREFIX))
        ctx.results.setdefault("rows", {})["glue_job"] = layout.row_counts(ctx.lake / "curated")


def bench_other_way(ctx: Context, way: str) -> None:
    """The pandas or DuckDB way into a fresh folder each repeat; keeps its row counts."""
    out = ctx.work / way
    action = {
        "pandas": lambda: pandas_way.run(ctx.lake, out),
        "duckdb": lambda: duckdb_way.run(ctx.lake, out),
    }[way]
    timing = ctx.record(
        time_repeated(
            f"backfill_{way}",
            action,
            ctx.backfill_repeat,
            prepare=lambda: shutil.rmtree(out, ignore_errors=True),
        )
    )
    ctx.results.setdefault("rows", {})[way] = layout.row_counts(out)
    if "glue_job" in ctx.results["rows"]:
        # Whole rows, not counts: the reference must build the very tables the job builds.
        ctx.results.setdefault("rows_differing", {})[way] = {
            table: layout.differing_rows(out, ctx.lake / "curated", table)
            for table in duckdb_way.TABLES
        }
    if "tutorial_rows" in timing.detail:
        ctx.results["pandas_tutorial_rows_before_daily_dedup"] = timing.detail["tutorial_rows"]
    shutil.rmtree(out, ignore_errors=True)


def bench_floor(ctx: Context) -> None:
    """Spark's floor on the same input: gzip text read alone; read + parse + explode + count."""
    spark = ctx.spark()
    for name, action in floor.FLOORS.items():
        ctx.record(time_repeated(name, partial(action, spark, ctx.lake), ctx.backfill_repeat))


def bench_cold(ctx: Context) -> None:
    """The Glue job, Spark's lower bound for the five tables and the parse floor, each run in a
    fresh JVM (as every Glue run is), alternated so that they share the machine's load."""
    seconds: dict[str, list[float]] = {task: [] for task in cold.TASKS}
    details: dict[str, dict[str, Any]] = {}
    out = ctx.work / "cold"
    for _ in range(ctx.backfill_repeat):
        for task in cold.TASKS:
            shutil.rmtree(out, ignore_errors=True)
            took, details[task] = cold.run_cold(task, ctx.lake, out)
            seconds[task].append(took)
    shutil.rmtree(out, ignore_errors=True)
    for task, runs in seconds.items():
        ctx.record(Timing(task, tuple(runs), details[task]))
    # The bound must build the very tables (row counts per table), or it bounds nothing.
    rows = ctx.results.setdefault("rows", {})
    rows.setdefault("glue_job", details["cold_backfill_glue_job"]["rows"])
    rows["spark_bound"] = details["cold_spark_bound_five_tables"]["rows"]


def bench_charts(ctx: Context) -> None:
    """Many charts: `charts` playlists x `chart_days` days of hours, backfilled by the job."""
    lake = ctx.lake.parent / f"{ctx.lake.name}-charts"
    days = ctx.chart_days
    wanted = {"charts": ctx.charts, "days": days}
    manifest = lake / MANIFEST
    if not (ctx.reuse_input and manifest.exists() and json.loads(manifest.read_text()) == wanted):
        shutil.rmtree(lake / RAW_PREFIX, ignore_errors=True)
        lake.mkdir(parents=True, exist_ok=True)
        ctx.record(
            time_repeated(
                "generate_chart_snapshots",
                lambda: generate_charts(lake, ctx.charts, days * HOURS_PER_DAY),
                repeat=1,
            )
        )
        manifest.write_text(json.dumps(wanted))
    spark, dates = ctx.spark(), glue_way.raw_dates(lake, RAW_PREFIX)
    timing = ctx.record(
        time_repeated(
            "backfill_glue_job_charts",
            lambda: glue_way.backfill(spark, lake, dates),
            ctx.backfill_repeat,
            prepare=lambda: glue_way.clear_job_outputs(lake),
        )
    )
    ctx.results["charts"] = {
        "charts": ctx.charts,
        "days": days,
        "objects": timing.detail["raw_objects_read"],
        "phase_seconds": timing.detail["phase_seconds"],
    }


def bench_layout(ctx: Context) -> None:
    """Files and bytes per table of the Glue job's output of the whole input."""
    ensure_curated(ctx)
    ctx.results["layout"] = layout.curated_layout(ctx.lake / "curated")


def _incremental_runs(ctx: Context, lake: Path, history_hours: int, name: str) -> None:
    added: list[int] = []

    def add_next_hour() -> None:
        hour_index = history_hours + len(added)
        generate(GenerateSpec(lake=lake, hours=1, first_hour=hour_index), workers=1)
        added.append(hour_index)

    spark = ctx.spark()
    try:
        ctx.record(
            time_repeated(
                name, lambda: glue_way.incremental(spark, lake), ctx.repeat, prepare=add_next_hour
            )
        )
    finally:
        _remove_hours(lake, added)


def _remove_hours(lake: Path, hour_indices: list[int]) -> None:
    spec = GenerateSpec(lake=lake, hours=0)
    for hour_index in hour_indices:
        hour = scheduled_hour(spec, hour_index)
        folder = lake / RAW_PREFIX / f"snapshot_date={hour:%Y-%m-%d}" / f"snapshot_hour={hour:%H}"
        shutil.rmtree(folder, ignore_errors=True)
        if not any(folder.parent.iterdir()):
            folder.parent.rmdir()


def bench_incremental(ctx: Context) -> None:
    """One new hour then an incremental run, after a day of history and after the whole input."""
    day_lake = ctx.work / "day-lake"
    shutil.rmtree(day_lake, ignore_errors=True)
    generate(GenerateSpec(lake=day_lake, hours=HOURS_PER_DAY))
    glue_way.backfill(ctx.spark(), day_lake, glue_way.raw_dates(day_lake, RAW_PREFIX))
    _incremental_runs(ctx, day_lake, HOURS_PER_DAY, "incremental_after_day")
    shutil.rmtree(day_lake, ignore_errors=True)
    ensure_curated(ctx)
    _incremental_runs(ctx, ctx.lake, ctx.hours, "incremental_after_history")
