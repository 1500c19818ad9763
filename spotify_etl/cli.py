"""The `spotify-etl` command: one sub-command per module in `spotify_etl.commands`."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from spotify_etl import commands


def build_parser() -> argparse.ArgumentParser:
    """Build the parser: each module in `spotify_etl.commands` registers one command."""
    parser = argparse.ArgumentParser(
        prog="spotify-etl",
        description="Run the Spotify charts lake locally: fake API, ingestion, Glue job, "
        "catalog, Athena SQL on DuckDB, reports.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv`, run the chosen command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except commands.CommandError as error:
        print(f"spotify-etl {args.command}: error: {error}", file=sys.stderr)  # noqa: T201
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
