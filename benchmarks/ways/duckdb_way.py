"""The transformation as DuckDB SQL: typed read_json, unnest, row_number dedup, partitioned COPY."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from benchmarks.generate import RAW_PREFIX

TABLES = ("chart_entry", "song", "album", "artist", "song_artist")
# Only the fields the tables use: read_json skips the rest of each (large) entry unparsed.
_ARTIST = "STRUCT(id VARCHAR, name VARCHAR, external_urls STRUCT(spotify VARCHAR))"
_ALBUM = (
    "STRUCT(id VARCHAR, name VARCHAR, album_type VARCHAR, total_tracks INTEGER, "
    "release_date VARCHAR, release_date_precision VARCHAR, "
    "images STRUCT(url VARCHAR, height INTEGER, width INTEGER)[], "
    "external_urls STRUCT(spotify VARCHAR), "
    f"artists {_ARTIST}[])"
)
_TRACK = (
    "STRUCT(id VARCHAR, name VARCHAR, type VARCHAR, is_local BOOLEAN, popularity INTEGER, "
    "duration_ms INTEGER, explicit BOOLEAN, disc_number INTEGER, track_number INTEGER, "
    "external_ids STRUCT(isrc VARCHAR), external_urls STRUCT(spotify VARCHAR), "
    f"album {_ALBUM}, artists {_ARTIST}[])"
)
_ENTRY = (
    f"STRUCT(position INTEGER, added_at VARCHAR, is_local BOOLEAN, item {_TRACK}, track {_TRACK})"
)
RAW_COLUMNS = {
    "schema_version": "INTEGER",
    "chart": "STRUCT(kind VARCHAR, id VARCHAR, name VARCHAR)",
    "playlist_id": "VARCHAR",
    "playlist": "STRUCT(name VARCHAR)",
    "snapshot_ts": "VARCHAR",
    "captured_at": "VARCHAR",
    "entries": f"{_ENTRY}[]",
}
MAX_OBJECT_BYTES = 256 * 2**20
# Spotify sends "2011" (year), "1957-11" (month) or "2025-01-13" (day); "0000" is unknown.
RELEASE_DATE_PATTERN = r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$"
SIGHTINGS_SQL = """
CREATE OR REPLACE TEMP TABLE sighting AS
WITH snapshot AS (
    -- Envelope version 1 is a playlist; version 2 names its chart (decision 0085).
    SELECT raw_key,
           CASE WHEN schema_version = 1 THEN playlist_id ELSE chart.id END AS playlist_id,
           CASE WHEN schema_version = 1 THEN 'playlist' ELSE chart.kind END AS chart_kind,
           CASE WHEN schema_version = 1 THEN playlist.name ELSE chart.name END AS playlist_name,
           CAST(CAST(snapshot_ts AS TIMESTAMPTZ) AS TIMESTAMP) AS snapshot_ts,
           CAST(CAST(captured_at AS TIMESTAMPTZ) AS TIMESTAMP) AS captured_at,
           unnest(entries) AS entry
    FROM read_json(?, format = 'newline_delimited', compression = 'gzip', filename = 'raw_key',
                   columns = {columns}, maximum_object_size = {max_bytes})
    WHERE schema_version IN (1, 2)
), track AS (
    SELECT * EXCLUDE (entry), entry.position AS position, entry.is_local AS entry_is_local,
           CAST(CAST(nullif(entry.added_at, '1970-01-01T00:00:00Z') AS TIMESTAMPTZ)
                AS TIMESTAMP) AS added_at,
           coalesce(entry.item, entry.track) AS t
    FROM snapshot
)
SELECT * EXCLUDE (t, entry_is_local), t.*, CAST(snapshot_ts AS DATE) AS snapshot_date
FROM track
WHERE t IS NOT NULL AND NOT coalesce(entry_is_local, false) AND NOT coalesce(t.is_local, false)
  AND coalesce(t.type, '') <> 'episode' AND t.id IS NOT NULL
