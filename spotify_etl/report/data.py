"""The report's numbers, computed with SQL over the catalog's curated views (DuckDB)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from spotify_etl.chart_views import with_views

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class Period:
    """An inclusive range of snapshot dates."""

    start: date
    end: date


@dataclass(frozen=True)
class Playlist:
    """A playlist found in chart_entry, with how many hourly snapshots it has."""

    playlist_id: str
    name: str | None
    snapshots: int


@dataclass(frozen=True)
class ArtistHours:
    """Chart-hours credited to an artist (featured credits count) and their share of all."""

    artist_id: str
    name: str
    chart_hours: int
    share: float


@dataclass(frozen=True)
class DayChurn:
    """Songs that entered or left the chart between consecutive snapshots, per day."""

    day: date
    entries: int
    exits: int


def list_playlists(con: duckdb.DuckDBPyConnection) -> list[Playlist]:
    """Every playlist in chart_entry, most snapshots first."""
    rows = con.execute(
        """select playlist_id, max(playlist_name), count(distinct snapshot_ts) as snapshots
        from chart_entry group by playlist_id order by snapshots desc, playlist_id"""
    ).fetchall()
    return [Playlist(playlist_id, name, snapshots) for playlist_id, name, snapshots in rows]


def snapshot_dates(con: duckdb.DuckDBPyConnection, playlist_id: str) -> list[date]:
    """The dates that have at least one snapshot of the playlist, in order."""
    rows = con.execute(
        """select distinct cast(snapshot_date as date) as day from chart_entry
        where playlist_id = ? order by day""",
        [playlist_id],
    ).fetchall()
    return [row[0] for row in rows]


def last_snapshot(con: duckdb.DuckDBPyConnection, playlist_id: str, period: Period) -> datetime:
    """The latest snapshot of the playlist within the period (the "current" chart)."""
    rows = con.execute(
        """select max(snapshot_ts) from chart_entry
        where playlist_id = ? and cast(snapshot_date as date) between ? and ?""",
        [playlist_id, period.start, period.end],
    ).fetchall()
    if rows[0][0] is None:
        raise ValueError(f"no snapshot of {playlist_id} between {period.start} and {period.end}")
    latest: datetime = rows[0][0]
    return latest


def chart_size(con: duckdb.DuckDBPyConnection, playlist_id: str, snapshot_ts: datetime) -> int:
    """How many positions the playlist's chart has at one snapshot."""
    rows = con.execute(
        "select count(*) from chart_entry where playlist_id = ? and snapshot_ts = ?",
        [playlist_id, snapshot_ts],
    ).fetchall()
    return int(rows[0][0])


def period_snapshots(
    con: duckdb.DuckDBPyConnection, playlist_id: str, period: Period
) -> list[datetime]:
    """Every snapshot of the playlist in the period, in order."""
    rows = con.execute(
        """select distinct snapshot_ts from chart_entry
        where playlist_id = ? and cast(snapshot_date as date) between ? and ?
        order by snapshot_ts""",
        [playlist_id, period.start, period.end],
    ).fetchall()
    return [row[0] for row in rows]


def rank_history(
    con: duckdb.DuckDBPyConnection, playlist_id: str, period: Period, song_ids: list[str]
) -> list[tuple[datetime, str, int]]:
    """(snapshot_ts, song_id, best position) of the given songs at every snapshot in the period."""
    rows = con.execute(
        """select snapshot_ts, song_id, min(position) from chart_entry
        where playlist_id = ? and cast(snapshot_date as date) between ? and ?
            and list_contains(?, song_id)
        group by snapshot_ts, song_id order by snapshot_ts, song_id""",
        [playlist_id, period.start, period.end, song_ids],
    ).fetchall()
    return [(snapshot_ts, song_id, position) for snapshot_ts, song_id, position in rows]


def chart_hours_by_artist(
    con: duckdb.DuckDBPyConnection, playlist_id: str, period: Period, limit: int
) -> list[ArtistHours]:
    """Artists by chart-hours (`spotify_etl.chart_views.ARTIST_CHART_HOURS`), most first."""
    rows = con.execute(
        f"""with period_entry as (
            select * from chart_entry
            where playlist_id = ? and cast(snapshot_date as date) between ? and ?),
        {with_views("artist_chart_hours")}
        select artist_id, artist, chart_hours, share from artist_chart_hours
        order by hours_rank
        limit ?""",
        [playlist_id, period.start, period.end, limit],
    ).fetchall()
    return [ArtistHours(*row) for row in rows]


def churn_per_day(
    con: duckdb.DuckDBPyConnection, playlist_id: str, period: Period
) -> list[DayChurn]:
    """Entries and exits per day, each snapshot compared with the playlist's previous one.

    The previous snapshot may fall before the period, so the period's first day is compared
    too; the playlist's very first snapshot has nothing to compare with and counts nothing.
    """
    rows = con.execute(
        """with members as (
            select distinct snapshot_ts, cast(snapshot_date as date) as snapshot_date, song_id
            from chart_entry where playlist_id = ?),
        snapshots as (
            select snapshot_ts, snapshot_date,
                lag(snapshot_ts) over (order by snapshot_ts) as previous_ts
            from (select distinct snapshot_ts, snapshot_date from members)),
        moves as (
            select s.snapshot_date, 1 as entered, 0 as exited
            from snapshots s join members m on m.snapshot_ts = s.snapshot_ts
            where s.previous_ts is not null and not exists (
                select 1 from members p where p.snapshot_ts = s.previous_ts
                and p.song_id = m.song_id)
            union all
            select s.snapshot_date, 0, 1
            from snapshots s join members p on p.snapshot_ts = s.previous_ts
            where not exists (
                select 1 from members m where m.snapshot_ts = s.snapshot_ts
                and m.song_id = p.song_id)),
        days as (
            select distinct snapshot_date from snapshots where snapshot_date between ? and ?)
        select d.snapshot_date, coalesce(sum(m.entered), 0), coalesce(sum(m.exited), 0)
        from days d left join moves m on m.snapshot_date = d.snapshot_date
        group by d.snapshot_date order by d.snapshot_date""",
        [playlist_id, period.start, period.end],
    ).fetchall()
    return [DayChurn(day, int(entries), int(exits)) for day, entries, exits in rows]
