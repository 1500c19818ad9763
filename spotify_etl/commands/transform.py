"""`spotify-etl transform`: run the Glue job's pipeline locally on the folder lake."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from spotify_etl.commands import CommandError, add_lake_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `transform` command."""
    parser = subparsers.add_parser(
        "transform",
        help="rebuild the curated tables from raw snapshots (the Glue job, on local Spark)",
        description="Run the Glue job's pipeline on local Spark: rebuild the curated "
        "snapshot_date partitions whose raw objects changed since the last run, or the dates "
        "given. Prints the run summary as JSON.",
    )
    add_lake_argument(parser)
    parser.add_argument(
        "--snapshot-dates",
        metavar="DATES",
        help="backfill: comma-separated YYYY-MM-DD dates to rebuild",
    )
    parser.add_argument("--from-date", metavar="DATE", help="backfill from this date (inclusive)")
    parser.add_argument("--to-date", metavar="DATE", help="backfill to this date (inclusive)")
    parser.set_defaults(func=run_command)


def run_command(args: argparse.Namespace) -> int:
    """Validate the options with the job's own rules, run the pipeline, print the summary."""
    from glue_jobs.charts.config import ConfigError, build_config

    if args.snapshot_dates is not None and not args.snapshot_dates.strip(", "):
        # An empty value would otherwise mean "no backfill": an incremental run nobody asked for.
        raise CommandError("--snapshot-dates: give at least one YYYY-MM-DD date")
    options = {
        "lake_root": str(args.lake),
        "snapshot_dates": args.snapshot_dates or "",
        "from_date": args.from_date or "",
        "to_date": args.to_date or "",
    }
    try:
        config = build_config(options)
    except ConfigError as error:
        # The job names its flags with underscores; the CLI spells them with dashes.
        raise CommandError(str(error).replace("_date", "-date")) from None
    if not (args.lake / "raw").is_dir():
        raise CommandError(
            f"{args.lake}/raw does not exist: ingest first (spotify-etl ingest --lake {args.lake})"
        )
    check_before_spark(args.lake)
    from glue_jobs.charts.pipeline import run
    from spotify_etl.local_spark import build_local_spark
    from spotify_etl.spark_progress import SparkProgress

    logging.basicConfig(level=logging.WARNING)
    spark = build_local_spark(app_name="spotify-etl-transform")
    try:
        # Progress (phase, tasks done) on stderr; the summary alone on stdout.
        with SparkProgress(spark, "transform") as progress:
            summary = run(spark, config, on_phase=progress.on_phase)
    finally:
        spark.stop()
    json.dump(summary, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def check_before_spark(lake: Path) -> None:
    """Java 17, a readable raw/ and writable outputs, before Spark takes its 20 s to start."""
    from glue_jobs.charts.raw_keys import RAW_PREFIX
    from glue_jobs.charts.state import STATE_KEY
    from glue_jobs.charts.writer import CURATED_PREFIX, QUARANTINE_PREFIX
    from spotify_etl.preflight import check_java, check_tree_readable, check_tree_writable

    check_java()
    check_tree_readable(lake / RAW_PREFIX)
    outputs = [prefix.split("/", 1)[0] for prefix in (CURATED_PREFIX, QUARANTINE_PREFIX, STATE_KEY)]
    check_tree_writable(lake, outputs)