"""
# One query per table; each ends in the dedup on the table's key within a snapshot_date.
TABLE_SQL: dict[str, str] = {
    "chart_entry": """
        SELECT playlist_id, chart_kind, playlist_name, snapshot_ts,
               CAST(hour(snapshot_ts) AS INTEGER)
               AS snapshot_hour, position, id AS song_id, album.id AS album_id,
               artists[1].id AS primary_artist_id, added_at, popularity, snapshot_date
        FROM sighting
        QUALIFY row_number() OVER (PARTITION BY playlist_id, snapshot_ts, position
                                   ORDER BY captured_at DESC, raw_key) = 1
    """,
    "song": """
        SELECT id AS song_id, name, duration_ms, explicit, disc_number, track_number,
               external_ids.isrc AS isrc, album.id AS album_id,
               list_filter(list_transform(artists, lambda a: a.id), lambda i: i IS NOT NULL)
                   AS artist_ids,
               artists[1].id AS primary_artist_id, popularity,
               external_urls.spotify AS spotify_url,
               min(snapshot_ts) OVER day_key AS first_seen_ts,
               max(snapshot_ts) OVER day_key AS last_seen_ts, snapshot_date
        FROM sighting
        WINDOW day_key AS (PARTITION BY snapshot_date, id)
        QUALIFY row_number() OVER (PARTITION BY snapshot_date, id
                                   ORDER BY snapshot_ts DESC, playlist_id, position) = 1
    """,
    "album": """
        SELECT album.id AS album_id, album.name AS name, album.album_type AS album_type,
               album.total_tracks AS total_tracks,
               make_date(release_year, coalesce(release_month, 1), coalesce(release_day, 1))
                   AS release_date,
               album.release_date_precision AS release_date_precision, release_year,
               list_filter(list_transform(album.artists, lambda a: a.id), lambda i: i IS NOT NULL)
                   AS artist_ids,
               list_sort(list_transform(list_filter(album.images, lambda i: i.url IS NOT NULL),
                   lambda i: {'area': coalesce(i.width * i.height, 0), 'url': i.url}),
                   'DESC')[1].url AS image_url,
               album.external_urls.spotify AS spotify_url,
               min(snapshot_ts) OVER day_key AS first_seen_ts,
               max(snapshot_ts) OVER day_key AS last_seen_ts, snapshot_date
        FROM (
            SELECT *, nullif(release_part(album.release_date, 1), 0) AS release_year,
                      release_part(album.release_date, 2) AS release_month,
                      release_part(album.release_date, 3) AS release_day
            FROM sighting
        )
        WHERE album.id IS NOT NULL
        WINDOW day_key AS (PARTITION BY snapshot_date, album.id)
        QUALIFY row_number() OVER (PARTITION BY snapshot_date, album.id
                                   ORDER BY snapshot_ts DESC, playlist_id, position) = 1
    """,
    "artist": """
        WITH credit AS (
            SELECT unnest(artists) AS artist, generate_subscripts(artists, 1) AS artist_index,
                   0 AS artist_source, snapshot_ts, playlist_id, position, snapshot_date
            FROM sighting
            UNION ALL
            SELECT unnest(album.artists), generate_subscripts(album.artists, 1),
                   1, snapshot_ts, playlist_id, position, snapshot_date
            FROM sighting
        )
        SELECT artist.id AS artist_id, artist.name AS name,
               artist.external_urls.spotify AS spotify_url,
               min(snapshot_ts) OVER day_key AS first_seen_ts,
               max(snapshot_ts) OVER day_key AS last_seen_ts, snapshot_date
        FROM credit
        WHERE artist.id IS NOT NULL
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


def _columns_literal() -> str:
    fields = ", ".join(f"'{name}': '{type_}'" for name, type_ in RAW_COLUMNS.items())
    return "{" + fields + "}"


def run(lake: Path, out: Path, threads: int | None = None) -> dict[str, Any]:
    """Build every table from `lake`'s raw snapshots into `out/<table>/snapshot_date=.../`."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        if threads is not None:
            con.execute(f"SET threads = {int(threads)}")
        con.execute(
            "CREATE OR REPLACE TEMP MACRO release_part(text, part) AS "
            f"TRY_CAST(regexp_extract(text, '{RELEASE_DATE_PATTERN}', part) AS INTEGER)"
        )
        raw_glob = str(lake / RAW_PREFIX / "*" / "*" / "*.json.gz")
        con.execute(
            SIGHTINGS_SQL.format(columns=_columns_literal(), max_bytes=MAX_OBJECT_BYTES),
            [raw_glob],
        )
        counts: dict[str, int] = {}
        for table, select_sql in TABLE_SQL.items():
            target = out / table
            target.parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {select_sql}")
            # COPY answers with the number of rows it wrote.
            counts[table] = con.execute(
                f"COPY {table} TO '{target}' "
                "(FORMAT parquet, COMPRESSION snappy, PARTITION_BY (snapshot_date), "
                "OVERWRITE_OR_IGNORE)"
            ).fetchall()[0][0]
    finally:
        con.close()
    return {"rows": counts}
