"""The report's numbers on the tiny lake, compared whole with hand-counted values."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from curated_lake import IMAGE_URL, SPOTIFY_URL, write_chart_lake
from curated_parquet import arrow_schema, write_table
from tiny_chart import PLAYLIST_ID, TINY_CHART, VIRAL_CHART, VIRAL_ID

from spotify_etl.catalog import crawl
from spotify_etl.report.chart_now import ChartRow, Link, NewEntry, chart_now, new_entries
from spotify_etl.report.compare import (
    PlaylistSummary,
    SharedSong,
    playlist_summaries,
    shared_songs,
)
from spotify_etl.report.data import (
    ArtistHours,
    DayChurn,
    Period,
    Playlist,
    chart_hours_by_artist,
    chart_size,
    churn_per_day,
    last_snapshot,
    list_playlists,
    period_snapshots,
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


def _song(song_id: str, name: str) -> Link:
    return Link(name, f"{SPOTIFY_URL}track/{song_id}")


def _artist(artist_id: str, name: str) -> Link:
    return Link(name, f"{SPOTIFY_URL}artist/{artist_id}")


def _album(album_id: str, name: str) -> Link:
    return Link(name, f"{SPOTIFY_URL}album/{album_id}")


AVA, BEN, CLEO = _artist("a1", "Ava"), _artist("a2", "Ben"), _artist("a3", "Cleo")


def test_chart_now_compares_with_the_previous_snapshot(
    tiny_con: duckdb.DuckDBPyConnection,
) -> None:
    # 2026-11-26 00:00 (s3, s4, s1) against 2026-11-25 01:00 (s4, s2, s1): s3 was there on
    # the 24th (a re-entry), s4 fell from #1, s1 stayed at #3.
    assert chart_now(tiny_con, PLAYLIST_ID, _ts("2026-11-26T00:00"), top=3) == [
        ChartRow(
            1, "s3", _song("s3", "Three"), (CLEO,), _album("al2", "Second"), f"{IMAGE_URL}al2",
            2024, "re-entry", None, peak=1, hours_on_chart=3,
        ),
        ChartRow(
            2, "s4", _song("s4", "Four"), (BEN,), _album("al3", "Third"), f"{IMAGE_URL}al3",
            None, "down", 1, peak=1, hours_on_chart=3,
        ),
        ChartRow(
            3, "s1", _song("s1", "One"), (AVA,), _album("al1", "First"), f"{IMAGE_URL}al1",
            2020, "same", 3, peak=1, hours_on_chart=5,
        ),
    ]  # fmt: skip


def test_chart_now_credits_every_artist_and_marks_new_songs(
    tiny_con: duckdb.DuckDBPyConnection,
) -> None:
    # 2026-11-25 00:00 (s2, s4, s1) against 2026-11-24 23:00 (s2, s1, s3).
    rows = chart_now(tiny_con, PLAYLIST_ID, _ts("2026-11-25T00:00"), top=3)
    assert [
        (r.song_id, r.movement, r.previous_position, r.peak, r.hours_on_chart) for r in rows
    ] == [
        ("s2", "same", 1, 1, 3),
        ("s4", "new", None, 2, 1),
        ("s1", "down", 2, 1, 3),
    ]
    assert rows[0].artists == (BEN, AVA)
    assert chart_now(tiny_con, PLAYLIST_ID, _ts("2026-11-25T00:00"), top=1) == rows[:1]


def test_new_entries_leave_out_the_first_snapshot(tiny_con: duckdb.DuckDBPyConnection) -> None:
    # s1, s2, s3 were in the first snapshot ever; s4 entered at #2 on the 25th, peaked at #1.
    assert new_entries(tiny_con, PLAYLIST_ID, WHOLE, _ts("2026-11-26T00:00")) == [
        NewEntry("s4", _song("s4", "Four"), (BEN,), f"{IMAGE_URL}al3", _ts("2026-11-25T00:00"),
                 entry_position=2, peak=1, position_now=2),
    ]  # fmt: skip
    only_the_26th = Period(date(2026, 11, 26), date(2026, 11, 26))
    assert new_entries(tiny_con, PLAYLIST_ID, only_the_26th, _ts("2026-11-26T00:00")) == []


def test_chart_size_and_snapshots_of_a_period(tiny_con: duckdb.DuckDBPyConnection) -> None:
    assert chart_size(tiny_con, PLAYLIST_ID, _ts("2026-11-26T00:00")) == 3
    assert chart_size(tiny_con, PLAYLIST_ID, _ts("2026-11-26T05:00")) == 0
    assert period_snapshots(tiny_con, PLAYLIST_ID, LAST_TWO_DAYS) == [
        _ts("2026-11-25T00:00"),
        _ts("2026-11-25T01:00"),
        _ts("2026-11-26T00:00"),
    ]


def test_playlists_side_by_side(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    write_chart_lake(lake, TINY_CHART, VIRAL_CHART)
    crawl(lake)
    con = open_lake_catalog(lake)

    assert playlist_summaries(con, WHOLE) == [
        PlaylistSummary(PLAYLIST_ID, "Today's Top Hits", 5, 4, _ts("2026-11-26T00:00"), 3,
                        _song("s3", "Three")),
        PlaylistSummary(VIRAL_ID, "Viral", 2, 2, _ts("2026-11-26T00:00"), 2, _song("s1", "One")),
    ]  # fmt: skip
    # Only s1 is on both last charts: #3 of the top hits, #1 of the viral chart.
    assert shared_songs(con, WHOLE) == [
        SharedSong("s1", _song("s1", "One"), {PLAYLIST_ID: 3, VIRAL_ID: 1}),
    ]
    # Within the 25th alone the viral chart's last snapshot (01:00) lists only s5.
    assert shared_songs(con, Period(date(2026, 11, 25), date(2026, 11, 25))) == []
    con.close()


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
    assert chart_now(con, PLAYLIST_ID, _ts("2026-11-26T00:00"), top=1)[0].artists == (
        Link("a3", None),
    )
    con.close()
