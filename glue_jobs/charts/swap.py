"""Publish staged partitions: each partition's file replaced in place, one atomic step each.

Spark's dynamic partition overwrite deletes a partition's folder, then moves the new one in: a
crash between the two left a published day missing until the next run (issue 12). Here Spark
writes a table's rebuilt partitions to a staging folder first; only once that write has
succeeded is each partition's file moved to a fixed name in the partition folder
(`part-00000.snappy.parquet`), replacing the previous one in one step (a rename locally, a copy
over the object in S3). A reader of a partition sees its old file or its new one, never no file
and never both (decision 0106).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from glue_jobs.charts.schemas import PARTITION_COLUMN
from glue_jobs.charts.storage import Storage

PARQUET_SUFFIX = ".parquet"
# A fixed name, so the new file replaces the old one instead of joining it.
PARTITION_FILE = "part-{index:05d}.snappy.parquet"
# Partitions published at once: S3 copies take tens of milliseconds each, mostly waiting.
SWAP_WORKERS = 8


def published_names(count: int) -> list[str]:
    """The file names of a partition of `count` files (one, as the job writes them)."""
    return [PARTITION_FILE.format(index=index) for index in range(count)]


def publish_partition(storage: Storage, staged_folder: str, final_folder: str) -> None:
    """Move the staged Parquet files of one partition over the published ones, then delete
    whatever else the partition folder holds (files of an older layout, checksums).

    The replacement comes first: a partition is never without its rows. A partition whose new
    files outnumber nothing but the old ones (always one file here) has no moment without data.
    """
    staged = sorted(
        info.key
        for info in storage.list_objects(staged_folder)
        if info.key.endswith(PARQUET_SUFFIX) and not _hidden(info.key)
    )
    targets = [f"{final_folder}{name}" for name in published_names(len(staged))]
    for source, target in zip(staged, targets, strict=True):
        storage.replace(source, target)
    for info in list(storage.list_objects(final_folder)):
        if info.key not in targets:
            storage.delete(info.key)


def publish_partitions(
    storage: Storage, staging_folder: str, table_folder: str, dates: Iterable[dt.date]
) -> None:
    """Publish every staged partition of a table (`<folder>snapshot_date=D/`), a few at once."""
    folders = [f"{PARTITION_COLUMN}={day.isoformat()}/" for day in sorted(dates)]
    with ThreadPoolExecutor(max_workers=SWAP_WORKERS) as pool:
        done = [
            pool.submit(publish_partition, storage, staging_folder + f, table_folder + f)
            for f in folders
        ]
        for future in done:
            future.result()


def _hidden(key: str) -> bool:
    return key.rsplit("/", 1)[-1].startswith((".", "_"))
