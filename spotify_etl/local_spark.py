"""The local SparkSession of the CLI, the notebook's local run, the tests and the benchmarks.

Glue builds its own session; the job's settings (`JOB_SPARK_CONF`) are applied here too.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from py4j.protocol import Py4JJavaError
from pyspark.sql import SparkSession

from glue_jobs.charts.spark import JOB_SPARK_CONF
from spotify_etl.local_filesystem import (
    NIO_LOCAL_FILE_SYSTEM,
    RAW_LOCAL_FILE_SYSTEM,
    file_system_conf,
)

LOGGER = logging.getLogger(__name__)

# The heap of the one local JVM (driver and executor in one). 2g ran out of heap on 50
# playlists x 30 days (36,000 objects, 3.6 million entries): the cache of the entries is
# hash-partitioned by date into few partitions (decision 0034); 4g runs it (docs/benchmarks.md
# run 8). A maximum, not a reservation: a day's run uses a fraction of it.
LOCAL_DRIVER_MEMORY = "4g"
# The local JVM's collector: the parallel (throughput) collector instead of G1. A run is one
# batch with no latency to keep: on the year its task threads used about a fifth less CPU
# (G1's write barriers on the parse's many small objects), wall -10% (decision 0113).
LOCAL_DRIVER_JAVA_OPTIONS = "-XX:+UseParallelGC"


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
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
    )
    # `file://` without Hadoop's checksum layer, which writes a `.crc` file beside every file
    # and verifies none on read (decision 0113), and without a `chmod` process per file
    # written when a JDK is there to build the java.nio one (decision 0115).
    for key, value in file_system_conf().items():
        builder = builder.config(key, value)
    if warehouse_dir is not None:
        builder = builder.config("spark.sql.warehouse.dir", str(warehouse_dir))
    for key, value in JOB_SPARK_CONF.items():
        if not key.startswith("mapreduce."):
            builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    _check_file_system(spark)
    return spark


def _check_file_system(spark: SparkSession) -> None:
    """Fall back to Hadoop's raw local file system if the java.nio one does not load (a
    session that was already running, or a jar the JVM cannot read)."""
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
    if hadoop_conf.get("fs.file.impl") != NIO_LOCAL_FILE_SYSTEM:
        return
    jvm = spark.sparkContext._jvm
    assert jvm is not None  # a started context has its gateway
    try:
        jvm.java.lang.Class.forName(NIO_LOCAL_FILE_SYSTEM)
    except Py4JJavaError as error:  # ClassNotFoundException: the jar is not on the class path
        LOGGER.warning(
            "%s does not load (%s): local writes use Hadoop's",
            NIO_LOCAL_FILE_SYSTEM,
            error.java_exception.toString(),
        )
        hadoop_conf.set("fs.file.impl", RAW_LOCAL_FILE_SYSTEM)
