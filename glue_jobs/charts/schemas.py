"""The curated tables' schemas, declared once: the transforms' selects, docs, tests."""

from __future__ import annotations

from pyspark.sql import types as T

PARTITION_COLUMN = "snapshot_date"

# chart_entry.playlist_id is the chart id: a playlist id or `top_tracks.<range>.<user>`.
PLAYLIST_CHART_KIND, TOP_TRACKS_CHART_KIND = "playlist", "top_tracks"
CHART_KINDS = (PLAYLIST_CHART_KIND, TOP_TRACKS_CHART_KIND)

CHART_ENTRY_SCHEMA = T.StructType(
    [
        T.StructField("playlist_id", T.StringType(), nullable=False),
        T.StructField("chart_kind", T.StringType(), nullable=False),
        T.StructField("playlist_name", T.StringType(), nullable=True),
        T.StructField("snapshot_ts", T.TimestampType(), nullable=False),
        T.StructField("snapshot_hour", T.IntegerType(), nullable=False),
        T.StructField("position", T.IntegerType(), nullable=False),
        T.StructField("song_id", T.StringType(), nullable=False),
        T.StructField("album_id", T.StringType(), nullable=True),
        T.StructField("primary_artist_id", T.StringType(), nullable=True),
        T.StructField("added_at", T.TimestampType(), nullable=True),
        T.StructField("popularity", T.IntegerType(), nullable=True),
        T.StructField(PARTITION_COLUMN, T.DateType(), nullable=False),
    ]
)

SONG_SCHEMA = T.StructType(
    [
        T.StructField("song_id", T.StringType(), nullable=False),
        T.StructField("name", T.StringType(), nullable=True),
        T.StructField("duration_ms", T.IntegerType(), nullable=True),
        T.StructField("explicit", T.BooleanType(), nullable=True),
        T.StructField("disc_number", T.IntegerType(), nullable=True),
        T.StructField("track_number", T.IntegerType(), nullable=True),
        T.StructField("isrc", T.StringType(), nullable=True),
        T.StructField("album_id", T.StringType(), nullable=True),
        T.StructField("artist_ids", T.ArrayType(T.StringType(), containsNull=False), nullable=True),
        T.StructField("primary_artist_id", T.StringType(), nullable=True),
        T.StructField("popularity", T.IntegerType(), nullable=True),
        T.StructField("spotify_url", T.StringType(), nullable=True),
        T.StructField("first_seen_ts", T.TimestampType(), nullable=False),
        T.StructField("last_seen_ts", T.TimestampType(), nullable=False),
        T.StructField(PARTITION_COLUMN, T.DateType(), nullable=False),
    ]
)

ALBUM_SCHEMA = T.StructType(
    [
        T.StructField("album_id", T.StringType(), nullable=False),
        T.StructField("name", T.StringType(), nullable=True),
        T.StructField("album_type", T.StringType(), nullable=True),
        T.StructField("total_tracks", T.IntegerType(), nullable=True),
        T.StructField("release_date", T.DateType(), nullable=True),
        T.StructField("release_date_precision", T.StringType(), nullable=True),
        T.StructField("release_year", T.IntegerType(), nullable=True),
        T.StructField("artist_ids", T.ArrayType(T.StringType(), containsNull=False), nullable=True),
        T.StructField("image_url", T.StringType(), nullable=True),
        T.StructField("spotify_url", T.StringType(), nullable=True),
        T.StructField("first_seen_ts", T.TimestampType(), nullable=False),
        T.StructField("last_seen_ts", T.TimestampType(), nullable=False),
        T.StructField(PARTITION_COLUMN, T.DateType(), nullable=False),
    ]
)

ARTIST_SCHEMA = T.StructType(
    [
        T.StructField("artist_id", T.StringType(), nullable=False),
        T.StructField("name", T.StringType(), nullable=True),
        T.StructField("spotify_url", T.StringType(), nullable=True),
        T.StructField("first_seen_ts", T.TimestampType(), nullable=False),
        T.StructField("last_seen_ts", T.TimestampType(), nullable=False),
        T.StructField(PARTITION_COLUMN, T.DateType(), nullable=False),
    ]
)

SONG_ARTIST_SCHEMA = T.StructType(
    [
        T.StructField("song_id", T.StringType(), nullable=False),
        T.StructField("artist_id", T.StringType(), nullable=False),
        T.StructField("artist_position", T.IntegerType(), nullable=False),
        T.StructField(PARTITION_COLUMN, T.DateType(), nullable=False),
    ]
)

