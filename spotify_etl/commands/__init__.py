"""Sub-commands of `spotify-etl`: each module defines `register(subparsers)`.

A module registers one command with `subparsers.add_parser(...)`, calls `add_lake_argument`
on it, and sets `func` (via `set_defaults`) to a callable taking the parsed namespace and
returning an exit code. Raise `CommandError` for a user mistake: the CLI prints it and exits 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_LAKE = Path("lake")
MAX_PORT = 65535


class CommandError(Exception):
    """A user-facing error: bad input or a missing prerequisite, with what to do about it."""


def add_lake_argument(parser: argparse.ArgumentParser) -> None:
    """Add the `--lake DIR` option every command takes (default `./lake`)."""
    parser.add_argument(
        "--lake",
        type=Path,
        default=DEFAULT_LAKE,
        metavar="DIR",
        help="root folder of the local lake (raw/, curated/, quarantine/, state/, catalog) "
        "(default: ./lake)",
    )


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= MAX_PORT:
        raise argparse.ArgumentTypeError(
            f"expected a port from 0 (any free one) to {MAX_PORT}, got {text!r}"
        )
    return port
