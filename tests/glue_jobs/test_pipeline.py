"""End-to-end runs of the charts job on a folder lake: summary, quarantine, reruns, crashes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import boto3
import glue_raw_builder as rb
import pytest
from chispa import assert_df_equality
from glue_shared_lake import DAY_2, MALFORMED_KINDS, build_shared_raw
from moto import mock_aws

from glue_jobs.charts import pipeline
from glue_jobs.charts.config import JobConfig
from glue_jobs.charts.schemas import CURATED_TABLES, TABLE_KEYS

pytestmark = pytest.mark.spark

SHARED_SUMMARY = {
    "mode": "incremental",
    "raw_objects_read": 12,
    "entries_read": 9,
    "rows_written": {"chart_entry": 5, "song": 3, "album": 2, "artist": 3, "song_artist": 4},
    "quarantined": dict.fromkeys(sorted(MALFORMED_KINDS), 1),
    "skipped_entries": {"episode": 1, "local_file": 2, "null_track": 1},
    "partitions_rebuilt": ["2026-11-24", "2026-11-25"],
    "partitions_held_back": [],
    "catalog_partitions_added": {},
}


def files_under(root: Path) -> dict[str, int]:
    """Every file under `root` (relative path -> mtime_ns)."""
    return {
        path.relative_to(root).as_posix(): path.stat().st_mtime_ns
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def read_table(spark: Any, lake: Path, table: str) -> Any:
    """A curated table read back, in key order."""
    keys = ["snapshot_date", *TABLE_KEYS[table]]
    return spark.read.parquet(str(lake / "curated" / table)).orderBy(*keys)


def assert_same_tables(spark: Any, left: Path, right: Path) -> None:
    """Every curated table holds exactly the same rows in both lakes."""
    for table in CURATED_TABLES:
        assert_df_equality(read_table(spark, left, table), read_table(spark, right, table))


def test_first_run_summary(shared_lake: tuple[Path, dict[str, Any]]) -> None:
    _, summary = shared_lake
    timed = ("seconds", "phase_seconds")
    assert {k: v for k, v in summary.items() if k not in timed} == SHARED_SUMMARY
    assert summary["seconds"] > 0
    phases = summary["phase_seconds"]
    assert sorted(phases) == ["plan", "quarantine", "read", "write"]
    assert list(phases["write"]) == list(CURATED_TABLES)
    assert phases["read"] > 0
    assert sum(phases["write"].values()) + phases["read"] <= summary["seconds"]


def test_quarantine_copies_each_malformed_object_with_its_reason(
    shared_lake: tuple[Path, dict[str, Any]],
) -> None:
    lake, _ = shared_lake
    raw_files = {k for k in files_under(lake) if k.startswith("raw/")}
    records = sorted((lake / "quarantine").rglob("*.reason.json"))
    reasons = {json.loads(path.read_text())["reason"] for path in records}
    assert reasons == set(MALFORMED_KINDS)
    for record_path in records:
        record = json.loads(record_path.read_text())
        copy = lake / "quarantine" / record["reason"] / record["raw_key"]
        assert copy.read_bytes() == (lake / record["raw_key"]).read_bytes()
        assert record["raw_key"] in raw_files  # the original is still in raw/
        assert record["detail"]


def test_one_parquet_file_per_table_partition_and_no_markers(
    shared_lake: tuple[Path, dict[str, Any]],
) -> None:
    lake, _ = shared_lake
    for table in CURATED_TABLES:
        names = [
            p.relative_to(lake / "curated" / table).as_posix()
            for p in (lake / "curated" / table).rglob("*")
        ]
        visible = sorted(n for n in names if not n.rsplit("/", 1)[-1].startswith("."))
        assert [n.split("/")[0] for n in visible if n.endswith(".parquet")] == [
            "snapshot_date=2026-11-24",
            "snapshot_date=2026-11-25",
        ]
        assert not [n for n in visible if "_SUCCESS" in n or "staging" in n]


def test_written_schemas_are_the_declared_ones(
    spark: Any, shared_lake: tuple[Path, dict[str, Any]]
) -> None:
    lake, _ = shared_lake
    for table, schema in CURATED_TABLES.items():
        written = spark.read.parquet(str(lake / "curated" / table)).schema
        assert [(f.name, f.dataType.simpleString()) for f in written.fields] == [
            (f.name, f.dataType.simpleString()) for f in schema.fields
        ]


def test_rerun_without_new_raw_changes_no_file(spark: Any, lake_copy: Path) -> None:
    before = files_under(lake_copy)
    summary = pipeline.run(spark, JobConfig(str(lake_copy)))
    assert summary["partitions_rebuilt"] == []
    assert summary["raw_objects_read"] == 0
    assert files_under(lake_copy) == before  # tables, quarantine and state untouched


def test_backfill_range_rebuilds_the_same_rows(
    spark: Any, shared_lake: tuple[Path, dict[str, Any]], lake_copy: Path
) -> None:
    config = JobConfig(
        str(lake_copy),
        snapshot_dates=(dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)),
    )
    summary = pipeline.run(spark, config)
    assert summary["mode"] == "backfill"
    assert summary["partitions_rebuilt"] == ["2026-11-23", "2026-11-24", "2026-11-25"]
    assert summary["rows_written"] == SHARED_SUMMARY["rows_written"]
    assert_same_tables(spark, lake_copy, shared_lake[0])
    parquet_files = [p for p in (lake_copy / "curated").rglob("*.parquet")]
    assert len(parquet_files) == 2 * len(CURATED_TABLES)


def test_incremental_run_rebuilds_only_changed_dates_and_registers_them(
    spark: Any, lake_copy: Path, api_entries: Any
) -> None:
    day_3 = dt.datetime(2026, 11, 26, 0)
    rb.put_snapshot(lake_copy, rb.envelope(rb.PLAYLIST_A, day_3, api_entries["items_2026"]))
    # The only usable object of 2026-11-24 is replaced by a bad one: the date loses its rows.
    day_1_key = rb.raw_key(rb.PLAYLIST_A, dt.datetime(2026, 11, 24, 22))
    rb.put(lake_copy, day_1_key, b"overwritten by mistake")
    day_2_files = {k: v for k, v in files_under(lake_copy / "curated").items() if "2026-11-25" in k}

    with mock_aws():
        glue = boto3.client("glue", region_name="us-east-1")
        glue.create_database(DatabaseInput={"Name": "charts"})
        glue.create_table(
            DatabaseName="charts",
            TableInput={
                "Name": "chart_entry",
                "StorageDescriptor": {"Location": "s3://lake/curated/chart_entry/"},
                "PartitionKeys": [{"Name": "snapshot_date", "Type": "string"}],
            },
        )
        config = JobConfig(str(lake_copy), catalog_database="charts")
        summary = pipeline.run(spark, config, glue_client=glue)
        partitions = glue.get_partitions(DatabaseName="charts", TableName="chart_entry")

    assert [p["Values"] for p in partitions["Partitions"]] == [["2026-11-26"]]
    assert summary["catalog_partitions_added"] == {"chart_entry": 1}
    assert summary["partitions_rebuilt"] == ["2026-11-24", "2026-11-26"]
    assert summary["quarantined"] == {"not_gzip": 1}
    assert summary["rows_written"] == {
        "chart_entry": 1,
        "song": 1,
        "album": 1,
        "artist": 2,
        "song_artist": 2,
    }
    after = files_under(lake_copy / "curated")
    assert {k: v for k, v in after.items() if "2026-11-25" in k} == day_2_files
    assert not [k for k in after if "2026-11-24" in k]
    assert len([k for k in after if "2026-11-26" in k and k.endswith(".parquet")]) == 5


def test_killed_run_then_rerun_leaves_no_duplicates(
    spark: Any, lake_copy: Path, tmp_path: Path, api_entries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_hour = DAY_2 + dt.timedelta(hours=1)
    body = rb.envelope(
        rb.PLAYLIST_A, new_hour, api_entries["items_2026"] + api_entries["year_precision"]
    )
    rb.put_snapshot(lake_copy, body)
    state_before = (lake_copy / "state" / "charts_job" / "raw_dates.json").read_bytes()
    real_write = pipeline.write_table

    def write_then_die(table_df: Any, storage: Any, table: str) -> Any:
        written = real_write(table_df, storage, table)
        if table == "song":
            raise RuntimeError("killed after writing chart_entry and song")
        return written

    monkeypatch.setattr(pipeline, "write_table", write_then_die)
    with pytest.raises(RuntimeError, match="killed"):
        pipeline.run(spark, JobConfig(str(lake_copy)))
    assert (lake_copy / "state" / "charts_job" / "raw_dates.json").read_bytes() == state_before
    monkeypatch.setattr(pipeline, "write_table", real_write)

    summary = pipeline.run(spark, JobConfig(str(lake_copy)))

    assert summary["partitions_rebuilt"] == ["2026-11-25"]
    clean = tmp_path / "clean"
    build_shared_raw(clean, api_entries)
    rb.put_snapshot(clean, body)
    pipeline.run(spark, JobConfig(str(clean)))
    assert_same_tables(spark, lake_copy, clean)
    for table, keys in TABLE_KEYS.items():
        table_df = read_table(spark, lake_copy, table)
        assert table_df.count() == table_df.select("snapshot_date", *keys).distinct().count()
