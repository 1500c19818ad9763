"""The transformation as the strongest DuckDB SQL we could write (the benchmark's reference).

One pass over the raw glob into a flat temp table, then one `COPY (query) ... PARTITION_BY` per
table. What makes it fast (docs/benchmarks.md, "The DuckDB way"):
- `read_json_objects` + `from_json` with an explicit structure holding only the fields the
  tables use: DuckDB 2.0's `read_json(columns=...)` took 3-10x the CPU for the same objects;
- `track` (2026 bodies repeat every `item` under it) is not parsed: only the few bodies with
  an entry that lacks `item` are read a second time, with `track`, as the Glue job does;
- the envelope's timestamps are cast once per object, before the entries are unnested;
- `preserve_insertion_order = false`, a thread per core, no temp table that is written once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.generate import RAW_PREFIX

TABLES = ("chart_entry", "song", "album", "artist", "song_artist")
_URLS = {"spotify": "VARCHAR"}
_ARTISTS = [{"id": "VARCHAR", "name": "VARCHAR", "external_urls": _URLS}]
_ALBUM = {
    "id": "VARCHAR",
    "name": "VARCHAR",
    "album_type": "VARCHAR",
    "total_tracks": "INTEGER",
    "release_date": "VARCHAR",
    "release_date_precision": "VARCHAR",
    "images": [{"url": "VARCHAR", "height": "INTEGER", "width": "INTEGER"}],
    "external_urls": _URLS,
    "artists": _ARTISTS,
}
_TRACK = {
    "id": "VARCHAR",
    "name": "VARCHAR",
    "type": "VARCHAR",
    "is_local": "BOOLEAN",
    "popularity": "INTEGER",
    "duration_ms": "INTEGER",
    "explicit": "BOOLEAN",
    "disc_number": "INTEGER",
    "track_number": "INTEGER",
    "external_ids": {"isrc": "VARCHAR"},
    "external_urls": _URLS,
    "album": _ALBUM,
    "artists": _ARTISTS,
}
_ENTRY = {"position": "INTEGER", "added_at": "VARCHAR", "is_local": "BOOLEAN", "item": _TRACK}
_ENVELOPE = {
    "schema_version": "INTEGER",
    "chart": {"kind": "VARCHAR", "id": "VARCHAR", "name": "VARCHAR"},
    "playlist_id": "VARCHAR",
    "playlist": {"name": "VARCHAR"},
    "snapshot_ts": "VARCHAR",
    "captured_at": "VARCHAR",
}
# Only the fields the tables use: from_json skips the rest of each (large) entry.
ITEM_STRUCTURE = json.dumps({**_ENVELOPE, "entries": [_ENTRY]})
# The second read, for bodies with an entry that has no `item` (legacy shape, removed track).
LEGACY_STRUCTURE = json.dumps({**_ENVELOPE, "entries": [{**_ENTRY, "track": _TRACK}]})
MAX_OBJECT_BYTES = 256 * 2**20
# Spotify sends "2011" (year), "1957-11" (month) or "2025-01-13" (day); "0000" is unknown.
RELEASE_DATE_PATTERN = r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$"
# `{song}` is the entry's song struct: `item`, or `coalesce(item, track)` on the second read.
# No WHERE on the parsed document: DuckDB would push it below the projection and parse twice.
SIGHTINGS_SQL = """
WITH document AS (
    SELECT filename AS raw_key, from_json(json, '{structure}') AS j
    FROM read_json_objects(?, format = 'newline_delimited', compression = 'gzip',
                           filename = true, maximum_object_size = {max_bytes})
), snapshot AS (
    -- Envelope version 1 is a playlist; version 2 names its chart (decision 0085).
    SELECT raw_key,
           CASE WHEN j.schema_version = 1 THEN j.playlist_id ELSE j.chart.id END AS playlist_id,
           CASE WHEN j.schema_version = 1 THEN 'playlist' ELSE j.chart.kind END AS chart_kind,
           CASE WHEN j.schema_version = 1 THEN j.playlist.name ELSE j.chart.name END
               AS playlist_name,
           CAST(CAST(j.snapshot_ts AS TIMESTAMPTZ) AS TIMESTAMP) AS snapshot_ts,
           CAST(CAST(j.captured_at AS TIMESTAMPTZ) AS TIMESTAMP) AS captured_at,
           unnest(CASE WHEN j.schema_version IN (1, 2) THEN j.entries END) AS e
    FROM document
), entry AS (
    SELECT * EXCLUDE (e), e.position AS position, e.added_at AS added_at_text,
           e.is_local AS entry_is_local, {song} AS t
    FROM snapshot
)
SELECT raw_key, playlist_id, chart_kind, playlist_name, snapshot_ts, captured_at,
       CAST(snapshot_ts AS DATE) AS snapshot_date,
       CAST(hour(snapshot_ts) AS INTEGER) AS snapshot_hour, position,
       CAST(CAST(nullif(added_at_text, '1970-01-01T00:00:00Z') AS TIMESTAMPTZ) AS TIMESTAMP)
           AS added_at,
       t IS NULL AS no_song, t.id AS song_id, t.name AS song_name, t.duration_ms, t.explicit,
       t.disc_number, t.track_number, t.external_ids.isrc AS isrc, t.popularity,
       t.external_urls.spotify AS song_url, t.artists AS artists, t.album AS album
