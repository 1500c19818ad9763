"""The local SparkSession of the CLI, the notebook's local run, the tests and the benchmarks.

Glue builds its own session; the job's settings (`JOB_SPARK_CONF`) are applied here too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from glue_jobs.charts.spark import JOB_SPARK_CONF

# The heap of the one local JVM (driver and executor in one). 2g ran out of heap on 50
# playlists x 30 days (36,000 objects, 3.6 million entries): the cache of the entries is
# hash-partitioned by date into few partitions (decision 0034); 4g runs it (docs/benchmarks.md
# run 8). A maximum, not a reservation: a day's run uses a fraction of it.
LOCAL_DRIVER_MEMORY = "4g"
# The local JVM's collector: the parallel (throughput) collector instead of G1. A run is one
# batch with no latency to keep: on the year its task threads used about a fifth less CPU
# (G1's write barriers on the parse's many small objects), wall -10% (decision 0113).
LOCAL_DRIVER_JAVA_OPTIONS = "-XX:+UseParallelGC"
# The local file system without Hadoop's checksum layer: it writes a `.crc` file beside every
# file it writes (a second file per partition; the lake keeps neither, swap.py drops them) and
# verifies none on read, since no writer of the raw objects makes one (decision 0113).
LOCAL_FILE_SYSTEM = "org.apache.hadoop.fs.RawLocalFileSystem"


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
        .config("spark.driver.memory", LOCAL_DRIVER_MEMORY)
        .config("spark.driver.extraJavaOptions", LOCAL_DRIVER_JAVA_OPTIONS)
        .config("spark.hadoop.fs.file.impl", LOCAL_FILE_SYSTEM)
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
