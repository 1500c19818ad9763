"""The report as one self-contained HTML page: inline CSS, images as base64 data URIs."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape

from spotify_etl.report.data import ArtistHours, ChartSong, DayChurn, Period, Playlist

RANK_HISTORY_PNG = "rank_history.png"
ARTISTS_PNG = "artist_chart_hours.png"
CHURN_PNG = "entries_exits.png"
IMAGE_ALTS = {
    RANK_HISTORY_PNG: "Rank history of the top songs (bump chart)",
    ARTISTS_PNG: "Chart-hours by artist",
    CHURN_PNG: "Entries and exits per day",
}

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 60rem; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
h1 { margin-bottom: 0.2rem; } .meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #ddd; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; height: auto; display: block; margin: 1rem 0; }
section { margin-bottom: 2.5rem; }
"""


@dataclass(frozen=True)
class ReportContent:
    """Everything the page shows."""

    playlist: Playlist
    period: Period
    snapshot_ts: datetime
    top_songs: list[ChartSong]
    artists: list[ArtistHours]
    churn: list[DayChurn]
    images: Mapping[str, bytes]  # file name (a key of IMAGE_ALTS) -> PNG


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _rows(cells: list[list[tuple[str, bool]]]) -> str:
    return "\n".join(
        "<tr>"
        + "".join(
            f'<td class="num">{escape(c)}</td>' if num else f"<td>{escape(c)}</td>"
            for c, num in row
        )
        + "</tr>"
        for row in cells
    )


def _top_table(songs: list[ChartSong]) -> str:
    rows = [
        [
            (str(song.position), True),
            (song.name, False),
            (song.artists, False),
            ("" if song.release_year is None else str(song.release_year), True),
        ]
        for song in songs
    ]
    return (
        "<table><thead><tr><th>#</th><th>Song</th><th>Artists</th><th>Year</th></tr></thead>"
        f"<tbody>{_rows(rows)}</tbody></table>"
    )


def _artist_table(artists: list[ArtistHours]) -> str:
    rows = [
        [(a.name, False), (str(a.chart_hours), True), (f"{a.share:.1%}", True)] for a in artists
    ]
    return (
        "<table><thead><tr><th>Artist</th><th>Chart-hours</th><th>Share of entries</th></tr>"
        f"</thead><tbody>{_rows(rows)}</tbody></table>"
    )


def render_html(content: ReportContent) -> str:
    """Render the page, with the three images of `content.images` inlined."""
    playlist = content.playlist
    title = (
        f"{playlist.name or playlist.playlist_id}: {content.period.start} to {content.period.end}"
    )
    images = {name: _img(content.images[name], alt) for name, alt in IMAGE_ALTS.items()}
    total_entries = sum(day.entries for day in content.churn)
    total_exits = sum(day.exits for day in content.churn)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{_STYLE}</style></head>
<body>
<h1>{escape(playlist.name or playlist.playlist_id)}</h1>
<p class="meta">Playlist {escape(playlist.playlist_id)} &middot; period
{content.period.start} to {content.period.end} &middot; chart as of
{content.snapshot_ts:%Y-%m-%d %H:%M} UTC</p>
<section><h2>Top {len(content.top_songs)} at the end of the period</h2>
{_top_table(content.top_songs)}</section>
<section><h2>Rank history</h2>{images[RANK_HISTORY_PNG]}</section>
<section><h2>Chart-hours by artist</h2>
<p>Each hour a song is on the chart counts once for every artist it credits, featured
artists included.</p>{images[ARTISTS_PNG]}{_artist_table(content.artists)}</section>
<section><h2>Entries and exits</h2>
<p>{total_entries} entries and {total_exits} exits over {len(content.churn)} days, each
snapshot compared with the one before it.</p>{images[CHURN_PNG]}</section>
</body></html>
"""