FROM entry
WHERE t IS NULL
   OR (NOT coalesce(entry_is_local, false) AND NOT coalesce(t.is_local, false)
       AND coalesce(t.type, '') <> 'episode' AND t.id IS NOT NULL)
"""
# Artists without id (local files) cannot be joined to anything; credited order is kept.
_CREDITED = "list_filter({0}, lambda a: a.id IS NOT NULL)"
# One query per table; each ends in the dedup on the table's key within a snapshot_date.
TABLE_SQL: dict[str, str] = {
    "chart_entry": f"""
        SELECT playlist_id, chart_kind, playlist_name, snapshot_ts, snapshot_hour, position,
               song_id,
               album.id AS album_id, {_CREDITED.format("artists")}[1].id AS primary_artist_id,
               added_at, popularity, snapshot_date
        FROM sighting
        QUALIFY row_number() OVER (PARTITION BY snapshot_date, playlist_id, snapshot_ts, position
                                   ORDER BY captured_at DESC, raw_key) = 1
    """,
    "song": f"""
        SELECT song_id, song_name AS name, duration_ms, explicit, disc_number, track_number,
               isrc, album.id AS album_id,
               list_transform({_CREDITED.format("artists")}, lambda a: a.id) AS artist_ids,
               {_CREDITED.format("artists")}[1].id AS primary_artist_id, popularity,
               song_url AS spotify_url, first_seen_ts, last_seen_ts, snapshot_date
        FROM (
            SELECT *, min(snapshot_ts) OVER day_key AS first_seen_ts,
                      max(snapshot_ts) OVER day_key AS last_seen_ts
            FROM sighting
            WINDOW day_key AS (PARTITION BY snapshot_date, song_id)
            QUALIFY row_number() OVER (PARTITION BY snapshot_date, song_id
                                       ORDER BY snapshot_ts DESC, playlist_id, position) = 1
        )
    """,
    # Columns computed after the dedup: once per album and day, not once per entry.
    "album": f"""
        SELECT album.id AS album_id, album.name AS name, album.album_type AS album_type,
               album.total_tracks AS total_tracks,
               make_date(release_year, coalesce(release_month, 1), coalesce(release_day, 1))
                   AS release_date,
               album.release_date_precision AS release_date_precision, release_year,
               list_transform({_CREDITED.format("album.artists")}, lambda a: a.id) AS artist_ids,
               list_sort(list_transform(list_filter(album.images, lambda i: i.url IS NOT NULL),
                   lambda i: {{'area': coalesce(i.width * i.height, 0), 'url': i.url}}),
                   'DESC')[1].url AS image_url,
               album.external_urls.spotify AS spotify_url, first_seen_ts, last_seen_ts,
               snapshot_date
        FROM (
            SELECT *, nullif(release_part(album.release_date, 1), 0) AS release_year,
                      release_part(album.release_date, 2) AS release_month,
                      release_part(album.release_date, 3) AS release_day
            FROM (
                SELECT album, snapshot_date, min(snapshot_ts) OVER day_key AS first_seen_ts,
                       max(snapshot_ts) OVER day_key AS last_seen_ts
                FROM sighting
                WHERE album.id IS NOT NULL
                WINDOW day_key AS (PARTITION BY snapshot_date, album.id)
                QUALIFY row_number() OVER (PARTITION BY snapshot_date, album.id
                                           ORDER BY snapshot_ts DESC, playlist_id, position) = 1
            )
        )
    """,
    "artist": f"""
        WITH credit AS (
            SELECT unnest(credited) AS artist, generate_subscripts(credited, 1) AS artist_index,
                   artist_source, snapshot_ts, playlist_id, position, snapshot_date
            FROM (
                SELECT {_CREDITED.format("artists")} AS credited, 0 AS artist_source,
                       snapshot_ts, playlist_id, position, snapshot_date
                FROM sighting
                UNION ALL
                SELECT {_CREDITED.format("album.artists")}, 1, snapshot_ts, playlist_id,
                       position, snapshot_date
                FROM sighting
            )
        )
        SELECT artist.id AS artist_id, artist.name AS name,
               artist.external_urls.spotify AS spotify_url,
               min(snapshot_ts) OVER day_key AS first_seen_ts,
               max(snapshot_ts) OVER day_key AS last_seen_ts, snapshot_date
        FROM credit
        WINDOW day_key AS (PARTITION BY snapshot_date, artist.id)
        QUALIFY row_number() OVER (PARTITION BY snapshot_date, artist.id
                                   ORDER BY snapshot_ts DESC, playlist_id, position,
                                            artist_source, artist_index) = 1
    """,
    # From the song table's latest credits, as the job does; an artist credited twice keeps
    # the first position.
    "song_artist": """
        WITH credit AS (
            SELECT song_id, unnest(artist_ids) AS artist_id,
                   generate_subscripts(artist_ids, 1) AS artist_position, snapshot_date
            FROM song
        )
        SELECT song_id, artist_id, CAST(artist_position AS INTEGER) AS artist_position,
               snapshot_date
        FROM credit
        QUALIFY row_number() OVER (PARTITION BY snapshot_date, song_id, artist_id
                                   ORDER BY artist_position) = 1
    """,
}
COPY_OPTIONS = (
    "FORMAT parquet, COMPRESSION snappy, PARTITION_BY (snapshot_date), OVERWRITE_OR_IGNORE"
)


def _sightings_sql(structure: str, song: str) -> str:
    return SIGHTINGS_SQL.format(structure=structure, max_bytes=MAX_OBJECT_BYTES, song=song)


def load_sightings(con: duckdb.DuckDBPyConnection, raw_glob: str) -> int:
    """Fill the temp table `sighting`: one row per entry with a song; returns the legacy reads.

    Entries without `item` are kept as markers (`no_song`) by the first read; their bodies are
    read again with `track`, and replace the first read's rows.
    """
    con.execute(
        "CREATE OR REPLACE TEMP TABLE sighting AS " + _sightings_sql(ITEM_STRUCTURE, "e.item"),
        [raw_glob],
    )
    found = con.execute("SELECT DISTINCT raw_key FROM sighting WHERE no_song").fetchall()
    legacy = [raw_key for (raw_key,) in found]
    if legacy:
        con.execute("DELETE FROM sighting WHERE raw_key IN (SELECT unnest(?))", [legacy])
        con.execute(
            "INSERT INTO sighting " + _sightings_sql(LEGACY_STRUCTURE, "coalesce(e.item, e.track)"),
            [legacy],
        )
        con.execute("DELETE FROM sighting WHERE no_song")
    return len(legacy)


def run(lake: Path, out: Path, threads: int | None = None) -> dict[str, Any]:
    """Build every table from `lake`'s raw snapshots into `out/<table>/snapshot_date=.../`."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
        con.execute(
            "CREATE OR REPLACE TEMP MACRO release_part(text, part) AS "
            f"TRY_CAST(regexp_extract(text, '{RELEASE_DATE_PATTERN}', part) AS INTEGER)"
        )
        legacy_bodies = load_sightings(con, str(lake / RAW_PREFIX / "*" / "*" / "*.json.gz"))
        # song_artist is built from the song rows: keep them rather than dedupe twice.
        con.execute(f"CREATE OR REPLACE TEMP TABLE song AS {TABLE_SQL['song']}")
        counts: dict[str, int] = {}
        for table, select_sql in TABLE_SQL.items():
            target = out / table
            target.parent.mkdir(parents=True, exist_ok=True)
            source = "song" if table == "song" else f"({select_sql})"
            # COPY answers with the number of rows it wrote.
            counts[table] = con.execute(f"COPY {source} TO '{target}' ({COPY_OPTIONS})").fetchall()[
                0
            ][0]
    finally:
        con.close()
    return {"rows": counts, "legacy_bodies": legacy_bodies}
