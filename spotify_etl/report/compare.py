"""Playlists side by side: each one's chart at its last snapshot, and the songs they share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from spotify_etl.chart_views import with_views
from spotify_etl.report.chart_now import Link
from spotify_etl.report.data import Period

if TYPE_CHECKING:
    import duckdb

SHARED_SONGS = 25


@dataclass(frozen=True)
class PlaylistSummary:
    """One playlist over the period: its last snapshot there and what stood at #1."""

    playlist_id: str
    name: str
    snapshots: int
    songs: int
    last_snapshot: datetime
    chart_size: int
    number_one: Link


@dataclass(frozen=True)
class SharedSong:
    """A song on the last chart of the period of at least two playlists, with its positions."""

    song_id: str
    song: Link
    positions: dict[str, int]  # playlist_id -> best position at that playlist's last snapshot


_LAST_CHARTS = """
    last_ts as (
        select playlist_id, max(snapshot_ts) as snapshot_ts from chart_entry
        where cast(snapshot_date as date) between $start and $end group by playlist_id),
    last_chart as (
        select e.playlist_id, e.song_id, min(e.position) as position
        from chart_entry e join last_ts l
            on l.playlist_id = e.playlist_id and l.snapshot_ts = e.snapshot_ts
        group by e.playlist_id, e.song_id)"""


def playlist_summaries(con: duckdb.DuckDBPyConnection, period: Period) -> list[PlaylistSummary]:
    """Every playlist with snapshots in the period, most snapshots first."""
    rows = con.execute(
        f"""with {with_views("song_latest")}, {_LAST_CHARTS},
        in_period as (
            select playlist_id, max(playlist_name) as name,
                count(distinct snapshot_ts) as snapshots, count(distinct song_id) as songs
            from chart_entry where cast(snapshot_date as date) between $start and $end
            group by playlist_id),
        tops as (
            select c.playlist_id, count(*) as chart_size,
                arg_min(c.song_id, c.position) as song_id
            from last_chart c group by c.playlist_id)
        select p.playlist_id, coalesce(p.name, p.playlist_id), p.snapshots, p.songs,
            l.snapshot_ts, t.chart_size, coalesce(s.name, t.song_id), s.spotify_url
        from in_period p join last_ts l on l.playlist_id = p.playlist_id
        join tops t on t.playlist_id = p.playlist_id
        left join song_latest s on s.song_id = t.song_id
        order by p.snapshots desc, p.playlist_id""",
        {"start": period.start, "end": period.end},
    ).fetchall()
    return [
        PlaylistSummary(pid, name, snapshots, songs, last, size, Link(song_name, song_url))
        for pid, name, snapshots, songs, last, size, song_name, song_url in rows
    ]


def shared_songs(
    con: duckdb.DuckDBPyConnection, period: Period, limit: int = SHARED_SONGS
) -> list[SharedSong]:
    """Songs on the last chart (within the period) of two or more playlists.

    Ordered by how many playlists list them, then by their best position.
    """
    rows = con.execute(
        f"""with {with_views("song_latest")}, {_LAST_CHARTS},
        shared as (
            select song_id, map(list(playlist_id), list(position)) as positions,
                count(*) as playlists, min(position) as best
            from last_chart group by song_id having count(*) > 1)
        select sh.song_id, coalesce(s.name, sh.song_id), s.spotify_url, sh.positions
        from shared sh left join song_latest s on s.song_id = sh.song_id
        order by sh.playlists desc, sh.best, sh.song_id
        limit $limit""",
        {"start": period.start, "end": period.end, "limit": limit},
    ).fetchall()
    return [
        SharedSong(song_id, Link(name, url), dict(positions))
        for song_id, name, url, positions in rows
    ]
