"""SparkSession settings shared by the Glue job, the local CLI and the tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession

# Settings the job relies on wherever it runs (Glue sets none of these for us).
JOB_SPARK_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    # Rebuild only the snapshot_date partitions a run writes; leave the others untouched.
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    # INT96 is deprecated; Athena and DuckDB read microsecond timestamps natively.
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.parquet.compression.codec": "snappy",
    # No _SUCCESS markers for crawlers to trip over.
    "mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    # Raw objects are about 25 KB. At the default 4 MB "cost to open" a read task gets about
    # 31 of them (282 tasks for a year, each paying Spark's per-task setup); at 1 MiB up to
    # 512 MiB per task it gets hundreds, and Spark still splits at least one task per core.
    "spark.sql.files.openCostInBytes": str(2**20),
    "spark.sql.files.maxPartitionBytes": str(512 * 2**20),
}


def apply_job_conf(spark: SparkSession) -> None:
    """Apply the job's runtime settings to an existing session (as on Glue)."""
    for key, value in JOB_SPARK_CONF.items():
        if key.startswith("mapreduce."):
            spark.sparkContext._jsc.hadoopConfiguration().set(key, value)
        else:
            spark.conf.set(key, value)


def build_local_spark(
    app_name: str = "spotify-charts-local",
    warehouse_dir: Path | None = None,
    cores: int = 2,
    shuffle_partitions: int = 4,
) -> SparkSession:
    """Build a local SparkSession: `local[cores]`, UI off, UTC, few shuffle partitions."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(cores))
        .config("spark.driver.memory", "2g")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
    )
    if warehouse_dir is not None:
        builder = builder.config("spark.sql.warehouse.dir", str(warehouse_dir))
    for key, value in JOB_SPARK_CONF.items():
        if not key.startswith("mapreduce."):
            builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark
