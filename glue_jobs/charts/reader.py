"""Read raw snapshot objects with the declared schema; diagnose the ones Spark cannot read."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Sequence

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from glue_jobs.charts.body_checks import not_one_object_problem, one_object_problem
from glue_jobs.charts.raw_keys import ANY_RAW_KEY_PATTERN
from glue_jobs.charts.schemas import RAW_ENTRY_SCHEMA, RAW_SNAPSHOT_SCHEMA

GZIP_MAGIC = b"\x1f\x8b"
CORRUPT_COLUMN = "_corrupt_record"
MAX_DETAIL_CHARS = 300
# The deprecated name of an entry's `item`: 2026 bodies carry every track under both.
LEGACY_ITEM_FIELD = "track"
_JSON_OPTIONS = {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT_COLUMN}
_CORRUPT_FIELD = T.StructField(CORRUPT_COLUMN, T.StringType())
_LEGACY_ITEM = RAW_ENTRY_SCHEMA[LEGACY_ITEM_FIELD]


def _with_entry_fields(envelope: T.StructType, fields: list[T.StructField]) -> T.StructType:
    entries = T.StructField("entries", T.ArrayType(T.StructType(fields)))
    return T.StructType(
        [entries if f.name == "entries" else f for f in envelope.fields] + [_CORRUPT_FIELD]
    )


# An entry as the reader returns it: `track` is not a field; a body with an entry that has no
# `item` (the legacy shape, or a removed track) is parsed a second time for `track` only, and
# that `track` is put in the entry's `item` (`_merged_snapshot`).
PARSED_ENTRY_SCHEMA = T.StructType(
    [f for f in RAW_ENTRY_SCHEMA.fields if f.name != LEGACY_ITEM_FIELD]
)
# The first parse skips `track` (half of a 2026 body's bytes). Its shape is the shape of the
# `snapshot` column the reader returns.
ITEM_PARSE_SCHEMA = _with_entry_fields(RAW_SNAPSHOT_SCHEMA, list(PARSED_ENTRY_SCHEMA.fields))
LEGACY_PARSE_SCHEMA = _with_entry_fields(
    T.StructType([RAW_SNAPSHOT_SCHEMA["entries"]]), [_LEGACY_ITEM]
)
# The first parse reads the body as the one value of a wrapper object, `{"doc": <body>}`: the
# parser then fails on anything after the body's JSON object (a second gzip member or
# document), or on a body that is no JSON value at all, so a clean parse of the wrapper proves
# the body one JSON object without a scan of its bytes. Only the bodies whose wrapper does not
# parse are parsed again alone, to say why (glue_jobs/charts/body_checks.py).
WRAPPER_FIELD = "doc"
WRAPPED_PARSE_SCHEMA = T.StructType(
    [
        T.StructField(WRAPPER_FIELD, T.StructType(ITEM_PARSE_SCHEMA.fields[:-1])),
        _CORRUPT_FIELD,
    ]
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
    `schema_version_text` tell why), and `body_problem` (glue_jobs/charts/body_checks.py).
    Objects that are not valid gzip yield no row: Spark skips them (`ignoreCorruptFiles`) and
    the caller accounts for the keys it listed but did not get back (glue_jobs/charts/unread.py).
    """
    # `wholetext` as text()'s own argument: text() sets it (False by default) after any
    # .option(), so an .option("wholetext") alone read each line of a body as an object.
    text_df = (
        spark.read.option("recursiveFileLookup", "true")
        .option("ignoreCorruptFiles", "true")
        .text(list(folder_uris), wholetext=True)
    )
    parsed, wrapped = F.col("parsed"), F.col("wrapped")
    one_object = wrapped[CORRUPT_COLUMN].isNull() & wrapped[WRAPPER_FIELD].isNotNull()
    return (
        text_df.select(
            F.regexp_extract("_metadata.file_path", ANY_RAW_KEY_PATTERN, 1).alias("raw_key"),
            F.col("value").alias("body"),
        )
        .withColumn(
            "wrapped",
            F.from_json(
                F.concat(F.lit(f'{{"{WRAPPER_FIELD}":'), F.col("body"), F.lit("}")),
                WRAPPED_PARSE_SCHEMA,
                _JSON_OPTIONS,
            ),
        )
        # Its own column, so that the optimizer keeps it lazy: the body alone is parsed only
        # when the wrapper did not parse (to keep what its first object holds, and to say why).
        .withColumn(
            "parsed",
            F.when(
                one_object,
                wrapped[WRAPPER_FIELD].withField(CORRUPT_COLUMN, F.lit(None).cast("string")),
            ).otherwise(F.from_json("body", ITEM_PARSE_SCHEMA, _JSON_OPTIONS)),
        )
        # Its own column, so that the optimizer keeps it lazy: evaluated once, legacy only.
        .withColumn(
            "legacy",
            F.when(
                F.exists(parsed["entries"], lambda entry: entry["item"].isNull()),
                F.from_json("body", LEGACY_PARSE_SCHEMA, _JSON_OPTIONS),
            ),
        )
        .withColumn("snapshot", _merged_snapshot(parsed, F.col("legacy")))
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
            F.when(one_object, one_object_problem(F.col("body")))
            .otherwise(
                not_one_object_problem(
                    F.col("body"),
                    parsed.isNotNull() & parsed[CORRUPT_COLUMN].isNull(),
                )
            )
            .alias("body_problem"),
        )
    )


def _merged_snapshot(parsed: Column, legacy: Column) -> Column:
    """The snapshot with each entry's `item` in place: its 2026 `item`, else (for a body that
    was parsed again) its deprecated `track`. A body whose entries all have `item` is passed
    through as parsed, not rebuilt; corrupt if either parse was."""
    legacy_entries = F.zip_with(
        parsed["entries"],
        legacy["entries"],
        lambda entry, old: entry.withField(
            "item", F.coalesce(entry["item"], old[LEGACY_ITEM_FIELD])
        ),
    )
    return F.when(
        legacy.isNotNull(),
        parsed.withField("entries", legacy_entries).withField(
            CORRUPT_COLUMN, F.coalesce(parsed[CORRUPT_COLUMN], legacy[CORRUPT_COLUMN])
        ),
    ).otherwise(parsed)
