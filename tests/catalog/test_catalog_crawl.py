"""`crawl`: tables, types, partitions, changes between crawls, conflicts and exclusions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from spotify_etl.catalog import CatalogError, CatalogNotFoundError, Column, crawl, open_catalog

S, INT, TS = "string", "int", "timestamp"
# What the Glue crawler registers for the curated tables (docs/catalog.md, "Type mapping").
EXPECTED_COLUMNS = {
    "chart_entry": [
        ("playlist_id", S), ("chart_kind", S), ("playlist_name", S), ("snapshot_ts", TS),
        ("snapshot_hour", INT),
        ("position", INT), ("song_id", S), ("album_id", S), ("primary_artist_id", S),
        ("added_at", TS), ("popularity", INT),
    ],
    "song": [
        ("song_id", S), ("name", S), ("duration_ms", INT), ("explicit", "boolean"),
        ("disc_number", INT), ("track_number", INT), ("isrc", S), ("album_id", S),
        ("artist_ids", "array<string>"), ("primary_artist_id", S), ("popularity", INT),
        ("spotify_url", S), ("first_seen_ts", TS), ("last_seen_ts", TS),
    ],
    "album": [
        ("album_id", S), ("name", S), ("album_type", S), ("total_tracks", INT),
        ("release_date", "date"), ("release_date_precision", S), ("release_year", INT),
        ("artist_ids", "array<string>"), ("image_url", S), ("spotify_url", S),
        ("first_seen_ts", TS), ("last_seen_ts", TS),
    ],
    "artist": [
        ("artist_id", S), ("name", S), ("spotify_url", S), ("first_seen_ts", TS),
        ("last_seen_ts", TS),
    ],
    "song_artist": [("song_id", S), ("artist_id", S), ("artist_position", INT)],
}  # fmt: skip
WriteParquet = Callable[[Path, dict[str, pa.Array]], Path]
DAYS = ["snapshot_date=2026-11-25", "snapshot_date=2026-11-26"]


def _catalog_rows(lake: Path, sql: str) -> list[tuple[object, ...]]:
    con = open_catalog(lake)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_first_crawl_registers_tables_types_and_partitions(chart_lake: Path) -> None:
    report = crawl(chart_lake)

    assert report.new_tables == sorted(EXPECTED_COLUMNS)
    assert report.new_partitions == {table: DAYS for table in sorted(EXPECTED_COLUMNS)}
    assert report.new_columns == {}
    for table, columns in EXPECTED_COLUMNS.items():
        rows = _catalog_rows(
            chart_lake,
            "SELECT column_name, column_type, is_partition_key FROM glue.columns "
            f"WHERE table_name = '{table}' ORDER BY ordinal",
        )
        expected = [(name, type_, False) for name, type_ in columns]
        assert rows == [*expected, ("snapshot_date", "string", True)], table


def test_views_read_with_the_catalog_types(chart_lake: Path) -> None:
    crawl(chart_lake)

    described = _catalog_rows(
        chart_lake,
        "SELECT column_name, column_type FROM (DESCRIBE chart_entry) "
        "WHERE column_name IN ('snapshot_ts', 'position', 'snapshot_date')",
    )
    assert described == [
        ("snapshot_ts", "TIMESTAMP"),
        ("position", "INTEGER"),
        ("snapshot_date", "VARCHAR"),
    ]
    assert _catalog_rows(
        chart_lake,
        "SELECT snapshot_date, count(*), min(snapshot_ts)::VARCHAR FROM chart_entry "
        "GROUP BY ALL ORDER BY 1",
    ) == [("2026-11-25", 14, "2026-11-25 21:00:00"), ("2026-11-26", 31, "2026-11-26 00:00:00")]


def test_a_partition_written_before_chart_kind_existed_reads_it_as_null(chart_lake: Path) -> None:
    import pyarrow.parquet as pq

    [old] = (chart_lake / "curated" / "chart_entry" / "snapshot_date=2026-11-25").glob("*.parquet")
    pq.write_table(pq.read_table(old).drop_columns(["chart_kind"]), old)
    crawl(chart_lake)
    assert _catalog_rows(
        chart_lake,
        "SELECT snapshot_date, count(*), count(chart_kind) FROM chart_entry "
        "GROUP BY ALL ORDER BY 1",
    ) == [("2026-11-25", 14, 0), ("2026-11-26", 31, 31)]


def test_second_crawl_picks_up_a_new_partition(chart_lake: Path) -> None:
    day = chart_lake / "curated" / "chart_entry" / "snapshot_date=2026-11-26"
    parked = chart_lake.parent / "parked"
    shutil.move(day, parked)
    crawl(chart_lake)
    assert _catalog_rows(chart_lake, "SELECT count(*) FROM chart_entry") == [(14,)]

    shutil.move(parked, day)
    report = crawl(chart_lake)

    assert report.new_tables == []
    assert report.new_partitions == {"chart_entry": ["snapshot_date=2026-11-26"]}
    assert report.changed
    assert _catalog_rows(chart_lake, "SELECT count(*) FROM chart_entry") == [(45,)]


def test_crawl_is_idempotent(chart_lake: Path) -> None:
    crawl(chart_lake)
    meta = "SELECT * FROM glue.{} ORDER BY ALL"
    before = {
        t: _catalog_rows(chart_lake, meta.format(t)) for t in ("tables", "columns", "partitions")
    }

    report = crawl(chart_lake)

    assert not report.changed
    assert "No changes since the previous crawl." in report.summary()
    after = {
        t: _catalog_rows(chart_lake, meta.format(t)) for t in ("tables", "columns", "partitions")
    }
    assert after == before


def test_new_and_removed_partitions_and_new_columns_are_reported(
    tmp_path: Path, write_parquet: WriteParquet
) -> None:
    lake = tmp_path / "lake"
    table = lake / "curated" / "plays"
    write_parquet(table / "day=1" / "part-0.parquet", {"id": pa.array(["a"])})
    write_parquet(table / "day=2" / "part-0.parquet", {"id": pa.array(["b"])})
    crawl(lake)

    shutil.rmtree(table / "day=1")
    write_parquet(table / "day=3" / "part-0.parquet", {"id": pa.array(["c"]), "n": pa.array([3])})
    report = crawl(lake)

    assert report.new_partitions == {"plays": ["day=3"]}
    assert report.removed_partitions == {"plays": ["day=1"]}
    assert report.new_columns == {"plays": [Column("n", "bigint")]}
    assert "New columns:\n  plays (+1): n bigint" in report.summary()
    # Files written before the column existed read it as NULL, as in Athena.
    assert _catalog_rows(lake, "SELECT day, id, n FROM plays ORDER BY day") == [
        ("2", "b", None),
        ("3", "c", 3),
    ]


def test_schema_conflict_names_both_files_and_keeps_the_old_catalog(
    tmp_path: Path, write_parquet: WriteParquet
) -> None:
    lake = tmp_path / "lake"
    table = lake / "curated" / "plays"
    first = write_parquet(table / "day=1" / "part-0.parquet", {"n": pa.array([1], pa.int32())})
    crawl(lake)
    second = write_parquet(table / "day=2" / "part-0.parquet", {"n": pa.array(["one"])})

    with pytest.raises(CatalogError) as caught:
        crawl(lake)

    message = str(caught.value)
    assert f"column 'n' is int in {first} but string in {second}" in message
    assert _catalog_rows(lake, "SELECT n FROM plays") == [(1,)]


def test_crawler_exclusions_are_honoured(tmp_path: Path, write_parquet: WriteParquet) -> None:
    lake = tmp_path / "lake"
    table = lake / "curated" / "plays"
    write_parquet(table / "day=1" / "part-0.parquet", {"n": pa.array([1])})
    # Each of these would be a schema conflict or an unexpected file if it were read.
    conflicting = {"n": pa.array(["not a number"])}
    write_parquet(table / "day=1" / ".part-1.parquet", conflicting)
    write_parquet(table / "day=1" / "_part-2.parquet", conflicting)
    write_parquet(table / "_temporary" / "0" / "part-3.parquet", conflicting)
    write_parquet(table / "day=2" / "_temporary" / "0" / "part-4.parquet", conflicting)
    for marker in ("_SUCCESS", "day=1/.part-0.parquet.crc", "day=1_$folder$", "day=3/notes.crc"):
        (table / marker).parent.mkdir(parents=True, exist_ok=True)
        (table / marker).write_text("x")

    report = crawl(lake)

    assert report.new_partitions == {"plays": ["day=1"]}
    assert _catalog_rows(lake, "SELECT n, day FROM plays") == [(1, "1")]


def test_an_unexpected_file_is_named(tmp_path: Path, write_parquet: WriteParquet) -> None:
    lake = tmp_path / "lake"
    write_parquet(lake / "curated" / "plays" / "day=1" / "part-0.parquet", {"n": pa.array([1])})
    stray = lake / "curated" / "plays" / "day=1" / "notes.txt"
    stray.write_text("hello")

    with pytest.raises(CatalogError, match=f"{stray}: unexpected file"):
        crawl(lake)


def test_mixed_partition_layout_is_refused(tmp_path: Path, write_parquet: WriteParquet) -> None:
    lake = tmp_path / "lake"
    write_parquet(lake / "curated" / "plays" / "day=1" / "part-0.parquet", {"n": pa.array([1])})
    write_parquet(lake / "curated" / "plays" / "part-9.parquet", {"n": pa.array([2])})

    with pytest.raises(CatalogError, match="inconsistent partition layout"):
        crawl(lake)


def test_unpartitioned_table(tmp_path: Path, write_parquet: WriteParquet) -> None:
    lake = tmp_path / "lake"
    write_parquet(lake / "curated" / "plays" / "part-0.parquet", {"n": pa.array([7])})

    report = crawl(lake)

    assert report.new_tables == ["plays"]
    assert report.new_partitions == {}
    assert _catalog_rows(lake, "SELECT * FROM plays") == [(7,)]


def test_missing_curated_folder_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="Run the Glue job first"):
        crawl(tmp_path)


def test_open_catalog_before_crawl_says_to_crawl(tmp_path: Path) -> None:
    with pytest.raises(CatalogNotFoundError, match="run `spotify-etl crawl --lake"):
        open_catalog(tmp_path)


def test_open_catalog_of_a_moved_lake_says_to_recrawl(chart_lake: Path) -> None:
    crawl(chart_lake)
    moved = chart_lake.parent / "moved"
    chart_lake.rename(moved)

    with pytest.raises(CatalogError, match="was the folder moved"):
        open_catalog(moved)


def test_catalog_is_read_only_by_default(chart_lake: Path) -> None:
    crawl(chart_lake)
    con = open_catalog(chart_lake)
    try:
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("DROP VIEW chart_entry")
    finally:
        con.close()


def test_crawl_while_the_catalog_is_open_elsewhere_is_a_clear_error(
    chart_lake: Path, tmp_path: Path
) -> None:
    crawl(chart_lake)
    script = (
        "import sys, time, duckdb; con = duckdb.connect(sys.argv[1]); "
        "print('locked', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(chart_lake / "catalog.duckdb")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(CatalogError, match="Another process"):
            crawl(chart_lake)
    finally:
        holder.kill()
        holder.wait()