# Table name (= folder under curated/ = catalog table name) -> schema.
CURATED_TABLES: dict[str, T.StructType] = {
    "chart_entry": CHART_ENTRY_SCHEMA,
    "song": SONG_SCHEMA,
    "album": ALBUM_SCHEMA,
    "artist": ARTIST_SCHEMA,
    "song_artist": SONG_ARTIST_SCHEMA,
}

# The key each table is unique on within a snapshot_date partition.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "chart_entry": ("playlist_id", "snapshot_ts", "position"),
    "song": ("song_id",),
    "album": ("album_id",),
    "artist": ("artist_id",),
    "song_artist": ("song_id", "artist_id"),
}

# --- Raw landing format (docs/data-model.md): what the reader parses, never inferred. ---
# Only the fields the job uses are declared: undeclared keys (available_markets, label, ...)
# are skipped by the parser. Fields the 2026 API removed (popularity) stay declared so legacy
# and extended-quota snapshots keep them; when absent they parse as null. Timestamps are kept
# as strings here and converted by the transforms (one place decides the format).
# Version 2 added `chart` (kind, id, name) and top-tracks charts; version 1 is a playlist.
LEGACY_RAW_SCHEMA_VERSION = 1
RAW_SCHEMA_VERSION = 2
RAW_SCHEMA_VERSIONS = (LEGACY_RAW_SCHEMA_VERSION, RAW_SCHEMA_VERSION)

_EXTERNAL_URLS = T.StructType([T.StructField("spotify", T.StringType())])

RAW_ARTIST_SCHEMA = T.StructType(
    [
        T.StructField("id", T.StringType()),
        T.StructField("name", T.StringType()),
        T.StructField("external_urls", _EXTERNAL_URLS),
    ]
)

RAW_ALBUM_SCHEMA = T.StructType(
    [
        T.StructField("id", T.StringType()),
        T.StructField("name", T.StringType()),
        T.StructField("album_type", T.StringType()),
        T.StructField("total_tracks", T.IntegerType()),
        T.StructField("release_date", T.StringType()),
        T.StructField("release_date_precision", T.StringType()),
        T.StructField(
            "images",
            T.ArrayType(
                T.StructType(
                    [
                        T.StructField("url", T.StringType()),
                        T.StructField("height", T.IntegerType()),
                        T.StructField("width", T.IntegerType()),
                    ]
                )
            ),
        ),
        T.StructField("artists", T.ArrayType(RAW_ARTIST_SCHEMA)),
        T.StructField("external_urls", _EXTERNAL_URLS),
    ]
)

# A playlist entry's `item` (2026 name) or `track` (deprecated name): a track or an episode.
RAW_ITEM_SCHEMA = T.StructType(
    [
        T.StructField("id", T.StringType()),
        T.StructField("type", T.StringType()),
        T.StructField("name", T.StringType()),
        T.StructField("is_local", T.BooleanType()),
        T.StructField("duration_ms", T.IntegerType()),
        T.StructField("explicit", T.BooleanType()),
        T.StructField("disc_number", T.IntegerType()),
        T.StructField("track_number", T.IntegerType()),
        T.StructField("popularity", T.IntegerType()),
        T.StructField("external_ids", T.StructType([T.StructField("isrc", T.StringType())])),
        T.StructField("external_urls", _EXTERNAL_URLS),
        T.StructField("album", RAW_ALBUM_SCHEMA),
        T.StructField("artists", T.ArrayType(RAW_ARTIST_SCHEMA)),
    ]
)

RAW_ENTRY_SCHEMA = T.StructType(
    [
        T.StructField("position", T.IntegerType()),
        T.StructField("added_at", T.StringType()),
        T.StructField("is_local", T.BooleanType()),
        T.StructField("item", RAW_ITEM_SCHEMA),
        T.StructField("track", RAW_ITEM_SCHEMA),
    ]
)

RAW_SNAPSHOT_SCHEMA = T.StructType(
    [
        T.StructField("schema_version", T.LongType()),
        T.StructField("source", T.StringType()),
        T.StructField("api_profile", T.StringType()),
        T.StructField(
            "chart",
            T.StructType(
                [
                    T.StructField("kind", T.StringType()),
                    T.StructField("id", T.StringType()),
                    T.StructField("name", T.StringType()),
                ]
            ),
        ),
        T.StructField("playlist_id", T.StringType()),
        T.StructField(
            "playlist",
            T.StructType(
                [
                    T.StructField("id", T.StringType()),
                    T.StructField("name", T.StringType()),
                    T.StructField("snapshot_id", T.StringType()),
                ]
            ),
        ),
        T.StructField("snapshot_ts", T.StringType()),
        T.StructField("captured_at", T.StringType()),
        T.StructField("market", T.StringType()),
        T.StructField("entries", T.ArrayType(RAW_ENTRY_SCHEMA)),
    ]
)
