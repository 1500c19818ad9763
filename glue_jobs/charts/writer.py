"""Write curated tables and quarantine records: every write of the job goes through here."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pyspark.sql import DataFrame, Observation
from pyspark.sql import functions as F

from glue_jobs.charts.schemas import CURATED_TABLES, PARTITION_COLUMN, TABLE_KEYS
from glue_jobs.charts.storage import Storage

CURATED_PREFIX = "curated/"
QUARANTINE_PREFIX = "quarantine/"
# Where Spark's dynamic partition overwrite stages a job's files before moving them in place.
STAGING_PREFIX = ".spark-staging-"
DATE_SEPARATOR = ","


def table_key(table: str) -> str:
    """The folder of a curated table under the lake root."""
    return f"{CURATED_PREFIX}{table}/"


def partition_key(table: str, day: dt.date) -> str:
    """The folder of one snapshot_date partition of a table."""
    return f"{table_key(table)}{PARTITION_COLUMN}={day.isoformat()}/"


def clean_staging(storage: Storage) -> None:
    """Delete staging folders a killed run left behind (the job never runs twice at once)."""
    for table in CURATED_TABLES:
        storage.delete_prefix(f"{table_key(table)}{STAGING_PREFIX}")


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


def write_table(table_df: DataFrame, storage: Storage, table: str) -> Written:
    """Overwrite the table's partitions present in `table_df`.

    One file per partition: all rows of a date go to one task, sorted by the table's key so
    a rebuild from the same input writes the same rows in the same order. Rows and dates are
    observed during the write itself (no second pass over the data).
    """
    observation = Observation(f"written_{table}")
    written_dates = F.array_join(
        F.array_sort(F.collect_set(F.col(PARTITION_COLUMN).cast("string"))), DATE_SEPARATOR
    )
    (
        table_df.observe(observation, F.count(F.lit(1)).alias("rows"), written_dates.alias("dates"))
        .repartition(PARTITION_COLUMN)
        .sortWithinPartitions(PARTITION_COLUMN, *TABLE_KEYS[table])
        .write.mode("overwrite")
        .partitionBy(PARTITION_COLUMN)
        .parquet(storage.uri(table_key(table)))
    )
    metrics = observation.get
    dates = [dt.date.fromisoformat(text) for text in metrics["dates"].split(DATE_SEPARATOR) if text]
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
