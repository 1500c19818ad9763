"""The report's figures as PNG bytes, drawn with matplotlib's Agg canvas (no display needed)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime

from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from spotify_etl.report.data import ArtistHours, DayChurn

DPI = 110
WIDE = (10.0, 5.5)
LABEL_CHARS = 28
ENTRY_COLOR = "#1db954"
EXIT_COLOR = "#e05d44"


def _png(figure: Figure) -> bytes:
    # A Figure with its own Agg canvas: no pyplot state, safe without a display.
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bump_chart(history: Sequence[tuple[datetime, str, int]], labels: Mapping[str, str]) -> bytes:
    """Rank history of songs: one line per song, rank 1 on top, gaps where a song is out.

    Args:
        history: (snapshot_ts, song_id, position) rows.
        labels: song_id -> label, in legend order.
    """
    snapshots = sorted({snapshot_ts for snapshot_ts, _, _ in history})
    positions = {(snapshot_ts, song_id): pos for snapshot_ts, song_id, pos in history}
    x = mdates.date2num(snapshots)
    figure = Figure(figsize=WIDE)
    axes = figure.add_subplot()
    for song_id, label in labels.items():
        ranks = [positions.get((snapshot_ts, song_id), float("nan")) for snapshot_ts in snapshots]
        axes.plot(x, ranks, marker="o", markersize=3, linewidth=2, label=_short(label))
    deepest = max([len(labels), *(pos for _, _, pos in history)])
    axes.set_ylim(deepest + 0.5, 0.5)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis_date()
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d %H:%M"))
    axes.set_ylabel("chart position")
    axes.set_title(f"Rank history of the top {len(labels)} songs")
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    figure.autofmt_xdate()
    return _png(figure)


def artist_bars(artists: Sequence[ArtistHours]) -> bytes:
    """Horizontal bars of chart-hours per artist, the most charted on top."""
    figure = Figure(figsize=WIDE)
    axes = figure.add_subplot()
    names = [_short(artist.name) for artist in reversed(artists)]
    hours = [artist.chart_hours for artist in reversed(artists)]
    bars = axes.barh(names, hours, color=ENTRY_COLOR)
    axes.bar_label(
        bars, labels=[f"{a.share:.0%}" for a in reversed(artists)], padding=3, fontsize="small"
    )
    axes.set_xlabel("chart-hours (featured credits included); label: share of all entries")
    axes.set_title("Chart-hours by artist")
    return _png(figure)


def churn_bars(days: Sequence[DayChurn]) -> bytes:
    """Entries (up) and exits (down) per day."""
    figure = Figure(figsize=WIDE)
    axes = figure.add_subplot()
    labels = [day.day.isoformat() for day in days]
    axes.bar(labels, [day.entries for day in days], color=ENTRY_COLOR, label="entries")
    axes.bar(labels, [-day.exits for day in days], color=EXIT_COLOR, label="exits")
    axes.axhline(0, color="black", linewidth=0.8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("songs (exits below zero)")
    axes.set_title("Entries and exits per day")
    axes.legend(frameon=False)
    axes.tick_params(axis="x", labelrotation=45)
    return _png(figure)
