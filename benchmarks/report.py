"""Plain-text results: an aligned table of timings with ratios, the layout, and the targets."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

# Targets from issue 7, checked on whatever scale was run (the year is the one that counts).
QUERY_LIMIT_S = 1.0
INCREMENTAL_RATIO_LIMIT = 1.2
DUCKDB_RATIO_LIMIT = 2.0
LAMBDA_MEMORY_LIMIT_MB = 128.0


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def align(rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Columns padded to their widest cell; columns in `right` right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


COLD_GLUE = "cold_backfill_glue_job"
COLD_BOUND = "cold_spark_bound_five_tables"


def timing_table(timings: dict[str, dict[str, Any]]) -> str:
    """Median, min–max and runs of every timing, with the backfill ratios side by side (a
    cold run's against the job's cold run, the others against the job in the session)."""
    glue, cold_glue = timings.get("backfill_glue_job"), timings.get(COLD_GLUE)
    rows = [["benchmark", "median", "min–max", "runs", "Glue job time ÷ this"]]
    for name, timing in timings.items():
        ratio = ""
        if name.startswith("cold_"):
            if cold_glue and name != COLD_GLUE:
                ratio = f"{cold_glue['median'] / timing['median']:.2f}"
        elif glue and name.startswith(("backfill_", "floor_")) and name != "backfill_glue_job":
            ratio = f"{glue['median'] / timing['median']:.2f}"
        spread = f"{_seconds(timing['min'])}–{_seconds(timing['max'])}"
        rows.append([name, _seconds(timing["median"]), spread, str(timing["repeats"]), ratio])
    return align(rows, right=(1, 2, 3, 4))


def duckdb_ratio(timings: dict[str, dict[str, Any]]) -> float | None:
    """The Glue job's backfill median over DuckDB's, when both ran."""
    glue, duck = timings.get("backfill_glue_job"), timings.get("backfill_duckdb")
    return glue["median"] / duck["median"] if glue and duck else None


def cold_ratio_lines(timings: dict[str, dict[str, Any]]) -> list[str]:
    """The cold runs against DuckDB: the job's, and the least any Spark job of the five tables
    takes here (the bound); with the bound above the target, Spark cannot meet it here."""
    duck, glue, bound = (timings.get(name) for name in ("backfill_duckdb", COLD_GLUE, COLD_BOUND))
    if not (duck and glue and bound):
        return []
    return [
        f"cold (a fresh JVM per run): Glue job ÷ DuckDB {glue['median'] / duck['median']:.2f}; "
        f"Spark's bound for the five tables ÷ DuckDB {bound['median'] / duck['median']:.2f}; "
        f"Glue job ÷ Spark's bound {glue['median'] / bound['median']:.2f}"
    ]


def phase_table(runs: Sequence[dict[str, Any]]) -> str:
    """Median seconds per phase over the runs (the writes one line per table)."""
    flat: dict[str, list[float]] = {}
    for run in runs:
        for phase, value in run.items():
            items = value.items() if isinstance(value, dict) else [("", value)]
            for table, seconds in items:
                flat.setdefault(f"{phase} {table}".strip(), []).append(seconds)
    rows = [["phase", "median", "min–max"]]
    for phase, values in flat.items():
        spread = f"{_seconds(min(values))}–{_seconds(max(values))}"
        rows.append([phase, _seconds(statistics.median(values)), spread])
    return align(rows, right=(1, 2))


def layout_table(layout: dict[str, dict[str, int]], rows: dict[str, dict[str, int]]) -> str:
    """Files, bytes, partitions and rows per curated table (rows per way when checked)."""
    ways = list(rows)
    header = [
        "table",
        "files",
        "MiB",
        "partitions",
        "max files/partition",
        *[f"rows ({w})" for w in ways],
    ]
    lines = [header]
    for table, info in layout.items():
        lines.append(
            [
                table,
                str(info["files"]),
                f"{info['bytes'] / 2**20:.1f}",
                str(info["partitions"]),
                str(info["max_files_per_partition"]),
                *[str(rows[way].get(table, "-")) for way in ways],
            ]
        )
    return align(lines, right=tuple(range(1, len(header))))


def _target(name: str, met: bool | None, measured: str, why: str = "") -> dict[str, Any]:
    return {"target": name, "met": met, "measured": measured, "note": why}


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Check each target the run measured; `met` is None when the run did not measure it."""
    timings = results.get("timings", {})
    targets: list[dict[str, Any]] = []
    glue, pandas_ = (timings.get(f"backfill_{way}") for way in ("glue_job", "pandas"))
    if glue and pandas_:
        targets.append(
            _target(
                "backfill: Glue job faster than the pandas way",
                glue["median"] < pandas_["median"],
                f"{_seconds(glue['median'])} vs {_seconds(pandas_['median'])}",
            )
        )
    ratio = duckdb_ratio(timings)
    if ratio is not None:
        targets.append(
            _target(
                f"backfill: Glue job within {DUCKDB_RATIO_LIMIT:g}x of DuckDB",
                ratio <= DUCKDB_RATIO_LIMIT,
                f"{ratio:.2f}x",
            )
        )
    day, history = timings.get("incremental_after_day"), timings.get("incremental_after_history")
    if day and history:
        ratio = history["median"] / day["median"]
        targets.append(
            _target(
                f"incremental after the history within {INCREMENTAL_RATIO_LIMIT:g}x of after a day",
                ratio <= INCREMENTAL_RATIO_LIMIT,
                f"{ratio:.2f}x",
            )
        )
    queries = {name: t for name, t in timings.items() if name.startswith("query_")}
    if queries:
        slowest = max(queries, key=lambda name: queries[name]["median"])
        targets.append(
            _target(
                f"every named query under {QUERY_LIMIT_S:g} s",
                queries[slowest]["median"] < QUERY_LIMIT_S,
                f"slowest {slowest}: {_seconds(queries[slowest]['median'])}",
            )
        )
    layout, limit = results.get("layout"), results.get("scale", {}).get("max_files_per_table")
    if layout and limit:
        most = max(layout, key=lambda table: layout[table]["files"])
        targets.append(
            _target(
                f"at most {limit} files per table",
                layout[most]["files"] <= limit,
                f"most: {most} {layout[most]['files']}",
            )
        )
    lambda_run = results.get("lambda")
    if lambda_run:
        peak = lambda_run["peak_rss_mb"]["max"]
        targets.append(
            _target(
                f"Lambda invocation under {LAMBDA_MEMORY_LIMIT_MB:g} MB peak memory",
                peak < LAMBDA_MEMORY_LIMIT_MB,
                f"max RSS {peak:.1f} MB",
            )
        )
    return targets


