"""Write small curated lakes with pyarrow, following the Glue job's declared schemas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from curated_parquet import write_table

from glue_jobs.charts.schemas import PARTITION_COLUMN

# Links and covers as the Glue job writes them (open.spotify.com and Spotify's image host).
SPOTIFY_URL = "https://open.spotify.com/"
IMAGE_URL = "https://i.scdn.co/image/"


@dataclass(frozen=True)
class Song:
    """A song of a test chart: its album and credited artists (primary first)."""

    song_id: str
    name: str
    album_id: str
    artist_ids: tuple[str, ...]


@dataclass(frozen=True)
class ChartLake:
    """What a test chart is made of: hourly song lists and the songs, albums, artists."""

    playlist_id: str
    playlist_name: str
    hours: Mapping[datetime, Sequence[str]]
    songs: Mapping[str, Song]
    albums: Mapping[str, tuple[str, int | None]]
    artists: Mapping[str, str]


def _seen_by_date(
    lake_defs: Sequence[ChartLake],
) -> dict[date, dict[str, tuple[datetime, datetime]]]:
    """song_id -> (first, last) snapshot of each date, as the Glue job derives dimensions."""
    seen: dict[date, dict[str, tuple[datetime, datetime]]] = {}
    for lake_def in lake_defs:
        for snapshot_ts, song_ids in sorted(lake_def.hours.items()):
            day = seen.setdefault(snapshot_ts.date(), {})
            for song_id in song_ids:
                day[song_id] = _widen(day.get(song_id), snapshot_ts, snapshot_ts)
    return seen


def write_chart_lake(lake: Path, *lake_defs: ChartLake) -> None:
    """Write all five curated tables of one or more playlists' charts under `lake/curated/`.

    Songs, albums and artists are the union of the charts' (an id means the same everywhere).
    """
    songs = {k: v for lake_def in lake_defs for k, v in lake_def.songs.items()}
    albums = {k: v for lake_def in lake_defs for k, v in lake_def.albums.items()}
    artists = {k: v for lake_def in lake_defs for k, v in lake_def.artists.items()}
    entries = [
        {
            "playlist_id": lake_def.playlist_id,
            "chart_kind": "playlist",
            "playlist_name": lake_def.playlist_name,
            "snapshot_ts": snapshot_ts,
            "snapshot_hour": snapshot_ts.hour,
            "position": position,
            "song_id": song_id,
            "album_id": songs[song_id].album_id,
            "primary_artist_id": songs[song_id].artist_ids[0],
            "added_at": None,
            "popularity": 50,
            PARTITION_COLUMN: snapshot_ts.date(),
        }
        for lake_def in lake_defs
        for snapshot_ts, song_ids in lake_def.hours.items()
        for position, song_id in enumerate(song_ids, start=1)
    ]
    song_rows, album_rows, artist_rows, credit_rows = [], [], [], []
    for day, seen in _seen_by_date(lake_defs).items():
        album_seen: dict[str, tuple[datetime, datetime]] = {}
        artist_seen: dict[str, tuple[datetime, datetime]] = {}
        for song_id, (first, last) in seen.items():
            song = songs[song_id]
            song_rows.append(_song_row(song, first, last, day))
            album_seen[song.album_id] = _widen(album_seen.get(song.album_id), first, last)
            for position, artist_id in enumerate(song.artist_ids, start=1):
                artist_seen[artist_id] = _widen(artist_seen.get(artist_id), first, last)
                credit_rows.append(
                    {
                        "song_id": song_id,
                        "artist_id": artist_id,
                        "artist_position": position,
                        PARTITION_COLUMN: day,
                    }
                )
        album_rows += [_album_row(a, albums[a], *span, day) for a, span in album_seen.items()]
        artist_rows += [_artist_row(a, artists[a], *span, day) for a, span in artist_seen.items()]
    for table, rows in (
        ("chart_entry", entries),
        ("song", song_rows),
        ("album", album_rows),
        ("artist", artist_rows),
        ("song_artist", credit_rows),
    ):
        write_table(lake, table, rows)


def _widen(
    span: tuple[datetime, datetime] | None, first: datetime, last: datetime
) -> tuple[datetime, datetime]:
    return (first, last) if span is None else (min(span[0], first), max(span[1], last))


def _song_row(song: Song, first: datetime, last: datetime, day: date) -> dict[str, Any]:
    return {
        "song_id": song.song_id,
        "name": song.name,
        "duration_ms": 180_000,
        "explicit": False,
        "disc_number": 1,
        "track_number": 1,
        "isrc": None,
        "album_id": song.album_id,
        "artist_ids": list(song.artist_ids),
        "primary_artist_id": song.artist_ids[0],
        "popularity": 50,
        "spotify_url": f"{SPOTIFY_URL}track/{song.song_id}",
        "first_seen_ts": first,
        "last_seen_ts": last,
        PARTITION_COLUMN: day,
    }


def _album_row(
    album_id: str, album: tuple[str, int | None], first: datetime, last: datetime, day: date
) -> dict[str, Any]:
    name, year = album
    return {
        "album_id": album_id,
        "name": name,
        "album_type": "album",
        "total_tracks": 10,
        "release_date": None if year is None else date(year, 1, 1),
        "release_date_precision": None if year is None else "year",
        "release_year": year,
        "artist_ids": None,
        "image_url": f"{IMAGE_URL}{album_id}",
        "spotify_url": f"{SPOTIFY_URL}album/{album_id}",
        "first_seen_ts": first,
        "last_seen_ts": last,
        PARTITION_COLUMN: day,
    }


def _artist_row(
    artist_id: str, name: str, first: datetime, last: datetime, day: date
) -> dict[str, Any]:
    return {
        "artist_id": artist_id,
        "name": name,
        "spotify_url": f"{SPOTIFY_URL}artist/{artist_id}",
        "first_seen_ts": first,
        "last_seen_ts": last,
        PARTITION_COLUMN: day,
    }
