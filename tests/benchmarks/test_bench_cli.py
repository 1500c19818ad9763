"""The runner end to end at a tiny scale (no timing is asserted, only what was measured)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import lambda_bench, run, suite


def test_runner_checks_counts_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    argv = ["--hours", "2", "--repeat", "1", "--only", "pandas", "--only", "duckdb"]

    assert run.main([*argv, "--lake", str(tmp_path / "lake"), "--out", str(out)]) == 0

    results = json.loads(out.read_text())
    assert results["rows"]["pandas"] == results["rows"]["duckdb"]
    assert results["rows"]["duckdb"]["chart_entry"] == 200
    assert sorted(results["timings"]) == [
        "backfill_duckdb",
        "backfill_pandas",
        "generate_raw_snapshots",
    ]
    assert results["timings"]["generate_raw_snapshots"]["detail"]["objects"] == 2


def test_runner_refuses_a_lake_inside_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run.parse_args(["--lake", str(run.REPO_ROOT / "lake")])
    assert "inside the repository" in capsys.readouterr().err


def test_scale_names_map_to_hours() -> None:
    assert run.parse_args(["--scale", "year"]).hours == 8760
    assert run.parse_args(["--scale", "year", "--hours", "5"]).hours == 5


def test_one_lambda_invocation_reads_two_pages_and_writes_one_snapshot(tmp_path: Path) -> None:
    ctx = suite.Context(lake=tmp_path / "lake", work=tmp_path, hours=1, repeat=1)

    lambda_bench.bench_lambda(ctx)

    measured = ctx.results["lambda"]
    # Token, Get Playlist, two pages of 50 entries, and the snapshot_id read again after the
    # pages (the torn-snapshot check of decision 0105).
    assert measured["requests"] == [5]
    assert measured["entries"] == [100]
    assert measured["written"] == [1]
    assert sorted(ctx.timings) == ["lambda_invocation", "lambda_process_startup"]
