"""Transforms from parsed raw snapshots to one flat row per playlist entry."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from glue_jobs.charts.body_checks import DETAILS, EMPTY_BODY, INVALID_UTF8, TRAILING_DATA
from glue_jobs.charts.entry_fields import album_columns, song_columns
from glue_jobs.charts.positions import (
    entry_position,
    position_skip_reason,
    with_snapshot_positions,
)
from glue_jobs.charts.raw_keys import (
    BAD_KEY,
    BAD_KEY_DETAIL,
    CHART_ID_GROUPS,
    DATE_GROUP,
    HOUR_GROUP,
    KEY_GROUP,
    RAW_KEY_PATTERN,
)
from glue_jobs.charts.reader import CORRUPT_COLUMN
from glue_jobs.charts.schemas import (
    LEGACY_RAW_SCHEMA_VERSION,
    PARTITION_COLUMN,
    PLAYLIST_CHART_KIND,
    RAW_SCHEMA_VERSIONS,
)

# Chart playlists report this instead of a real "added at": it means "unknown".
EPOCH_PLACEHOLDER = "1970-01-01T00:00:00Z"


def parse_timestamp(text: Column | str) -> Column:
    """A raw ISO-8601 string as a timestamp; null when it is not one.

    `try_to_timestamp`, not `to_timestamp`: with ANSI on (Spark 4, Glue 6.0) one malformed
    string would raise CAST_INVALID_INPUT and fail the whole run instead of being
    quarantined. No pattern is given, so the time parser policy plays no part.
    """
    return F.try_to_timestamp(text if isinstance(text, Column) else F.col(text))


def _key_part(group: int) -> Column:
    return F.regexp_extract("raw_key", RAW_KEY_PATTERN, group)


def _key_chart() -> tuple[Column, Column]:
    """(kind, chart id) as the key names them; both empty strings for a key that is not one."""
    kind, chart_id = F.lit(""), F.lit("")
    for key_kind, group in CHART_ID_GROUPS.items():
        named = _key_part(group) != ""
        kind = F.when(named, F.lit(key_kind)).otherwise(kind)
        chart_id = F.when(named, _key_part(group)).otherwise(chart_id)
    return kind, chart_id


def _is_legacy() -> Column:
    return F.col("snapshot.schema_version") == LEGACY_RAW_SCHEMA_VERSION


def chart_kind() -> Column:
    """The body's chart kind: `chart.kind`; a version-1 body is a playlist."""
    return F.when(_is_legacy(), F.lit(PLAYLIST_CHART_KIND)).otherwise(F.col("snapshot.chart.kind"))


def chart_id() -> Column:
    """The body's chart id (chart_entry.playlist_id): `chart.id`, or v1's `playlist_id`."""
    return F.when(_is_legacy(), F.col("snapshot.playlist_id")).otherwise(F.col("snapshot.chart.id"))


def chart_name() -> Column:
    """The body's chart name: `chart.name`, or v1's `playlist.name`."""
    return F.when(_is_legacy(), F.col("snapshot.playlist.name")).otherwise(
        F.col("snapshot.chart.name")
    )


def _envelope_reason() -> Column:
    snapshot_ts = parse_timestamp("snapshot.snapshot_ts")
    slot_ts = parse_timestamp(
        F.concat(_key_part(DATE_GROUP), F.lit(" "), _key_part(HOUR_GROUP), F.lit(":00:00"))
    )
    key_kind, key_chart_id = _key_chart()
    return (
        F.when(F.col("snapshot.schema_version").isNull(), F.lit("missing_envelope_fields"))
        .when(
            ~F.col("snapshot.schema_version").isin(*RAW_SCHEMA_VERSIONS), "unknown_schema_version"
        )
        .when(
            chart_id().isNull()
            | chart_kind().isNull()
            | snapshot_ts.isNull()
            | F.col("snapshot.entries").isNull(),
            "missing_envelope_fields",
        )
        # The curated partition comes from snapshot_ts: a body that disagrees with its key
        # would land in a date this run does not rebuild. A key hour that is no hour (25)
        # gives no slot: null-safe, so that it mismatches instead of passing.
        .when(
            (chart_id() != key_chart_id)
            | (chart_kind() != key_kind)
            | ~snapshot_ts.eqNullSafe(slot_ts),
            "key_mismatch",
        )
    )


