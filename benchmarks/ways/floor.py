"""Spark's floor on the raw input: what reading alone costs, with no table built.

Two rows of the benchmark: the gzip text read alone, and the read parsed with the job's
declared schema (`item` only, as the job's first parse), exploded, and counted in one
aggregate. Same session, same file-packing settings and same date folders as the job.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from benchmarks.generate import RAW_PREFIX
from glue_jobs.charts.reader import ITEM_PARSE_SCHEMA


def _folders(lake: Path) -> list[str]:
    return sorted(str(folder) for folder in (lake / RAW_PREFIX).glob("snapshot_date=*"))


def _reader(spark: SparkSession) -> Any:
    return spark.read.option("recursiveFileLookup", "true")


def gzip_read(spark: SparkSession, lake: Path) -> dict[str, Any]:
    """Decompress every object and count its characters."""
    text_df: DataFrame = _reader(spark).text(_folders(lake))
    return {"chars": text_df.select(F.sum(F.length("value"))).collect()[0][0]}


def parsed_snapshots(spark: SparkSession, lake: Path) -> DataFrame:
    """Every object parsed by Spark's multiLine JSON reader with the declared schema (`item`
    only, as the job's first parse): no check of any kind."""
    return _reader(spark).schema(ITEM_PARSE_SCHEMA).json(_folders(lake), multiLine=True)


def json_parse(spark: SparkSession, lake: Path) -> dict[str, Any]:
    """Decompress and parse every object with the declared schema, explode, one aggregate."""
    entries = parsed_snapshots(spark, lake).select(F.explode("entries").alias("entry"))
    row = entries.agg(F.count("*"), F.count_distinct("entry.item.id")).collect()[0]
    return {"entries": row[0], "songs": row[1]}


FLOORS: dict[str, Callable[[SparkSession, Path], dict[str, Any]]] = {
    "floor_spark_gzip_read": gzip_read,
    "floor_spark_gzip_json_parse": json_parse,
}
