"""`spotify-etl crawl`: catalogue the lake's curated tables into the local catalog (Glue twin)."""

from __future__ import annotations

import argparse
import json

from spotify_etl.commands import CommandError, add_lake_argument


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `crawl` command."""
    parser = subparsers.add_parser(
        "crawl",
        help="catalogue curated/ tables and partitions into <lake>/catalog.duckdb",
        description="Discover the tables and partitions under <lake>/curated/ from their Parquet "
        "footers, register them in <lake>/catalog.duckdb (as the Glue crawler would in the Data "
        "Catalog) and report new tables, partitions and columns since the previous crawl.",
    )
    add_lake_argument(parser)
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON instead of a summary"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Crawl `args.lake` and print the report."""
    from spotify_etl.catalog import CatalogError, crawl

    try:
        report = crawl(args.lake)
    except CatalogError as error:
        raise CommandError(str(error)) from error
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))  # noqa: T201
    else:
        print(report.summary())  # noqa: T201
    return 0
