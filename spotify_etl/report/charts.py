"""The report's figures as PNG bytes, drawn with matplotlib's Agg canvas (no display needed)."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import datetime

from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from spotify_etl.report.data import ArtistHours, DayChurn
from spotify_etl.report.page import PALETTE

DPI = 110
WIDE = (10.0, 5.5)
LABEL_CHARS = 28
ENTRY_COLOR = "#1db954"
EXIT_COLOR = "#e05d44"
RANK_ROW_INCHES = 0.16


def _png(figure: Figure) -> bytes:
    # A Figure with its own Agg canvas: no pyplot state, safe without a display.
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bump_chart(history: Sequence[tuple[datetime, str, int]], labels: Mapping[str, str]) -> bytes:
    """The rank history as PNG bytes (see `bump_figure`)."""
    return _png(bump_figure(history, labels))


def bump_figure(history: Sequence[tuple[datetime, str, int]], labels: Mapping[str, str]) -> Figure:
    """Rank history of songs: one line per song, rank 1 on top, gaps where a song is out.

    Every song gets its label at the end of its line (a legend of 100 entries would not fit),
    and the figure grows with the number of ranks so that each keeps its own row.

    Args:
        history: (snapshot_ts, song_id, position) rows.
        labels: song_id -> label, in rank order.
    """
    snapshots = sorted({snapshot_ts for snapshot_ts, _, _ in history})
    positions = {(snapshot_ts, song_id): pos for snapshot_ts, song_id, pos in history}
    x = mdates.date2num(snapshots)
    deepest = max([len(labels), *(pos for _, _, pos in history)])
    figure = Figure(figsize=(WIDE[0], max(WIDE[1], RANK_ROW_INCHES * deepest)))
    axes = figure.add_subplot()
    for index, (song_id, label) in enumerate(labels.items()):
        ranks = [positions.get((snapshot_ts, song_id), float("nan")) for snapshot_ts in snapshots]
        color = PALETTE[index % len(PALETTE)]
        axes.plot(x, ranks, marker="o", markersize=2.5, linewidth=1.8, color=color)
        last = next(
            ((xi, r) for xi, r in zip(x[::-1], ranks[::-1], strict=True) if not math.isnan(r)),
            None,
        )
        if last is not None:
            axes.annotate(
                _short(label),
                last,
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize="x-small",
                color=color,
                annotation_clip=False,
            )
    # Ranks start at 1: the axis runs from just above #1 to just below the deepest rank.
    axes.set_ylim(deepest + 0.5, 0.5)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    axes.set_yticks(sorted({1, *(t for t in axes.get_yticks() if 1 <= t <= deepest)}))
    axes.xaxis_date()
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d %H:%M"))
    axes.set_ylabel("chart position")
    axes.set_title(f"Rank history of the top {len(labels)} songs")
    axes.grid(axis="y", alpha=0.3)
    figure.autofmt_xdate()
    return figure


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
