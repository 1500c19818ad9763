"""Write curated tables and quarantine records: every write of the job goes through here."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pyspark.sql import DataFrame, Observation
from pyspark.sql import functions as F

from glue_jobs.charts.schemas import CURATED_TABLES, PARTITION_COLUMN, TABLE_KEYS
from glue_jobs.charts.storage import Storage
from glue_jobs.charts.swap import publish_partitions

CURATED_PREFIX = "curated/"
QUARANTINE_PREFIX = "quarantine/"
# Where a table write stages its partitions before they are published (glue_jobs/charts/swap.py),
# inside the table's folder and hidden from readers; and where Spark's dynamic partition
# overwrite staged them before (a lake written by an older job may still hold one).
STAGING_PREFIX = ".charts-staging-"
STAGING_PREFIXES = (STAGING_PREFIX, ".spark-staging-")
DATE_SEPARATOR = ","
# Stated on every write, so that no session setting decides what an overwrite replaces.
OVERWRITE_MODE_OPTION = "partitionOverwriteMode"


def table_key(table: str) -> str:
    """The folder of a curated table under the lake root."""
    return f"{CURATED_PREFIX}{table}/"


def partition_key(table: str, day: dt.date) -> str:
    """The folder of one snapshot_date partition of a table."""
    return f"{table_key(table)}{PARTITION_COLUMN}={day.isoformat()}/"


def clean_staging(storage: Storage) -> None:
    """Delete staging folders a killed run left behind (the job never runs twice at once)."""
    for table in CURATED_TABLES:
        for prefix in STAGING_PREFIXES:
            storage.delete_prefix(f"{table_key(table)}{prefix}")


@dataclass(frozen=True)
class Written:
    """What one table write produced: rows and the partitions (dates) it replaced."""

    rows: int
    dates: frozenset[dt.date]


def delete_partitions(storage: Storage, table: str, dates: Iterable[dt.date]) -> None:
    """Delete a table's partitions of rebuilt dates that now have no rows (dynamic overwrite
    leaves a partition it writes nothing to as it was)."""
    for day in dates:
        storage.delete_prefix(partition_key(table, day))


def to_file_order(table_df: DataFrame, table: str) -> DataFrame:
    """The rows as written: all rows of a date in one task (one file per partition), sorted by
    the date and the table's key. On frames built from the date-clustered cache neither step
    costs a shuffle (tests/glue_jobs/test_job_plan.py counts them)."""
    return table_df.repartition(PARTITION_COLUMN).sortWithinPartitions(
        PARTITION_COLUMN, *TABLE_KEYS[table]
    )


def write_table(table_df: DataFrame, storage: Storage, table: str) -> Written:
    """Replace the table's partitions present in `table_df`: staged whole, then published.

    One file per partition: all rows of a date go to one task, sorted by the table's key so
    a rebuild from the same input writes the same rows in the same order. Rows and dates are
    observed during the write itself (no second pass over the data). The write goes to a
    fresh staging folder; only when it has succeeded is each partition's file moved over the
    published one (decision 0106), so a published day never disappears, even if the run dies.
    """
    staging = f"{table_key(table)}{STAGING_PREFIX}{uuid.uuid4().hex}/"
    observation = Observation(f"written_{table}")
    written_dates = F.array_join(
        F.array_sort(F.collect_set(F.col(PARTITION_COLUMN).cast("string"))), DATE_SEPARATOR
    )
    observed = table_df.observe(
        observation, F.count(F.lit(1)).alias("rows"), written_dates.alias("dates")
    )
    (
        to_file_order(observed, table)
        # A fresh folder, written whole: the write states its own mode (static overwrite of
        # the staging folder), whatever the session's partitionOverwriteMode says. The
        # published partitions are replaced by swap.py, never by Spark.
        .write.mode("overwrite")
        .option(OVERWRITE_MODE_OPTION, "static")
        .partitionBy(PARTITION_COLUMN)
        .parquet(storage.uri(staging))
    )
    metrics = observation.get
    dates = [dt.date.fromisoformat(text) for text in metrics["dates"].split(DATE_SEPARATOR) if text]
    publish_partitions(storage, staging, table_key(table), dates)
    storage.delete_prefix(staging.rstrip("/"))  # the folder itself too (a unique name)
    return Written(int(metrics["rows"]), frozenset(dates))


def quarantine_object(storage: Storage, raw_key: str, reason: str, detail: str | None) -> None:
    """Copy a raw object to `quarantine/<reason>/<raw key>` with a `.reason.json` beside it.

    The raw object itself is never touched; the record has no clock in it, so quarantining
    the same object again writes the same bytes.
    """
    target = f"{QUARANTINE_PREFIX}{reason}/{raw_key}"
    storage.copy(raw_key, target)
    record = {"raw_key": raw_key, "reason": reason, "detail": detail}
    storage.write_bytes(f"{target}.reason.json", json.dumps(record, indent=1).encode())


def quarantine_objects(storage: Storage, rejected: Mapping[str, tuple[str, str | None]]) -> None:
    """Quarantine every rejected raw key (key -> (reason, detail))."""
    for raw_key, (reason, detail) in sorted(rejected.items()):
        quarantine_object(storage, raw_key, reason, detail)