def with_quarantine_reason(snapshots_df: DataFrame) -> DataFrame:
    """Add `reason` (and `detail`) for a parsed raw object that cannot be used; null if usable.

    Reasons, first match wins: bad_key, invalid_utf8 or empty_body, not_json,
    unknown_schema_version, schema_mismatch, trailing_data, missing_envelope_fields,
    key_mismatch. (Objects that are not gzip never get here.)
    """
    corrupt = F.col(f"snapshot.{CORRUPT_COLUMN}").isNotNull()
    version_text = F.col("schema_version_text")
    known_version = version_text.isin(*[str(version) for version in RAW_SCHEMA_VERSIONS])
    body_problem = F.col("body_problem")
    reason_expr = (
        F.when(_key_part(KEY_GROUP) == "", F.lit(BAD_KEY))
        .when(body_problem.isin(INVALID_UTF8, EMPTY_BODY), body_problem)
        .when(corrupt & ~F.col("is_json_object"), "not_json")
        .when(corrupt & (version_text.isNull() | ~known_version), "unknown_schema_version")
        .when(corrupt, "schema_mismatch")
        .when(body_problem == TRAILING_DATA, TRAILING_DATA)
        .otherwise(_envelope_reason())
    )
    reason = F.col("reason")
    detail = (
        F.when(reason == BAD_KEY, F.lit(BAD_KEY_DETAIL))
        .when(reason == INVALID_UTF8, DETAILS[INVALID_UTF8])
        .when(reason == EMPTY_BODY, DETAILS[EMPTY_BODY])
        .when(reason == TRAILING_DATA, DETAILS[TRAILING_DATA])
        .when(reason == "not_json", "the body is not a JSON object")
        .when(reason == "schema_mismatch", "a field has a type the declared raw schema rejects")
        .when(
            (reason == "unknown_schema_version") & corrupt,
            F.concat_ws("", F.lit("schema_version "), version_text),
        )
        .when(
            reason.isNotNull(),
            F.format_string(
                "body: schema_version=%s chart=%s:%s snapshot_ts=%s",
                F.col("snapshot.schema_version"),
                chart_kind(),
                chart_id(),
                F.col("snapshot.snapshot_ts"),
            ),
        )
    )
    return snapshots_df.withColumn("reason", reason_expr).withColumn("detail", detail)


def explode_entries(snapshots_df: DataFrame) -> DataFrame:
    """One row per entry of each usable snapshot; a quarantined or empty one keeps one row.

    The kept row (null `entry_index`) lets the run count every object it read from the same
    frame it builds the tables from. `playlist_id` is the chart id, for both chart kinds.
    """
    usable = F.col("reason").isNull()
    return snapshots_df.select(
        "raw_key",
        "reason",
        "detail",
        F.when(usable, chart_id()).alias("playlist_id"),
        F.when(usable, chart_kind()).alias("chart_kind"),
        F.when(usable, chart_name()).alias("playlist_name"),
        F.when(usable, parse_timestamp("snapshot.snapshot_ts")).alias("snapshot_ts"),
        F.when(usable, parse_timestamp("snapshot.captured_at")).alias("captured_at"),
        "entry_count",
        "repeated_positions",
        F.posexplode_outer(F.when(usable, F.col("snapshot.entries"))).alias("entry_index", "entry"),
    )


def added_at(entry: Column) -> Column:
    """When the entry was added to the chart; null for the charts' epoch placeholder."""
    text = entry["added_at"]
    return F.when(text != EPOCH_PLACEHOLDER, parse_timestamp(text))


def skip_reason(item: Column, position: Column) -> Column:
    """Why an entry has no row (null when it has one).

    position_out_of_range, duplicate_position (glue_jobs/charts/positions.py), null_track
    (removed track), local_file, episode, missing_song_id (a track without id).
    """
    is_local = F.coalesce(F.col("entry.is_local"), F.lit(False)) | F.coalesce(
        item["is_local"], F.lit(False)
    )
    song_reason = (
        F.when(item.isNull(), "null_track")
        .when(is_local, "local_file")
        .when(item["type"] == "episode", "episode")
        .when(item["id"].isNull(), "missing_song_id")
    )
    return F.when(
        F.col("entry_index").isNotNull(), F.coalesce(position_skip_reason(position), song_reason)
    )


def to_entries(snapshots_df: DataFrame) -> DataFrame:
    """Parsed snapshots to flat entries: the frame every curated table is built from.

    Only flat song/album columns are kept (not the nested `item`), so the cached frame is small.
    Each column is named here with the one expression or helper that makes it.
    """
    # The entry's track (or episode); null for a removed track. A legacy body's `track` is
    # already in `item`: the reader puts it there (decision 0114).
    item = F.col("entry.item")
    position = entry_position(F.col("entry"), F.col("entry_index"))
    return (
        snapshots_df.transform(with_quarantine_reason)
        .transform(with_snapshot_positions)
        .transform(explode_entries)
        .select(
            "raw_key",
            "reason",
            "detail",
            skip_reason(item, position).alias("skip_reason"),
            "entry_index",
            "playlist_id",
            "chart_kind",
            "playlist_name",
            "snapshot_ts",
            "captured_at",
            F.hour("snapshot_ts").alias("snapshot_hour"),
            position.alias("position"),
            added_at(F.col("entry")).alias("added_at"),
            F.to_date("snapshot_ts").alias(PARTITION_COLUMN),
            *song_columns(item),
            *album_columns(item["album"]),
        )
    )
