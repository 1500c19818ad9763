"""The chart at one snapshot as a fan reads it: movement, peak, hours on chart, links, covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from spotify_etl.chart_views import with_views
from spotify_etl.report.data import Period

if TYPE_CHECKING:
    import duckdb

UP, DOWN, SAME, NEW, REENTRY = "up", "down", "same", "new", "re-entry"


@dataclass(frozen=True)
class Link:
    """A name and, when the lake has it, its Spotify URL."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class ChartRow:
    """One position of the chart, with what changed since the playlist's previous snapshot.

    `peak` and `hours_on_chart` cover the playlist's whole history up to this snapshot.
    `previous_position` is None for a new entry or a re-entry.
    """

    position: int
    song_id: str
    song: Link
    artists: tuple[Link, ...]
    album: Link
    cover_url: str | None
    release_year: int | None
    movement: str
    previous_position: int | None
    peak: int
    hours_on_chart: int


@dataclass(frozen=True)
class NewEntry:
    """A song whose first snapshot in the playlist falls in the period."""

    song_id: str
    song: Link
    artists: tuple[Link, ...]
    cover_url: str | None
    entered_at: datetime
    entry_position: int
    peak: int
    position_now: int | None


# Names, links and covers of songs, as CTEs over each dimension's latest partition.
_SONG_DETAILS = f"""{with_views("song_latest", "album_latest", "artist_latest", "credit_latest")},
    credited as (
        select c.song_id, list(struct_pack(name := coalesce(a.name, c.artist_id),
                url := a.spotify_url) order by c.artist_position) as artists
        from credit_latest c left join artist_latest a on a.artist_id = c.artist_id
        group by c.song_id)"""
_SONG_COLUMNS = """coalesce(s.name, e.song_id) as song_name, s.spotify_url as song_url,
    coalesce(cr.artists, case when e.primary_artist_id is null then []
        else [struct_pack(name := coalesce(pa.name, e.primary_artist_id),
            url := pa.spotify_url)] end) as artists,
    al.name as album_name, al.spotify_url as album_url, al.image_url, al.release_year"""
_SONG_JOINS = """left join song_latest s on s.song_id = e.song_id
    left join credited cr on cr.song_id = e.song_id
    left join artist_latest pa on pa.artist_id = e.primary_artist_id
    left join album_latest al on al.album_id = coalesce(e.album_id, s.album_id)"""


def _links(artists: list[dict[str, Any]]) -> tuple[Link, ...]:
    return tuple(Link(artist["name"], artist["url"]) for artist in artists)


def movement(previous_position: int | None, seen_before: bool, position: int) -> str:
    """`new` (first time in the playlist), `re-entry`, or `up`/`down`/`same` since last time."""
    if previous_position is None:
        return REENTRY if seen_before else NEW
    if position < previous_position:
        return UP
    return DOWN if position > previous_position else SAME


def chart_now(
    con: duckdb.DuckDBPyConnection, playlist_id: str, snapshot_ts: datetime, top: int
) -> list[ChartRow]:
    """The first `top` positions at `snapshot_ts`, compared with the playlist's previous snapshot.

    A song listed twice in one snapshot is compared (and counted) at its best position.
    """
    rows = con.execute(
        f"""with {_SONG_DETAILS},
        history as (
            select snapshot_ts, song_id, min(position) as position from chart_entry
            where playlist_id = $playlist and snapshot_ts <= $now
            group by snapshot_ts, song_id),
        previous as (select max(snapshot_ts) as ts from history where snapshot_ts < $now),
        stats as (
            select song_id, min(position) as peak, count(*) as hours,
                bool_or(snapshot_ts < $now) as seen_before
            from history group by song_id)
        select e.position, e.song_id, {_SONG_COLUMNS},
            p.position as previous_position, st.seen_before, st.peak, st.hours
        from chart_entry e
        {_SONG_JOINS}
        join stats st on st.song_id = e.song_id
        left join history p on p.song_id = e.song_id
            and p.snapshot_ts = (select ts from previous)
        where e.playlist_id = $playlist and e.snapshot_ts = $now and e.position <= $top
        order by e.position""",
        {"playlist": playlist_id, "now": snapshot_ts, "top": top},
    ).fetchall()
    return [
        ChartRow(
            position=position,
            song_id=song_id,
            song=Link(song_name, song_url),
            artists=_links(artists),
            album=Link(album_name or "", album_url),
            cover_url=image_url,
            release_year=release_year,
            movement=movement(previous, seen_before, position),
            previous_position=previous,
            peak=peak,
            hours_on_chart=hours,
        )
        for (
            position,
            song_id,
            song_name,
            song_url,
            artists,
            album_name,
            album_url,
            image_url,
            release_year,
            previous,
            seen_before,
            peak,
            hours,
        ) in rows
    ]


def new_entries(
    con: duckdb.DuckDBPyConnection, playlist_id: str, period: Period, snapshot_ts: datetime
) -> list[NewEntry]:
    """Songs that first entered the playlist during the period, best peak first.

    Songs of the playlist's very first snapshot are not new: the lake just started watching.
    `peak` is the best position from entry to `snapshot_ts` (the period's last snapshot);
    `position_now` is the position at `snapshot_ts`, None when the song has left.
    """
    rows = con.execute(
        f"""with {_SONG_DETAILS},
        entries as (
            select snapshot_ts, song_id, min(position) as position,
                max(album_id) as album_id, max(primary_artist_id) as primary_artist_id
            from chart_entry where playlist_id = $playlist and snapshot_ts <= $now
            group by snapshot_ts, song_id),
        first_seen as (select song_id, min(snapshot_ts) as entered_at from entries group by 1),
        e as (
            select f.song_id, f.entered_at, x.position as entry_position,
                x.album_id, x.primary_artist_id,
                (select min(y.position) from entries y where y.song_id = f.song_id) as peak,
                (select z.position from entries z
                    where z.song_id = f.song_id and z.snapshot_ts = $now) as position_now
            from first_seen f
            join entries x on x.song_id = f.song_id and x.snapshot_ts = f.entered_at
            where f.entered_at > (select min(snapshot_ts) from chart_entry
                                  where playlist_id = $playlist)
                and cast(f.entered_at as date) between $start and $end)
        select e.song_id, {_SONG_COLUMNS}, e.entered_at, e.entry_position, e.peak,
            e.position_now
        from e {_SONG_JOINS}
        order by e.peak, e.entered_at, e.song_id""",
        {
            "playlist": playlist_id,
            "now": snapshot_ts,
            "start": period.start,
            "end": period.end,
        },
    ).fetchall()
    return [
        NewEntry(
            song_id=song_id,
            song=Link(song_name, song_url),
            artists=_links(artists),
            cover_url=image_url,
            entered_at=entered_at,
            entry_position=entry_position,
            peak=peak,
            position_now=position_now,
        )
        for (
            song_id,
            song_name,
            song_url,
            artists,
            _album_name,
            _album_url,
            image_url,
            _release_year,
            entered_at,
            entry_position,
            peak,
            position_now,
        ) in rows
    ]
