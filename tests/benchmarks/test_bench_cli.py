"""The runner end to end at a tiny scale (no timing is asserted, only what was measured)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import lambda_bench, run, suite
from benchmarks.ways import cold


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
    # Token, Get Playlist, two pages of 50 entries, the snapshot_id again (decision 0105).
    assert measured["requests"] == [5]
    assert measured["entries"] == [100]
    assert measured["written"] == [1]
    assert sorted(ctx.timings) == ["lambda_invocation", "lambda_process_startup"]


def test_cold_runs_alternate_and_the_bound_joins_the_row_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    rows = {"chart_entry": 1, "song": 1, "album": 1, "artist": 1, "song_artist": 1}

    def fake_run_cold(task: str, lake: Path, out: Path) -> tuple[float, dict[str, object]]:
        calls.append(task)
        return float(len(calls)), {} if "floor" in task else {"rows": dict(rows)}

    monkeypatch.setattr(cold, "run_cold", fake_run_cold)
    ctx = suite.Context(tmp_path / "lake", tmp_path / "work", hours=1, repeat=1, backfill_repeat=2)

    suite.bench_cold(ctx)

    assert calls == [*cold.TASKS, *cold.TASKS]
    assert {name: timing.seconds for name, timing in ctx.timings.items()} == {
        "cold_backfill_glue_job": (1.0, 4.0),
        "cold_spark_bound_five_tables": (2.0, 5.0),
        "cold_floor_spark_gzip_json_parse": (3.0, 6.0),
    }
    assert ctx.results["rows"] == {"glue_job": rows, "spark_bound": rows}
