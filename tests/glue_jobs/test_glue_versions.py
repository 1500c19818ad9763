"""The job on both supported Glue versions: Spark's defaults, ANSI edge inputs, same output.

Glue 5.1 is Spark 3.5.6 (ANSI off), Glue 6.0 is Spark 4.1.1 (ANSI on). `make test` runs these
on the first, `make test-glue6` on the second; there the last test also runs the job on
Spark 3.5.6 in a subprocess (GLUE51_PYTHON) and compares the two lakes file for file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import glue_edge_inputs as edge
import pytest
from chispa import assert_df_equality
from glue_shared_lake import build_shared_raw

from glue_jobs.charts.config import JobConfig
from glue_jobs.charts.pipeline import run
from glue_jobs.charts.schemas import CURATED_TABLES, PARTITION_COLUMN, TABLE_KEYS

pytestmark = pytest.mark.spark

REPO_ROOT = Path(__file__).resolve().parents[2]
SPARK_4 = 4
EDGE_SUMMARY = {
    "mode": "incremental",
    "raw_objects_read": 7,
    "entries_read": 8,
    "rows_written": {"chart_entry": 8, "song": 8, "album": 8, "artist": 1, "song_artist": 7},
    "quarantined": {
        "key_mismatch": 1,
        "missing_envelope_fields": 1,
        "schema_mismatch": 2,
        "unknown_schema_version": 1,
    },
    "skipped_entries": {},
    "partitions_rebuilt": ["2026-11-26"],
    "partitions_held_back": [],
    "catalog_partitions_added": {},
}


# Wall-clock fields of the summary, different on every run.
TIMED = ("seconds", "phase_seconds")


def _major(spark: Any) -> int:
    return int(spark.version.split(".")[0])


def _without_seconds(summary: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in summary.items() if name not in TIMED}


@pytest.fixture(scope="module")
def edge_lake(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The edge inputs alone, processed once."""
    lake = tmp_path_factory.mktemp("edge") / "lake"
    edge.build_edge_raw(lake)
    return lake, run(spark, JobConfig(str(lake)))


def test_the_session_keeps_sparks_ansi_default(spark: Any) -> None:
    # Glue 6.0 runs Spark 4's defaults: the job must be right with ANSI on, not switch it off.
    expected = "true" if _major(spark) >= SPARK_4 else "false"
    assert spark.conf.get("spark.sql.ansi.enabled") == expected


def test_edge_inputs_are_rows_or_quarantined_never_a_failed_run(
    edge_lake: tuple[Path, dict[str, Any]],
) -> None:
    _, summary = edge_lake
    assert _without_seconds(summary) == EDGE_SUMMARY


def test_edge_quarantine_reasons(edge_lake: tuple[Path, dict[str, Any]]) -> None:
    lake, _ = edge_lake
    records = [json.loads(p.read_text()) for p in (lake / "quarantine").rglob("*.reason.json")]
    by_playlist = {record["raw_key"].rsplit("=", 1)[1][:22]: record["reason"] for record in records}
    expected = {
        edge.playlist_of(kind): reason for kind, (reason, _) in edge.EDGE_QUARANTINED.items()
    }
    assert by_playlist == {**expected, edge.HOUR_25_PLAYLIST: "key_mismatch"}


def test_edge_values_become_nulls(spark: Any, edge_lake: tuple[Path, dict[str, Any]]) -> None:
    lake, _ = edge_lake
    album_df = spark.read.parquet(str(lake / "curated" / "album")).select(
        "album_id", "release_date", "release_year", "image_url"
    )
    albums = {row["album_id"]: row for row in album_df.collect()}
    assert albums[edge.album_id(edge.NO_IMAGES)]["image_url"] is None
    assert albums[edge.album_id(edge.FEB_30)]["release_date"] is None
    assert albums[edge.album_id(edge.FEB_30)]["release_year"] == 2021
    assert albums[edge.album_id(edge.MONTH_13)]["release_date"] is None
    assert albums[edge.album_id(edge.UNKNOWN_YEAR)]["release_year"] is None
    assert albums[edge.album_id(edge.HUGE_IMAGE)]["image_url"] == "https://i.scdn.co/image/huge"
    songs = {
        row["song_id"]: row for row in spark.read.parquet(str(lake / "curated" / "song")).collect()
    }
    assert songs[edge.song_id(edge.NO_ARTIST_ID)]["primary_artist_id"] is None
    assert songs[edge.song_id(edge.NO_ARTIST_ID)]["artist_ids"] == []
    entries = {
        row["song_id"]: row
        for row in spark.read.parquet(str(lake / "curated" / "chart_entry")).collect()
    }
    assert entries[edge.song_id(edge.BAD_ADDED_AT)]["added_at"] is None
    assert edge.song_id(edge.BAD_CAPTURED_AT_SONG) in entries


def _glue_51_python() -> str:
    python = os.environ.get("GLUE51_PYTHON", "")
    if not python:
        pytest.skip("set GLUE51_PYTHON to the Glue 5.1 lane's python (make test-glue6 does)")
    return python


def _run_job_in(python: str, lake: Path) -> dict[str, Any]:
    # The other lane's own Spark workers: drop this process's PYSPARK_* interpreters.
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYSPARK_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    version = subprocess.run(
        [python, "-c", "import pyspark; print(pyspark.__version__)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    assert version.startswith("3.5."), f"GLUE51_PYTHON runs pyspark {version}, not Glue 5.1's"
    done = subprocess.run(
        [python, "-m", "spotify_etl.cli", "transform", "--lake", str(lake)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary


def _files(root: Path) -> dict[str, bytes]:
    """Quarantine and state files by path (their bytes have no clock in them)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for folder in ("quarantine", "state")
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


def _partitions(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix() for p in (root / "curated").glob(f"*/{PARTITION_COLUMN}=*")
    }


def test_same_output_as_glue_5_1(
    spark: Any, tmp_path: Path, api_entries: dict[str, list[dict[str, Any]]]
) -> None:
    if _major(spark) < SPARK_4:
        pytest.skip("runs in the Glue 6.0 lane (make test-glue6), against this one")
    python = _glue_51_python()
    lake_60, lake_51 = tmp_path / "glue60", tmp_path / "glue51"
    build_shared_raw(lake_60, api_entries)
    edge.build_edge_raw(lake_60)
    shutil.copytree(lake_60, lake_51)
    summary_60 = run(spark, JobConfig(str(lake_60)))
    summary_51 = _run_job_in(python, lake_51)
    assert _without_seconds(summary_60) == _without_seconds(summary_51)
    assert _files(lake_60) == _files(lake_51)
    assert _partitions(lake_60) == _partitions(lake_51)
    for table in CURATED_TABLES:
        keys = [PARTITION_COLUMN, *TABLE_KEYS[table]]
        assert_df_equality(
            spark.read.parquet(str(lake_60 / "curated" / table)).orderBy(*keys),
            spark.read.parquet(str(lake_51 / "curated" / table)).orderBy(*keys),
        )
