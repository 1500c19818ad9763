"""Read raw snapshot objects with the declared schema; diagnose the ones Spark cannot read."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Sequence

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from glue_jobs.charts.schemas import RAW_SNAPSHOT_SCHEMA

GZIP_MAGIC = b"\x1f\x8b"
CORRUPT_COLUMN = "_corrupt_record"
# The raw key, exactly as the Lambda writes it (docs/data-model.md).
RAW_KEY_PATTERN = (
    r"(raw/playlist_snapshots/snapshot_date=(\d{4}-\d{2}-\d{2})/snapshot_hour=(\d{2})/"
    r"playlist_id=([0-9A-Za-z]{22})\.json\.gz)$"
)
# Anything after the lake root, for objects whose name breaks the pattern.
ANY_RAW_KEY_PATTERN = r"(raw/playlist_snapshots/.*)$"
MAX_DETAIL_CHARS = 300

PARSE_SCHEMA = T.StructType(
    [*RAW_SNAPSHOT_SCHEMA.fields, T.StructField(CORRUPT_COLUMN, T.StringType())]
)


def diagnose_unreadable(content: bytes) -> tuple[str, str] | None:
    """Why an object's bytes are not a gzip stream: (reason, detail), or None if they are.

    Runs on the driver for the few objects Spark could not decompress, to name the reason.
    """
    if content[:2] != GZIP_MAGIC:
        return "not_gzip", "the object does not start with the gzip magic bytes"
    try:
        gzip.decompress(content)
    except EOFError as error:
        return "truncated", str(error)[:MAX_DETAIL_CHARS]
    except (gzip.BadGzipFile, zlib.error) as error:
        return "corrupt_gzip", str(error)[:MAX_DETAIL_CHARS]
    return None


def read_raw_snapshots(spark: SparkSession, folder_uris: Sequence[str]) -> DataFrame:
    """Read every readable object under the given raw date folders, parsed with the raw schema.

    Returns one row per object: `raw_key` and `snapshot` (its `_corrupt_record` holds the text
    when the body is not JSON or does not fit the schema; then `is_json_object` and
    `schema_version_text` tell why). Objects that are not valid gzip yield no row: Spark skips
    them (`ignoreCorruptFiles`) and the caller diagnoses the keys it listed but did not get
    back with `decode_body`.
    """
    text_df = (
        spark.read.option("wholetext", "true")
        .option("recursiveFileLookup", "true")
        .option("ignoreCorruptFiles", "true")
        .text(list(folder_uris))
    )
    return (
        text_df.select(
            F.regexp_extract("_metadata.file_path", ANY_RAW_KEY_PATTERN, 1).alias("raw_key"),
            F.col("value").alias("body"),
        )
        .withColumn(
            "snapshot",
            F.from_json(
                "body",
                PARSE_SCHEMA,
                {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT_COLUMN},
            ),
        )
        .select(
            "raw_key",
            "snapshot",
            # Parsed again only for rows that failed: tells "not JSON" from "wrong shape".
            F.when(
                F.col(f"snapshot.{CORRUPT_COLUMN}").isNotNull(),
                F.json_object_keys("body").isNotNull(),
            ).alias("is_json_object"),
            F.when(
                F.col(f"snapshot.{CORRUPT_COLUMN}").isNotNull(),
                F.get_json_object("body", "$.schema_version"),
            ).alias("schema_version_text"),
        )
    )
