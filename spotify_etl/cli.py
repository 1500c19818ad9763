"""The `spotify-etl` command: one sub-command per module in `spotify_etl.commands`.

Building the parser imports every command module, so those modules import their heavy
libraries (Spark, DuckDB, pandas, matplotlib, sqlglot, spotipy, boto3, tqdm) inside the code
that runs the command: `--help` stays fast. Every error a user can fix ends as one line and
exit status 2 (`spotify_etl.user_errors`); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from typing import NoReturn

from spotify_etl import commands
from spotify_etl.user_errors import USER_ERROR_EXIT, report_user_error


class OneLineErrorParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line (no usage block), exit status 2."""

    def error(self, message: str) -> NoReturn:
        """Print `prog: error: message (see prog --help)` and exit 2."""
        self.exit(USER_ERROR_EXIT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the parser: each module in `spotify_etl.commands` registers one command."""
    parser = OneLineErrorParser(
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
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        status = report_user_error(
            f"spotify-etl {args.command}", error, getattr(args, "lake", None)
        )
        if status is None:
            raise
        return status


if __name__ == "__main__":
    sys.exit(main())
