"""A small deterministic lake written with pyarrow, following glue_jobs/charts/schemas.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import types as T

from glue_jobs.charts.schemas import CURATED_TABLES, PARTITION_COLUMN

UTC = dt.UTC


def _arrow_type(spark_type: T.DataType) -> pa.DataType:
    """The Arrow type the Glue job's Parquet has for a Spark type (timestamps: micros, UTC)."""
    if isinstance(spark_type, T.ArrayType):
        return pa.list_(_arrow_type(spark_type.elementType))
    simple: dict[type[T.DataType], pa.DataType] = {
        T.StringType: pa.string(),
        T.IntegerType: pa.int32(),
        T.LongType: pa.int64(),
        T.BooleanType: pa.bool_(),
        T.DoubleType: pa.float64(),
        T.TimestampType: pa.timestamp("us", tz="UTC"),
        T.DateType: pa.date32(),
    }
    return simple[type(spark_type)]


def arrow_schema(table: str) -> pa.Schema:
    """A curated table's file schema: every declared column except the partition column."""
    return pa.schema(
        [
            pa.field(f.name, _arrow_type(f.dataType), nullable=f.nullable)
            for f in CURATED_TABLES[table].fields
            if f.name != PARTITION_COLUMN
        ]
    )


def write_table(lake: Path, table: str, rows: list[dict[str, Any]]) -> None:
    """Write `rows` (each with a `snapshot_date` date) one Parquet file per partition."""
    schema = arrow_schema(table)
    by_date: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_date[row[PARTITION_COLUMN]].append(row)
    for snapshot_date, partition_rows in by_date.items():
        folder = lake / "curated" / table / f"{PARTITION_COLUMN}={snapshot_date.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        columns = {name: [r.get(name) for r in partition_rows] for name in schema.names}
        pq.write_table(
            pa.table(columns, schema=schema),
            folder / "part-00000-c000.snappy.parquet",
            compression="snappy",
        )


def hour(day: int, hour_of_day: int) -> dt.datetime:
    """A snapshot hour in November 2026, UTC."""
    return dt.datetime(2026, 11, day, hour_of_day, tzinfo=UTC)


# Songs: id -> (name on 2026-11-25, name on 2026-11-26, album, credited artists in order).
SONGS: dict[str, tuple[str, str, str, list[str]]] = {
    "song_a": ("Alpha (old title)", "Alpha", "album_1", ["artist_1"]),
    "song_b": ("Bravo", "Bravo", "album_1", ["artist_1"]),
    "song_c": ("Charlie", "Charlie", "album_2", ["artist_2", "artist_1"]),
    "song_d": ("Delta", "Delta", "album_2", ["artist_2"]),
    "song_e": ("Echo", "Echo", "album_3", ["artist_2"]),
    **{
        f"song_{x}": (x.upper() * 3, x.upper() * 3, "album_4", ["artist_3"])
        for x in ("f", "g", "h", "i", "j", "k", "l", "x")
    },
    "song_m": ("Mike", "Mike", "album_5", ["artist_4"]),
    "song_n": ("November", "November", "album_5", ["artist_4"]),
}
ARTISTS = {"artist_1": "Ann", "artist_2": "Bob", "artist_3": "Cleo", "artist_4": "Dee"}
# Album id -> release year (None: Spotify gave no usable release date).
ALBUMS: dict[str, int | None] = {
    "album_1": 2024,
    "album_2": 2025,
    "album_3": 2026,
    "album_4": None,
    "album_5": 2025,
}
PLAYLISTS = {"playlist_1": "Top Songs", "playlist_2": "Viral Hits"}

# (playlist, hour) -> songs by position. playlist_1 has no snapshot from 02:00 to 21:00 on the
# 26th (a gap); its last hour lists 12 songs so the top 10 cuts two.
CHARTS: dict[tuple[str, dt.datetime], list[str]] = {
    ("playlist_1", hour(25, 21)): ["song_a", "song_b", "song_c"],
    ("playlist_1", hour(25, 22)): ["song_a", "song_c", "song_b"],
    ("playlist_1", hour(25, 23)): ["song_b", "song_a", "song_c", "song_x", "song_d"],
    ("playlist_1", hour(26, 0)): ["song_b", "song_a", "song_d"],
    ("playlist_1", hour(26, 1)): ["song_b", "song_d", "song_a", "song_c", "song_x"],
    ("playlist_1", hour(26, 22)): ["song_a", "song_b", "song_e", "song_d", "song_c"],
    ("playlist_1", hour(26, 23)): [f"song_{x}" for x in "aedbfghijklc"],
    ("playlist_2", hour(25, 23)): ["song_m", "song_n", "song_a"],
    ("playlist_2", hour(26, 21)): ["song_m", "song_a"],
    ("playlist_2", hour(26, 22)): ["song_m", "song_a"],
    ("playlist_2", hour(26, 23)): ["song_a", "song_m"],
}


def _dimension_rows(seen: dict[dt.date, set[str]]) -> dict[str, list[dict[str, Any]]]:
    """Song, album, artist and song_artist rows: one per id seen on each snapshot date."""
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for day, song_ids in sorted(seen.items()):
        first = dt.datetime.combine(day, dt.time(), UTC)
        stamps = {"first_seen_ts": first, "last_seen_ts": first, PARTITION_COLUMN: day}
        albums, artists = set(), set()
        for song_id in sorted(song_ids):
            old_name, new_name, album_id, artist_ids = SONGS[song_id]
            name = old_name if day.day == 25 else new_name
            tables["song"].append(
                {"song_id": song_id, "name": name, "album_id": album_id,
                 "artist_ids": artist_ids, "primary_artist_id": artist_ids[0], **stamps}
            )  # fmt: skip
            tables["song_artist"] += [
                {"song_id": song_id, "artist_id": a, "artist_position": i, PARTITION_COLUMN: day}
                for i, a in enumerate(artist_ids, start=1)
            ]
            albums.add(album_id)
            artists.update(artist_ids)
        tables["album"] += [
            {"album_id": a, "name": a, "release_year": ALBUMS[a], **stamps} for a in sorted(albums)
        ]
        tables["artist"] += [
            {"artist_id": a, "name": ARTISTS[a], **stamps} for a in sorted(artists)
        ]
    return tables


def build_chart_lake(lake: Path) -> Path:
    """Write the whole scenario above as the Glue job would lay it out; return the lake."""
    entries, seen = [], defaultdict(set)
    for (playlist_id, snapshot_ts), song_ids in CHARTS.items():
        for position, song_id in enumerate(song_ids, start=1):
            _, _, album_id, artist_ids = SONGS[song_id]
            entries.append(
                {"playlist_id": playlist_id, "playlist_name": PLAYLISTS[playlist_id],
                 "snapshot_ts": snapshot_ts, "snapshot_hour": snapshot_ts.hour,
                 "position": position, "song_id": song_id, "album_id": album_id,
                 "primary_artist_id": artist_ids[0], PARTITION_COLUMN: snapshot_ts.date()}
            )  # fmt: skip
            seen[snapshot_ts.date()].add(song_id)
    write_table(lake, "chart_entry", entries)
    for table, rows in _dimension_rows(seen).items():
        write_table(lake, table, rows)
    return lake
