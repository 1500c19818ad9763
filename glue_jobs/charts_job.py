"""AWS Glue entry script: resolve arguments, run the charts pipeline once, commit the job."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from glue_jobs.charts.config import (
    REQUIRED_ARGS,
    JobConfig,
    build_config,
    optional_args_present,
    refuse_abbreviations,
)


def parse_job_args(argv: Sequence[str]) -> tuple[dict[str, str], JobConfig]:
    """Resolve Glue's `--name value` arguments into (resolved options, validated config).

    `getResolvedOptions` fails on any name it is given that is absent, so optional
    arguments are asked for only when present in `argv`, by their full names.
    """
    from awsglue.utils import getResolvedOptions

    refuse_abbreviations(argv)
    names = [*REQUIRED_ARGS, *optional_args_present(argv)]
    resolved: dict[str, str] = getResolvedOptions(list(argv), names)
    return resolved, build_config(resolved)


def main(argv: Sequence[str] | None = None) -> dict[str, object]:
    """Run the job on Glue and return the run summary."""
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from pyspark.context import SparkContext

    from glue_jobs.charts.pipeline import run
    from glue_jobs.charts.spark import apply_job_conf

    # Glue may have configured the root logger already; the summary line must still show.
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("glue_jobs").setLevel(logging.INFO)
    resolved, config = parse_job_args(sys.argv if argv is None else argv)
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    apply_job_conf(spark)
    job = Job(glue_context)
    job.init(resolved["JOB_NAME"], resolved)
    summary = run(spark, config)
    job.commit()
    return summary


if __name__ == "__main__":
    main()