def targets_table(targets: list[dict[str, Any]]) -> str:
    """One line per target: met/missed and the measured value."""
    rows = [["target", "result", "measured"]]
    for target in targets:
        verdict = "met" if target["met"] else "MISSED"
        rows.append([target["target"], verdict, target["measured"]])
    return align(rows)


def detail_lines(results: dict[str, Any]) -> list[str]:
    """The numbers that are not timings: input size, tutorial row counts, the Lambda's run."""
    lines = []
    generated = results.get("timings", {}).get("generate_raw_snapshots")
    if generated:
        made = generated["detail"]
        lines.append(
            f"input: {made['objects']} raw objects, {made['bytes'] / 2**20:.1f} MiB gzip "
            f"({made['mean_bytes'] / 1024:.1f} KiB each), {made['json_bytes'] / 2**20:.1f} MiB JSON"
        )
    tutorial = results.get("pandas_tutorial_rows_before_daily_dedup")
    if tutorial:
        counts = ", ".join(f"{table} {rows}" for table, rows in tutorial.items())
        lines.append(f"pandas rows before the per-day dedup (what tutorials keep): {counts}")
    lambda_run = results.get("lambda")
    if lambda_run:
        rss, inherited = lambda_run["peak_rss_mb"], lambda_run["ru_maxrss_mb"]
        lines.append(
            f"Lambda: peak RSS (VmHWM) {rss['median']:.1f} MB median, {rss['max']:.1f} MB max; "
            f"tracemalloc peak of the invocation {lambda_run['tracemalloc_peak_mb']:.1f} MB; "
            f"HTTP requests per invocation {lambda_run['requests']}; entries "
            f"{lambda_run['entries']}; ru_maxrss {inherited['max']:.1f} MB (inherited across "
            "exec from the benchmark process, not the Lambda's)"
        )
    return lines
