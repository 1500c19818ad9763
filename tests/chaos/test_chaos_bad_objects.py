"""Attack suite, bad objects: none stops the job, each is named, no entry goes uncounted."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from chaos_lake import (
    ATTACKS,
    DAY_1,
    RAW,
    attack,
    bad_id,
    ingest,
    landed_key,
    quarantined,
    raw_keys,
)
from chispa import assert_df_equality
from pyspark.sql import functions as F

from glue_jobs.charts import pipeline
from glue_jobs.charts.config import JobConfig
from glue_jobs.charts.schemas import TABLE_KEYS
from spotify_etl import local_spark as spark_module
from spotify_etl.cli import main

pytestmark = pytest.mark.spark
BAD_PLAYLISTS = [bad_id(6), bad_id(7)]


def read_table(spark: Any, lake: Path, table: str) -> Any:
    return spark.read.parquet(str(lake / "curated" / table)).orderBy(
        "snapshot_date", *TABLE_KEYS[table]
    )


@pytest.fixture(scope="module")
def lakes(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The same landed hours: processed clean, and with every attack beside them."""
    clean = tmp_path_factory.mktemp("clean") / "lake"
    ingest(clean)
    pipeline.run(spark, JobConfig(str(clean)))
    attacked = tmp_path_factory.mktemp("attacked") / "lake"
    ingest(attacked)
    placed = attack(attacked)
    summary = pipeline.run(spark, JobConfig(str(attacked)))
    return {"clean": clean, "attacked": attacked, "placed": placed, "summary": summary}


def test_the_good_data_is_whole_whatever_lies_beside_it(spark: Any, lakes: dict[str, Any]) -> None:
    # The read-but-odd objects add their own chart's rows (and their songs to the dimension
    # tables, first seen at 03:00); every landed snapshot's rows are there, as without them.
    attacked_df = read_table(spark, lakes["attacked"], "chart_entry").where(
        ~F.col("playlist_id").isin(BAD_PLAYLISTS)
    )
    clean_df = read_table(spark, lakes["clean"], "chart_entry")
    assert_df_equality(attacked_df, clean_df, ignore_row_order=True, ignore_nullable=True)


def test_each_bad_object_is_quarantined_by_name(lakes: dict[str, Any]) -> None:
    expected = {key: reason for key, reason in lakes["placed"].items() if reason}
    assert quarantined(lakes["attacked"]) == expected
    assert lakes["summary"]["quarantined"] == {
        reason: list(expected.values()).count(reason) for reason in sorted(set(expected.values()))
    }


def test_every_listed_object_is_read_or_quarantined(lakes: dict[str, Any]) -> None:
    listed = raw_keys(lakes["attacked"])
    assert set(quarantined(lakes["attacked"])) <= listed
    assert lakes["summary"]["raw_objects_read"] == len(listed)
    assert lakes["summary"]["partitions_held_back"] == []


def test_every_entry_read_is_a_row_or_a_counted_skip(spark: Any, lakes: dict[str, Any]) -> None:
    summary = lakes["summary"]
    rows = read_table(spark, lakes["attacked"], "chart_entry").count()
    assert summary["entries_read"] == rows + sum(summary["skipped_entries"].values())
    assert summary["rows_written"]["chart_entry"] == rows
    for spec in ATTACKS.values():
        for reason, count in spec.skips:
            assert summary["skipped_entries"][reason] == count
    # The fake's edge playlist: local files, removed tracks and episodes, counted by reason.
    assert {"local_file", "null_track", "episode"} <= set(summary["skipped_entries"])


def test_a_rerun_changes_nothing(spark: Any, lakes: dict[str, Any]) -> None:
    lake = lakes["attacked"]
    before = {p: p.stat().st_mtime_ns for p in lake.rglob("*") if p.is_file()}
    summary = pipeline.run(spark, JobConfig(str(lake)))
    assert (summary["partitions_rebuilt"], summary["quarantined"]) == ([], {})
    assert {p: p.stat().st_mtime_ns for p in lake.rglob("*") if p.is_file()} == before


class KeptSession:
    """The test session for `spotify-etl transform`, which stops its session when done."""

    def __init__(self, spark: Any) -> None:
        self._spark = spark

    def __getattr__(self, name: str) -> Any:
        return getattr(self._spark, name)

    def stop(self) -> None:
        """Kept for the other tests."""


def test_issue_12_reproduction_runs_twice_with_status_0(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spark_module, "build_local_spark", lambda **_: KeptSession(spark))
    lake = tmp_path / "P"
    assert main(["ingest", "--hours", "6", "--lake", str(lake)]) == 0
    bad = lake / RAW / "snapshot_date=2026-11-01/snapshot_hour=03"
    (bad / "playlist_id=BAD0000000000000000025.json.gz").write_bytes(gzip.compress(b"", mtime=0))
    capsys.readouterr()
    assert main(["transform", "--lake", str(lake)]) == 0  # exit status 1 on main, every time
    assert json.loads(capsys.readouterr().out)["quarantined"] == {"empty_body": 1}
    assert main(["transform", "--lake", str(lake)]) == 0
    assert quarantined(lake) == {
        f"{RAW}/snapshot_date=2026-11-01/snapshot_hour=03/playlist_id=BAD0000000000000000025"
        ".json.gz": "empty_body"
    }


def test_a_failed_read_holds_its_day_back_and_never_quarantines_a_good_object(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = tmp_path / "lake"
    ingest(lake)
    skipped = landed_key(1)
    real_read = pipeline.read_raw_snapshots

    def read_without(spark_session: Any, folders: Any) -> Any:
        # What ignoreCorruptFiles makes of an I/O error: no row for the object.
        return real_read(spark_session, folders).where(F.col("raw_key") != skipped)

    monkeypatch.setattr(pipeline, "read_raw_snapshots", read_without)
    first = pipeline.run(spark, JobConfig(str(lake)))
    assert (first["partitions_held_back"], first["quarantined"]) == ([DAY_1], {})
    assert not (lake / "curated" / "chart_entry" / f"snapshot_date={DAY_1}").exists()
    monkeypatch.setattr(pipeline, "read_raw_snapshots", real_read)
    second = pipeline.run(spark, JobConfig(str(lake)))  # the retry: the object reads now
    assert (second["partitions_rebuilt"], second["quarantined"]) == ([DAY_1], {})
    assert quarantined(lake) == {}


def test_a_read_that_keeps_failing_is_quarantined_on_the_third_run(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = tmp_path / "lake"
    ingest(lake)
    skipped = landed_key(1)
    real_read = pipeline.read_raw_snapshots
    monkeypatch.setattr(
        pipeline,
        "read_raw_snapshots",
        lambda s, f: real_read(s, f).where(F.col("raw_key") != skipped),
    )
    held = [pipeline.run(spark, JobConfig(str(lake)))["partitions_held_back"] for _ in range(2)]
    third = pipeline.run(spark, JobConfig(str(lake)))
    assert held == [[DAY_1], [DAY_1]]
    assert (third["partitions_held_back"], third["quarantined"]) == ([], {"unreadable": 1})
    assert DAY_1 in third["partitions_rebuilt"]
    assert quarantined(lake) == {skipped: "unreadable"}
