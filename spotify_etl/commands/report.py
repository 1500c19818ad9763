"""`spotify-etl report`: an HTML page (interactive, self-contained) and PNG charts of a period."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from spotify_etl.commands import CommandError, add_lake_argument
from spotify_etl.report.build import DEFAULT_TOP, ReportRequest, write_report
from spotify_etl.report.source import ReportError, open_lake_catalog


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        # argparse prefixes this with the flag's name: "argument --from: ...".
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `report` command."""
    parser = subparsers.add_parser(
        "report",
        help="write an HTML report: the chart with movement, new entries, rank history, artists",
        description="Write a self-contained HTML page (the chart with movement, peak and hours "
        "on chart, Spotify links and covers, new entries, an interactive rank history, the "
        "playlists compared, artists, entries and exits) and PNG charts for one playlist over a "
        "period, from the local catalog (run `spotify-etl crawl` first).",
    )
    add_lake_argument(parser)
    parser.add_argument(
        "--from",
        dest="start",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="first snapshot date (UTC) to include (default: the first in the lake)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="last snapshot date (UTC) to include (default: the last in the lake)",
    )
    parser.add_argument(
        "--playlist",
        metavar="ID",
        help="playlist id (default: the playlist with the most snapshots)",
    )
    parser.add_argument(
        "--top",
        type=_positive,
        metavar="N",
        help="how many positions of the period's last chart to show and follow, from 1 to the "
        f"chart's size (default: {DEFAULT_TOP}, or the whole chart when it is shorter)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder (default: <lake>/reports/<from>_<to>/)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the report from the local catalog and print where it is."""
    request = ReportRequest(
        lake=args.lake,
        start=args.start,
        end=args.end,
        playlist_id=args.playlist,
        top=args.top,
        out=args.out,
    )
    try:
        con = open_lake_catalog(args.lake)
        try:
            files = write_report(con, request)
        finally:
            con.close()
    except ReportError as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        raise CommandError(f"cannot write the report: {error}; pass another --out") from error
    playlist = files.playlist
    print(  # noqa: T201
        f"report for {playlist.name or playlist.playlist_id} ({playlist.playlist_id}), "
        f"{files.period.start} to {files.period.end}:\n  {files.html}"
        + "".join(f"\n  {image}" for image in files.images)
    )
    return 0
