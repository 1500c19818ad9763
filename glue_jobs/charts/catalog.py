"""Register written partitions in the Glue Data Catalog, so a new day is queryable at once."""

from __future__ import annotations

import copy
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from glue_jobs.charts.schemas import PARTITION_COLUMN

LOGGER = logging.getLogger(__name__)
# BatchCreatePartition accepts at most 100 partitions per call.
MAX_PARTITIONS_PER_CALL = 100
ALREADY_EXISTS = "AlreadyExistsException"


class CatalogError(RuntimeError):
    """The catalog refused a partition for another reason than "it already exists"."""


def _partition_input(storage_descriptor: Mapping[str, Any], day: dt.date) -> dict[str, Any]:
    descriptor = copy.deepcopy(dict(storage_descriptor))
    location = str(descriptor["Location"]).rstrip("/")
    descriptor["Location"] = f"{location}/{PARTITION_COLUMN}={day.isoformat()}/"
    return {"Values": [day.isoformat()], "StorageDescriptor": descriptor}


def register_partitions(
    database: str,
    dates_by_table: Mapping[str, Sequence[dt.date]],
    client: Any = None,
) -> dict[str, int]:
    """Add missing snapshot_date partitions to tables that exist; return partitions created.

    Tables are created by the crawler (it owns their schema); one that does not exist yet is
    skipped and logged. Partitions that already exist are left as they are.
    """
    if client is None:
        import boto3

        client = boto3.client("glue")
    created: dict[str, int] = {}
    for table, dates in dates_by_table.items():
        try:
            table_def = client.get_table(DatabaseName=database, Name=table)["Table"]
        except client.exceptions.EntityNotFoundException:
            LOGGER.warning(
                "catalog table %s.%s does not exist yet; the crawler creates it", database, table
            )
            continue
        inputs = [_partition_input(table_def["StorageDescriptor"], day) for day in sorted(dates)]
        created[table] = 0
        for start in range(0, len(inputs), MAX_PARTITIONS_PER_CALL):
            batch = inputs[start : start + MAX_PARTITIONS_PER_CALL]
            response = client.batch_create_partition(
                DatabaseName=database, TableName=table, PartitionInputList=batch
            )
            errors = response.get("Errors", [])
            failed = [e for e in errors if e["ErrorDetail"]["ErrorCode"] != ALREADY_EXISTS]
            if failed:
                raise CatalogError(f"{database}.{table}: could not add partitions: {failed}")
            created[table] += len(batch) - len(errors)
    return created
