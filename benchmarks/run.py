"""`python -m benchmarks.run`: the lake benchmarks at a day, week, month or year of hourly history.

Prints an aligned table (median and min–max of repeated runs, ratios, layout, targets) and
writes every number to a JSON file. Input and scratch data live under /tmp, never in the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks import lambda_bench, layout, queries, report, suite
from benchmarks.measure import machine_info

SCALES = {"day": 24, "week": 168, "month": 720, "year": 8760}
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path(tempfile.gettempdir()) / "spotify-charts-bench.json"
NEEDS_INPUT = frozenset(
    {"glue", "pandas", "duckdb", "floor", "cold", "layout", "queries", "incremental"}
)
# Not in the default selection: it generates and reads its own, larger input (--only charts).
OPT_IN = frozenset({"charts"})


# In the order they run: queries and layout read the backfill's output before the
# incremental runs add hours to the lake.
BENCHES: dict[str, Callable[[suite.Context], None]] = {
    "glue": suite.bench_glue_backfill,
    "pandas": lambda ctx: suite.bench_other_way(ctx, "pandas"),
    "duckdb": lambda ctx: suite.bench_other_way(ctx, "duckdb"),
    "floor": suite.bench_floor,
    "cold": suite.bench_cold,
    "layout": suite.bench_layout,
    "queries": queries.bench_queries,
    "incremental": suite.bench_incremental,
    "lambda": lambda_bench.bench_lambda,
    "charts": suite.bench_charts,
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; `--hours` wins over `--scale`."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--scale", choices=SCALES, default="day", help="hours of history")
    parser.add_argument("--hours", type=int, help="hours of history (overrides --scale)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per benchmark (median)")
    parser.add_argument(
        "--backfill-repeat",
        type=int,
        help="runs of each full backfill (default: --repeat; a year of pandas takes minutes)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[*BENCHES, "generate"],
        help="run only these (repeatable)",
    )
    parser.add_argument("--lake", type=Path, help="folder for the generated lake (default: /tmp)")
    parser.add_argument("--reuse-input", action="store_true", help="keep raw data of equal scale")
    parser.add_argument("--charts", type=int, default=50, help="playlists of --only charts")
    parser.add_argument("--chart-days", type=int, default=30, help="days of --only charts")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    args = parser.parse_args(argv)
    hours = args.hours if args.hours is not None else SCALES[args.scale]
    if args.backfill_repeat is None:
        args.backfill_repeat = args.repeat
    if min(hours, args.repeat, args.backfill_repeat) < 1:
        parser.error("--hours, --repeat and --backfill-repeat must be at least 1")
    if args.lake is not None and args.lake.resolve().is_relative_to(REPO_ROOT):
        parser.error(f"--lake {args.lake} is inside the repository; use a folder under /tmp")
    args.hours = hours
    return args


def _print_report(results: dict[str, Any]) -> None:
    machine = results["machine"]
    print(
        f"\nmachine: {machine['cores']} cores, {machine['memory_gib']} GiB, {machine['cpu_model']}"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in machine["versions"].items()))
    load = ", ".join(f"{value:.1f}" for value in machine["load_average_at_start"])
    end_load = ", ".join(f"{value:.1f}" for value in results["load_average_at_end"])
    print(
        f"commit: {machine['commit']}; load average (1, 5, 15 min) at start: {load}, "
        f"at end: {end_load}"
    )
    print(f"scale: {results['scale']['hours']} hourly snapshots\n")
    print(report.timing_table(results["timings"]))
    if "layout" in results:
        print("\n" + report.layout_table(results["layout"], results.get("rows", {})))
    details = report.detail_lines(results)
    if details:
        print("\n" + "\n".join(details))
    phases = results.get("glue_phase_seconds")
    if phases:
        print("\nGlue job backfill, seconds per phase (median of the runs):")
        print(report.phase_table(phases))
    if results["targets"]:
        print("\n" + report.targets_table(results["targets"]))


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run the selected benchmarks and return the results (also written to `args.out`)."""
    selected = args.only or [*(name for name in BENCHES if name not in OPT_IN), "generate"]
    owns_lake = args.lake is None
    lake = args.lake or Path(tempfile.mkdtemp(prefix="bench-lake-"))
    work = Path(tempfile.mkdtemp(prefix="bench-work-"))
    ctx = suite.Context(
        lake,
        work,
        args.hours,
        args.repeat,
        backfill_repeat=args.backfill_repeat,
        reuse_input=args.reuse_input,
        charts=args.charts,
        chart_days=args.chart_days,
    )
    days = -(-args.hours // suite.HOURS_PER_DAY)
    ctx.results["scale"] = {"hours": args.hours, "days": days, "max_files_per_table": days + 1}
    ctx.results["machine"] = machine_info()
    started = time.perf_counter()
    try:
        lake.mkdir(parents=True, exist_ok=True)
        if NEEDS_INPUT.intersection(selected) or "generate" in selected:
            suite.ensure_input(ctx)
        for name, bench in BENCHES.items():
            if name in selected:
                print(f"[{name}]", flush=True)
                bench(ctx)
    finally:
        ctx.stop()
        shutil.rmtree(work, ignore_errors=True)
        if owns_lake:
            shutil.rmtree(lake, ignore_errors=True)
    results = {
        **ctx.results,
        "timings": {name: timing.to_json() for name, timing in ctx.timings.items()},
        "total_seconds": round(time.perf_counter() - started, 1),
        "load_average_at_end": os.getloadavg(),
    }
    results["targets"] = report.evaluate_targets(results)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the tables, write the JSON; exit 1 if the ways disagree on row counts."""
    args = parse_args(argv)
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, default=str))
    _print_report(results)
    print(f"\nresults: {args.out}")
    rows = results.get("rows", {})
    if len(rows) > 1:
        reference = "glue_job" if "glue_job" in rows else next(iter(rows))
        try:
            layout.check_equal_counts(reference, rows)
        except layout.RowCountMismatchError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            return 1
        print(f"row counts per table equal across: {', '.join(rows)}")
    for way, tables in results.get("rows_differing", {}).items():
        differing = {table: diff for table, diff in tables.items() if tuple(diff) != (0, 0)}
        if differing:
            print(
                f"FAILED: rows differ, glue_job vs {way} (only {way}, only glue_job): {differing}"
            )
            return 1
        print(f"rows equal (whole tables): glue_job = {way}")
    ratio = report.duckdb_ratio(results.get("timings", {}))
    if ratio is not None:
        print(
            f"Glue job ÷ DuckDB (backfill medians): {ratio:.2f} "
            f"(target ≤ {report.DUCKDB_RATIO_LIMIT:g})"
        )
    for line in report.cold_ratio_lines(results.get("timings", {})):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
