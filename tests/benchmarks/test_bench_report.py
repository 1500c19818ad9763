"""Targets are judged from the measured numbers, and the table shows what was measured."""

from __future__ import annotations

from typing import Any

from benchmarks import report


def _timing(median: float, low: float | None = None, high: float | None = None) -> dict[str, Any]:
    return {
        "median": median,
        "min": median if low is None else low,
        "max": median if high is None else high,
        "repeats": 3,
    }


RESULTS: dict[str, Any] = {
    "scale": {"hours": 8760, "days": 365, "max_files_per_table": 366},
    "timings": {
        "backfill_glue_job": _timing(100.0),
        "backfill_pandas": _timing(400.0),
        "backfill_duckdb": _timing(40.0),
        "incremental_after_day": _timing(10.0),
        "incremental_after_history": _timing(11.0),
        "query_fast": _timing(0.2),
        "query_slow": _timing(1.5),
    },
    "layout": {
        "chart_entry": {"files": 365, "bytes": 1, "partitions": 365, "max_files_per_partition": 1},
        "song": {"files": 730, "bytes": 1, "partitions": 365, "max_files_per_partition": 2},
    },
    "lambda": {"peak_rss_mb": {"median": 60.0, "min": 59.0, "max": 61.0}},
}


def test_every_measured_target_is_judged() -> None:
    assert report.evaluate_targets(RESULTS) == [
        {
            "target": "backfill: Glue job faster than the pandas way",
            "met": True,
            "measured": "100.00 s vs 400.00 s",
            "note": "",
        },
        {
            "target": "backfill: Glue job within 2x of DuckDB",
            "met": False,
            "measured": "2.50x",
            "note": "",
        },
        {
            "target": "incremental after the history within 1.2x of after a day",
            "met": True,
            "measured": "1.10x",
            "note": "",
        },
        {
            "target": "every named query under 1 s",
            "met": False,
            "measured": "slowest query_slow: 1.50 s",
            "note": "",
        },
        {
            "target": "at most 366 files per table",
            "met": False,
            "measured": "most: song 730",
            "note": "",
        },
        {
            "target": "Lambda invocation under 128 MB peak memory",
            "met": True,
            "measured": "max RSS 61.0 MB",
            "note": "",
        },
    ]


def test_unmeasured_targets_are_left_out() -> None:
    assert report.evaluate_targets({"timings": {"backfill_duckdb": _timing(1.0)}}) == []


def test_timing_table_aligns_and_puts_ratios_beside_the_other_ways() -> None:
    timings = {
        "backfill_glue_job": _timing(100.0, 90.0, 120.0),
        "backfill_pandas": _timing(400.0),
        "query_fast": _timing(0.2, 0.1, 0.3),
    }
    assert report.timing_table(timings).splitlines() == [
        "benchmark            median            min–max  runs  Glue job time ÷ this",
        "backfill_glue_job  100.00 s   90.00 s–120.00 s     3",
        "backfill_pandas    400.00 s  400.00 s–400.00 s     3                  0.25",
        "query_fast           200 ms      100 ms–300 ms     3",
    ]


def test_phase_table_shows_the_median_of_each_phase_and_each_table_write() -> None:
    runs = [
        {"read": 10.0, "write": {"song": 2.0, "album": 0.5}},
        {"read": 30.0, "write": {"song": 4.0, "album": 0.7}},
        {"read": 20.0, "write": {"song": 3.0, "album": 0.6}},
    ]

    assert report.phase_table(runs).splitlines() == [
        "phase         median          min–max",
        "read         20.00 s  10.00 s–30.00 s",
        "write song    3.00 s    2.00 s–4.00 s",
        "write album   600 ms    500 ms–700 ms",
    ]


def test_the_ratio_needs_both_backfills() -> None:
    assert report.duckdb_ratio(RESULTS["timings"]) == 2.5
    assert report.duckdb_ratio({"backfill_glue_job": _timing(1.0)}) is None


def test_cold_runs_are_set_against_the_jobs_cold_run_and_duckdb() -> None:
    timings = {
        "backfill_duckdb": _timing(10.0),
        "cold_backfill_glue_job": _timing(60.0),
        "cold_spark_bound_five_tables": _timing(40.0),
        "cold_floor_spark_gzip_json_parse": _timing(20.0),
    }
    table = report.timing_table(timings).splitlines()
    assert table[2].split()[0] == "cold_backfill_glue_job"
    assert table[2].split()[-1] == "3"  # no ratio of the job to itself
    assert table[3].split()[-1] == "1.50"
    assert table[4].split()[-1] == "3.00"
    assert report.cold_ratio_lines(timings) == [
        "cold (a fresh JVM per run): Glue job ÷ DuckDB 6.00; Spark's bound for the five "
        "tables ÷ DuckDB 4.00; Glue job ÷ Spark's bound 1.50"
    ]
    del timings["cold_spark_bound_five_tables"]
    assert report.cold_ratio_lines(timings) == []
