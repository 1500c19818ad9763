"""Write curated tables with pyarrow as the Glue job lays them out (shared by test areas)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import types as T

from glue_jobs.charts.schemas import CURATED_TABLES, PARTITION_COLUMN

# Spark writes TIMESTAMP_MICROS adjusted to UTC (JOB_SPARK_CONF): the same physical type here.
_SCALARS: dict[type[T.DataType], pa.DataType] = {
    T.StringType: pa.string(),
    T.IntegerType: pa.int32(),
    T.LongType: pa.int64(),
    T.BooleanType: pa.bool_(),
    T.DoubleType: pa.float64(),
    T.DateType: pa.date32(),
    T.TimestampType: pa.timestamp("us", tz="UTC"),
}


def _arrow_type(spark_type: T.DataType) -> pa.DataType:
    if isinstance(spark_type, T.ArrayType):
        return pa.list_(_arrow_type(spark_type.elementType))
    return _SCALARS[type(spark_type)]


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a curated table's files (the partition column lives in the path)."""
    return pa.schema(
        [
            pa.field(field.name, _arrow_type(field.dataType), nullable=field.nullable)
            for field in CURATED_TABLES[table].fields
            if field.name != PARTITION_COLUMN
        ]
    )


def write_table(lake: Path, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Write `rows` (dicts with a `snapshot_date` date; absent columns are null) as one
    snappy Parquet file per hive-style `snapshot_date=YYYY-MM-DD` partition."""
    schema = arrow_schema(table)
    by_date: dict[date, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_date.setdefault(row[PARTITION_COLUMN], []).append(row)
    for snapshot_date, date_rows in by_date.items():
        folder = lake / "curated" / table / f"{PARTITION_COLUMN}={snapshot_date.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        columns = {name: [row.get(name) for row in date_rows] for name in schema.names}
        pq.write_table(
            pa.table(columns, schema=schema),
            folder / "part-00000-c000.snappy.parquet",
            compression="snappy",
        )
