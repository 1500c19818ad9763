"""SparkSession settings the job relies on wherever it runs (Glue, the local CLI, the tests).

The local session itself is built by `spotify_etl.local_spark`, which never ships.
"""

from __future__ import annotations

from pyspark.sql import SparkSession

# Settings the job relies on wherever it runs (Glue sets none of these for us).
JOB_SPARK_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
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
