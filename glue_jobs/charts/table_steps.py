"""Steps the curated tables share: which entries count, the seen range, the one dedupe, the
columns derived from an entry's credited artists, and the final select against a schema."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from glue_jobs.charts.schemas import PARTITION_COLUMN

Transform = Callable[[DataFrame], DataFrame]


def filter_songs(entries_df: DataFrame) -> DataFrame:
    """Keep entries that carry a song (usable snapshot, not local, not null, not an episode)."""
    return entries_df.where(
        F.col("reason").isNull() & F.col("entry_index").isNotNull() & F.col("skip_reason").isNull()
    )


def with_seen_range(key_columns: Sequence[str]) -> Transform:
    """Add `first_seen_ts`/`last_seen_ts`: the key's first and last snapshot_ts in its date."""

    def _with(df: DataFrame) -> DataFrame:
        whole_partition = Window.partitionBy(PARTITION_COLUMN, *key_columns).rowsBetween(
            Window.unboundedPreceding, Window.unboundedFollowing
        )
        return df.withColumns(
            {
                "first_seen_ts": F.min("snapshot_ts").over(whole_partition),
                "last_seen_ts": F.max("snapshot_ts").over(whole_partition),
            }
        )

    return _with


def latest_first(*tie_breaks: Column) -> tuple[Column, ...]:
    """Latest snapshot first; within one snapshot the first playlist by id, then position,
    then `tie_breaks` (for keys with several rows per entry)."""
    return (
        F.col("snapshot_ts").desc(),
        F.col("playlist_id").asc(),
        F.col("position").asc(),
        *tie_breaks,
    )


def dedupe_first(key_columns: Sequence[str], order: Sequence[Column]) -> Transform:
    """Keep one row per (snapshot_date, key): the first in `order`.

    `order` must decide every tie within a key, so that every run keeps the same row (a bare
    `dropDuplicates` keeps any). The date leads the key: entries clustered by date need no
    shuffle for it.
    """

    def _dedupe(df: DataFrame) -> DataFrame:
        window = Window.partitionBy(PARTITION_COLUMN, *key_columns).orderBy(*order)
        return (
            df.withColumn("_rank", F.row_number().over(window))
            .where(F.col("_rank") == 1)
            .drop("_rank")
        )

    return _dedupe


def artist_ids(credited: str) -> Column:
    """The ids of a list of credited artists (entry columns `artists`, `album_artists`)."""
    return F.transform(credited, lambda artist: artist["id"])


def primary_artist_id() -> Column:
    """The song's first credited artist's id; null when the song credits none."""
    # `get`: a song with no artist id gives null, not INVALID_ARRAY_INDEX (ANSI).
    return F.get("artists", 0)["id"]


def select_table(schema: T.StructType, *columns: Column | str) -> Transform:
    """The final select of a table: `columns` (each named as its table column), which must be
    the schema's columns in its order, cast where the made type is not the declared one.

    Nullability is not cast (Spark cannot narrow it): non-null columns are guaranteed by the
    filters before, and Parquet readers see every column as nullable anyway.
    """

    def _select(df: DataFrame) -> DataFrame:
        table_df = df.select(*columns)
        if table_df.columns != schema.names:
            raise ValueError(f"select makes {table_df.columns}, the schema has {schema.names}")
        return table_df.transform(select_schema(schema))

    return _select


def select_schema(schema: T.StructType) -> Transform:
    """Project to a table's declared columns, in order, cast to the declared types."""

    def _select(df: DataFrame) -> DataFrame:
        current = {f.name: f.dataType.simpleString() for f in df.schema.fields}
        return df.select(
            *[
                F.col(f.name)
                if current.get(f.name) == f.dataType.simpleString()
                else F.col(f.name).cast(f.dataType).alias(f.name)
                for f in schema.fields
            ]
        )

    return _select
