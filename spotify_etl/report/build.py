"""Build the report: resolve playlist and period, compute, draw, write HTML and PNGs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from spotify_etl.report import compare, data
from spotify_etl.report.chart_now import ChartRow, chart_now, new_entries
from spotify_etl.report.data import Period, Playlist
from spotify_etl.report.page import RankHistory, ReportContent, render_html
from spotify_etl.report.source import ReportError

if TYPE_CHECKING:
    import duckdb

DEFAULT_TOP = 10
ARTIST_BARS = 15
REPORTS_DIR = "reports"
HTML_FILE = "report.html"
RANK_HISTORY_PNG = "rank_history.png"
ARTISTS_PNG = "artist_chart_hours.png"
CHURN_PNG = "entries_exits.png"


@dataclass(frozen=True)
class ReportRequest:
    """What the user asked for; None means "the whole data" / "the default playlist"."""

    lake: Path
    start: date | None = None
    end: date | None = None
    playlist_id: str | None = None
    top: int | None = None  # None: DEFAULT_TOP, or the whole chart when it is shorter
    out: Path | None = None


@dataclass(frozen=True)
class ReportFiles:
    """Where the report was written, and what it covers."""

    html: Path
    images: list[Path]
    playlist: Playlist
    period: Period


def describe_dates(dates: list[date]) -> str:
    """Dates as compact ranges, e.g. `2026-11-01..2026-11-03, 2026-11-05`."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(dates):
        if ranges and day - ranges[-1][1] == timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ", ".join(str(a) if a == b else f"{a}..{b}" for a, b in ranges)


def resolve_playlist(con: duckdb.DuckDBPyConnection, playlist_id: str | None) -> Playlist:
    """The requested playlist, or the one with the most snapshots when none is given.

    Raises:
        ReportError: when chart_entry is empty or the playlist is not in it.
    """
    playlists = data.list_playlists(con)
    if not playlists:
        raise ReportError("chart_entry has no rows: run the Glue job, then `spotify-etl crawl`")
    if playlist_id is None:
        return playlists[0]
    for playlist in playlists:
        if playlist.playlist_id == playlist_id:
            return playlist
    known = ", ".join(f"{p.playlist_id} ({p.name})" for p in playlists)
    raise ReportError(f"--playlist {playlist_id} is not in the lake; known playlists: {known}")


def resolve_period(dates: list[date], start: date | None, end: date | None) -> Period:
    """The period to report on: the given bounds, defaulting to the first and last dates.

    Raises:
        ReportError: when --from is after --to or no snapshot falls inside the period.
    """
    if start is not None and end is not None and start > end:
        raise ReportError(f"--from {start} is after --to {end}")
    period = Period(start or dates[0], end or dates[-1])
    if not any(period.start <= day <= period.end for day in dates):
        if start is not None and end is not None:
            asked = f"between {start} and {end}"
        else:
            asked = f"on or after {start}" if start is not None else f"on or before {end}"
        raise ReportError(
            f"no chart entries {asked}; the lake has snapshots on {describe_dates(dates)}"
        )
    return period


def resolve_chart(
    con: duckdb.DuckDBPyConnection, playlist: Playlist, snapshot_ts: datetime, top: int | None
) -> list[ChartRow]:
    """The chart at `snapshot_ts`, `top` positions deep.

    Raises:
        ReportError: when `top` asks for more positions than the chart has.
    """
    size = data.chart_size(con, playlist.playlist_id, snapshot_ts)
    if top is not None and top > size:
        raise ReportError(
            f"--top {top}: the chart of {playlist.name or playlist.playlist_id} at "
            f"{snapshot_ts:%Y-%m-%d %H:%M} UTC has {size} songs; give --top 1 to {size}"
        )
    return chart_now(con, playlist.playlist_id, snapshot_ts, top or min(DEFAULT_TOP, size))


def collect(con: duckdb.DuckDBPyConnection, request: ReportRequest) -> ReportContent:
    """Compute everything the page shows."""
    playlist = resolve_playlist(con, request.playlist_id)
    dates = data.snapshot_dates(con, playlist.playlist_id)
    period = resolve_period(dates, request.start, request.end)
    snapshot_ts = data.last_snapshot(con, playlist.playlist_id, period)
    chart = resolve_chart(con, playlist, snapshot_ts, request.top)
    snapshots = data.period_snapshots(con, playlist.playlist_id, period)
    index = {ts: i for i, ts in enumerate(snapshots)}
    positions: dict[str, list[int | None]] = {row.song_id: [None] * len(snapshots) for row in chart}
    for ts, song_id, position in data.rank_history(
        con, playlist.playlist_id, period, list(positions)
    ):
        positions[song_id][index[ts]] = position
    playlists = compare.playlist_summaries(con, period)
    return ReportContent(
        playlist=playlist,
        period=period,
        snapshot_ts=snapshot_ts,
        chart=chart,
        new_entries=new_entries(con, playlist.playlist_id, period, snapshot_ts),
        history=RankHistory(snapshots, positions),
        artists=data.chart_hours_by_artist(con, playlist.playlist_id, period, ARTIST_BARS),
        churn=data.churn_per_day(con, playlist.playlist_id, period),
        playlists=playlists,
        shared=compare.shared_songs(con, period) if len(playlists) > 1 else [],
    )


def draw_images(content: ReportContent) -> dict[str, bytes]:
    """The PNG copies of the charts, for slides and chats (the page draws its own)."""
    # matplotlib takes about a second to import: only the report command should pay for it.
    from spotify_etl.report import charts

    history = [
        (ts, song_id, position)
        for song_id, series in content.history.positions.items()
        for ts, position in zip(content.history.snapshots, series, strict=True)
        if position is not None
    ]
    labels = {row.song_id: f"{row.position}. {row.song.name}" for row in content.chart}
    return {
        RANK_HISTORY_PNG: charts.bump_chart(history, labels),
        ARTISTS_PNG: charts.artist_bars(content.artists),
        CHURN_PNG: charts.churn_bars(content.churn),
    }


def write_report(con: duckdb.DuckDBPyConnection, request: ReportRequest) -> ReportFiles:
    """Build the report and write `report.html` and the PNGs.

    The default folder is `<lake>/reports/<from>_<to>/`; a rerun overwrites the same files.
    """
    if request.top is not None and request.top < 1:
        raise ReportError(f"--top must be at least 1, got {request.top}")
    content = collect(con, request)
    period = content.period
    out = request.out or request.lake / REPORTS_DIR / f"{period.start}_{period.end}"
    out.mkdir(parents=True, exist_ok=True)
    images = []
    for name, png in draw_images(content).items():
        (out / name).write_bytes(png)
        images.append(out / name)
    html = out / HTML_FILE
    html.write_text(render_html(content), encoding="utf-8")
    return ReportFiles(html, images, content.playlist, period)
