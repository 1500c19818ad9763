"""The report's numbers on the tiny lake, compared whole with hand-counted values."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from curated_lake import write_chart_lake
from curated_parquet import arrow_schema, write_table
from tiny_chart import PLAYLIST_ID, TINY_CHART

from spotify_etl.catalog import crawl
from spotify_etl.report.data import (
    ArtistHours,
    ChartSong,
    DayChurn,
    Period,
    Playlist,
    chart_at,
    chart_hours_by_artist,
    churn_per_day,
    last_snapshot,
    list_playlists,
    rank_history,
    snapshot_dates,
)
from spotify_etl.report.source import open_lake_catalog

WHOLE = Period(date(2026, 11, 24), date(2026, 11, 26))
LAST_TWO_DAYS = Period(date(2026, 11, 25), date(2026, 11, 26))


def _ts(text: str) -> datetime:
    # The catalog types snapshot_ts as Hive `timestamp` (no zone, UTC), as Athena reads it.
    return datetime.fromisoformat(text)


def test_playlists_and_dates(tiny_con: duckdb.DuckDBPyConnection) -> None:
    assert list_playlists(tiny_con) == [Playlist(PLAYLIST_ID, "Today's Top Hits", 5)]
    assert snapshot_dates(tiny_con, PLAYLIST_ID) == [
        date(2026, 11, 24),
        date(2026, 11, 25),
        date(2026, 11, 26),
    ]


def test_last_snapshot_is_the_latest_in_the_period(tiny_con: duckdb.DuckDBPyConnection) -> None:
    assert last_snapshot(tiny_con, PLAYLIST_ID, WHOLE) == _ts("2026-11-26T00:00")
    one_day = Period(date(2026, 11, 25), date(2026, 11, 25))
    assert last_snapshot(tiny_con, PLAYLIST_ID, one_day) == _ts("2026-11-25T01:00")


def test_last_snapshot_of_an_empty_period_raises(tiny_con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="no snapshot"):
        last_snapshot(tiny_con, PLAYLIST_ID, Period(date(2026, 1, 1), date(2026, 1, 2)))


def test_chart_at_names_every_credited_artist(tiny_con: duckdb.DuckDBPyConnection) -> None:
    assert chart_at(tiny_con, PLAYLIST_ID, _ts("2026-11-25T01:00"), top=3) == [
        ChartSong(1, "s4", "Four", "Ben", None),
        ChartSong(2, "s2", "Two", "Ben, Ava", 2024),
        ChartSong(3, "s1", "One", "Ava", 2020),
    ]
    assert chart_at(tiny_con, PLAYLIST_ID, _ts("2026-11-26T00:00"), top=1) == [
        ChartSong(1, "s3", "Three", "Cleo", 2024),
    ]


def test_rank_history_within_the_period(tiny_con: duckdb.DuckDBPyConnection) -> None:
    assert rank_history(tiny_con, PLAYLIST_ID, LAST_TWO_DAYS, ["s1", "s2"]) == [
        (_ts("2026-11-25T00:00"), "s1", 3),
        (_ts("2026-11-25T00:00"), "s2", 1),
        (_ts("2026-11-25T01:00"), "s1", 3),
        (_ts("2026-11-25T01:00"), "s2", 2),
        (_ts("2026-11-26T00:00"), "s1", 3),
    ]


def test_chart_hours_count_featured_credits(tiny_con: duckdb.DuckDBPyConnection) -> None:
    # 15 entries: s1 x5 (a1), s2 x4 (a2 + featured a1), s3 x3 (a3), s4 x3 (a2).
    assert chart_hours_by_artist(tiny_con, PLAYLIST_ID, WHOLE, limit=10) == [
        ArtistHours("a1", "Ava", 9, 9 / 15),
        ArtistHours("a2", "Ben", 7, 7 / 15),
        ArtistHours("a3", "Cleo", 3, 3 / 15),
    ]
    # Last two days, 9 entries: a1 = s1 x3 + s2 x2, a2 = s2 x2 + s4 x3; the tie goes by name.
    assert chart_hours_by_artist(tiny_con, PLAYLIST_ID, LAST_TWO_DAYS, limit=2) == [
        ArtistHours("a1", "Ava", 5, 5 / 9),
        ArtistHours("a2", "Ben", 5, 5 / 9),
    ]


def test_churn_compares_with_the_previous_snapshot(tiny_con: duckdb.DuckDBPyConnection) -> None:
    assert churn_per_day(tiny_con, PLAYLIST_ID, WHOLE) == [
        DayChurn(date(2026, 11, 24), 0, 0),
        DayChurn(date(2026, 11, 25), 1, 1),
        DayChurn(date(2026, 11, 26), 1, 1),
    ]
    # The period's first day still compares with the last snapshot before it.
    assert churn_per_day(tiny_con, PLAYLIST_ID, Period(date(2026, 11, 25), date(2026, 11, 25))) == [
        DayChurn(date(2026, 11, 25), 1, 1),
    ]


def test_missing_credits_and_names_fall_back_to_ids(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    write_chart_lake(lake, TINY_CHART)
    # Drop s3's credits and artist a3's rows: s3 counts for its primary artist, named by id.
    for table, drop in (("song_artist", ("song_id", "s3")), ("artist", ("artist_id", "a3"))):
        rows = duckdb.sql(
            f"select * from read_parquet('{lake}/curated/{table}/*/*.parquet', "
            "hive_partitioning = true, hive_types = {'snapshot_date': 'DATE'})"
        ).fetchall()
        columns = [*arrow_schema(table).names, "snapshot_date"]
        kept = [dict(zip(columns, row, strict=True)) for row in rows]
        shutil.rmtree(lake / "curated" / table)
        write_table(lake, table, [row for row in kept if row[drop[0]] != drop[1]])
    crawl(lake)
    con = open_lake_catalog(lake)

    assert chart_hours_by_artist(con, PLAYLIST_ID, WHOLE, limit=10) == [
        ArtistHours("a1", "Ava", 9, 9 / 15),
        ArtistHours("a2", "Ben", 7, 7 / 15),
        ArtistHours("a3", "a3", 3, 3 / 15),
    ]
    assert chart_at(con, PLAYLIST_ID, _ts("2026-11-26T00:00"), top=1) == [
        ChartSong(1, "s3", "Three", "a3", 2024),
    ]
    con.close()
