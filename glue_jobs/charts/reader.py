"""Read raw snapshot objects: bytes in, one row per object with its parsed body or a reason."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Sequence

import pandas as pd
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

DECODED_SCHEMA = T.StructType(
    [
        T.StructField("reason", T.StringType()),
        T.StructField("detail", T.StringType()),
        T.StructField("body", T.BinaryType()),
    ]
)

PARSE_SCHEMA = T.StructType(
    [*RAW_SNAPSHOT_SCHEMA.fields, T.StructField(CORRUPT_COLUMN, T.StringType())]
)


def decode_body(content: bytes) -> tuple[str | None, str | None, bytes | None]:
    """Gunzip one object and check it is UTF-8: (reason, detail, body), body None on failure."""
    if content[:2] != GZIP_MAGIC:
        return "not_gzip", "the object does not start with the gzip magic bytes", None
    try:
        body = gzip.decompress(content)
    except EOFError as error:
        return "truncated", str(error)[:MAX_DETAIL_CHARS], None
    except (gzip.BadGzipFile, zlib.error) as error:
        return "corrupt_gzip", str(error)[:MAX_DETAIL_CHARS], None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        return "not_utf8", str(error)[:MAX_DETAIL_CHARS], None
    return None, None, body


@F.pandas_udf(DECODED_SCHEMA)  # type: ignore[call-overload]
def _decode_udf(contents: pd.Series) -> pd.DataFrame:
    # Decompression runs in Python: the JVM's gzip codec fails the whole job on a bad object
    # instead of reporting it, and a Python pass lets every bad object be named and kept aside.
    decoded = [decode_body(content) for content in contents]
    return pd.DataFrame(
        {
            "reason": pd.Series([row[0] for row in decoded], dtype=object),
            "detail": pd.Series([row[1] for row in decoded], dtype=object),
            "body": pd.Series([row[2] for row in decoded], dtype=object),
        }
    )


def read_raw_snapshots(spark: SparkSession, folder_uris: Sequence[str]) -> DataFrame:
    """Read every object under the given raw date folders.

    Returns one row per object: `raw_key`, `reason`/`detail` when the bytes are unusable,
    and `snapshot`, the body parsed with the declared raw schema (its `_corrupt_record`
    holds the text when the body is not JSON or does not fit the schema); for such rows
    `is_json_object` and `schema_version_text` tell why.
    """
    files_df = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(list(folder_uris))
        .select("path", "content")
    )
    return (
        files_df.withColumn("decoded", _decode_udf("content"))
        .select(
            F.regexp_extract("path", ANY_RAW_KEY_PATTERN, 1).alias("raw_key"),
            F.col("decoded.reason").alias("reason"),
            F.col("decoded.detail").alias("detail"),
            F.col("decoded.body").cast(T.StringType()).alias("body"),
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
            "reason",
            "detail",
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
