"""The curated tables' schemas, declared once: the transforms' selects, docs, tests."""

from __future__ import annotations

from pyspark.sql import types as T

PARTITION_COLUMN = "snapshot_date"

CHART_ENTRY_SCHEMA = T.StructType(
    [
        T.StructField("playlist_id", T.StringType(), nullable=False),
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
