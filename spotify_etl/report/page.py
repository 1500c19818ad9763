"""The report as one self-contained HTML page: inline CSS, inline JS, the data as inline JSON.

Nothing is fetched to make the page work: the rank history is drawn by `report.js` from the
JSON in the page. Only links (to Spotify) and cover images (Spotify's image URLs, with a
placeholder when offline) point outside.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path

from spotify_etl.report import sections
from spotify_etl.report.chart_now import SAME, ChartRow, NewEntry
from spotify_etl.report.compare import PlaylistSummary, SharedSong
from spotify_etl.report.data import ArtistHours, DayChurn, Period, Playlist

ASSETS = Path(__file__).resolve().parent
INITIAL_LINES = 10
SHOW_BUTTONS = (10, 25, 50)
# Line colours of the rank history, in rank order: the page and the PNG use the same.
PALETTE = (
    "#1db954", "#e8115b", "#2d6cdf", "#f59b23", "#9a52c7", "#148a8a", "#d2422d", "#5a8f29",
    "#c5299b", "#1e3264", "#ba5d07", "#477d95", "#8c1932", "#27856a", "#503750", "#e1118b",
    "#777777", "#0d73ec", "#af2896", "#a56752",
)  # fmt: skip


@dataclass(frozen=True)
class RankHistory:
    """Positions of the followed songs at every snapshot of the period (None: off the chart)."""

    snapshots: list[datetime]
    positions: dict[str, list[int | None]]  # song_id -> one position per snapshot


@dataclass(frozen=True)
class ReportContent:
    """Everything the page shows."""

    playlist: Playlist
    period: Period
    snapshot_ts: datetime
    chart: list[ChartRow]
    new_entries: list[NewEntry]
    history: RankHistory
    artists: list[ArtistHours]
    churn: list[DayChurn]
    playlists: list[PlaylistSummary] = field(default_factory=list)
    shared: list[SharedSong] = field(default_factory=list)


def history_json(chart: Sequence[ChartRow], history: RankHistory) -> str:
    """The rank history as the JSON `report.js` reads, safe inside a <script> element."""
    payload = {
        "snapshots": [f"{ts:%Y-%m-%dT%H:%M:%S}" for ts in history.snapshots],
        "initial": min(INITIAL_LINES, len(chart)),
        "palette": PALETTE,
        "maxRank": max([len(chart), *(p for ps in history.positions.values() for p in ps if p)]),
        "songs": [
            {
                "id": row.song_id,
                "label": f"{row.position}. {row.song.name}",
                "name": row.song.name,
                "artists": ", ".join(artist.name for artist in row.artists),
                "positions": history.positions.get(row.song_id, []),
            }
            for row in chart
        ],
    }
    # "</script>" or "<!--" in a song name must not end the element: escape every "<".
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _hero(content: ReportContent) -> str:
    playlist = content.playlist
    name = playlist.name or playlist.playlist_id
    number_one = content.chart[0] if content.chart else None
    lead = ""
    if number_one is not None:
        art = sections.cover(
            number_one.cover_url, number_one.album.name, number_one.song.name, "cover hero-cover"
        )
        lead = (
            f"{art}<div><p>Number one right now</p><h1>{sections.link(number_one.song)}</h1>"
            f"<p>{sections.artist_links(number_one.artists)} · {number_one.hours_on_chart} hours "
            "on the chart</p></div>"
        )
    moved = sum(row.movement != SAME for row in content.chart)
    return f"""<header class="hero"><div class="inner">{lead}
<div><p><b>{escape(name)}</b></p>
<p>{content.period.start} to {content.period.end} · chart as of
{content.snapshot_ts:%Y-%m-%d %H:%M} UTC</p>
<div class="stats"><div><b>{len(content.chart)}</b>songs followed</div>
<div><b>{len(content.new_entries)}</b>new this period</div>
<div><b>{moved}</b>moved since the previous hour</div>
<div><b>{len(content.history.snapshots)}</b>hourly snapshots</div></div></div>
</div></header>"""


def _rank_history(content: ReportContent) -> str:
    count = len(content.chart)
    data = history_json(content.chart, content.history)
    buttons = "".join(
        f'<button type="button" data-show="{n}">top {n}</button>' for n in SHOW_BUTTONS if n < count
    )
    return f"""<section><h2>Rank history</h2>
<p class="note">Every song of the chart above, hour by hour; a gap means it was off the chart.
Hover a line for the song and its position, click it (or tick it in the list) to pick it,
drag across the chart to zoom into a time range, double-click to zoom out.</p>
<div id="rank-history" class="bump">
<div class="bump-controls">{buttons}<button type="button" data-show="all">all {count}</button>
<button type="button" data-show="0">none</button>
<button type="button" class="zoom-out">zoom out</button>
<button type="button" class="reset">whole period</button>
<input type="search" placeholder="find a song" aria-label="find a song"></div>
<div class="bump-layout"><div class="bump-plot"><div class="bump-tip"></div></div>
<div class="bump-list"></div></div>
<noscript><p>The interactive chart needs JavaScript: rank_history.png next to this page
shows the same lines.</p></noscript></div>
<script type="application/json" id="rank-history-data">{data}</script>
</section>"""


def _playlists(content: ReportContent) -> str:
    if len(content.playlists) < 2:
        return ""
    return f"""<section><h2>Across the playlists</h2>
<p class="note">Each playlist in the period, and the songs on the last chart of more than one
(positions at each playlist's last snapshot of the period).</p>
{sections.playlists_table(content.playlists, content.playlist.playlist_id)}
<h3>On several charts</h3>{sections.shared_table(content.shared, content.playlists)}</section>"""


def render_html(content: ReportContent) -> str:
    """Render the page."""
    playlist = content.playlist
    title = (
        f"{playlist.name or playlist.playlist_id}: {content.period.start} to {content.period.end}"
    )
    style = (ASSETS / "report.css").read_text(encoding="utf-8")
    script = (ASSETS / "report.js").read_text(encoding="utf-8")
    total_entries = sum(day.entries for day in content.churn)
    total_exits = sum(day.exits for day in content.churn)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{style}</style></head>
<body>
{_hero(content)}
<main>
<section><h2>The chart now</h2>
<p class="note">Top {len(content.chart)} of {escape(playlist.name or playlist.playlist_id)} at
{content.snapshot_ts:%Y-%m-%d %H:%M} UTC. Movement is against the playlist's previous snapshot;
peak and hours on chart count its whole history up to now.</p>
{sections.chart_table(content.chart)}</section>
<section><h2>New entries</h2>
<p class="note">Songs that joined the chart for the first time between {content.period.start}
and {content.period.end}, best peak first (the songs of the very first snapshot are not new:
that is when watching began).</p>
{sections.new_entries_table(content.new_entries)}</section>
{_rank_history(content)}
{_playlists(content)}
<section><h2>Chart-hours by artist</h2>
<p class="note">Each hour a song is on the chart counts once for every artist it credits, featured
artists included; the share is of all chart entries of the period.</p>
{sections.artist_bars(content.artists)}</section>
<section><h2>Entries and exits</h2>
<p class="note">{total_entries} entries (green, up) and {total_exits} exits (red, down) over
{len(content.churn)} days, each snapshot compared with the one before it.</p>
{sections.churn_bars(content.churn)}</section>
<footer>Made by <code>spotify-etl report</code> from the local lake's catalog.
Song, artist and album names link to Spotify.</footer>
</main>
<script>{script}</script>
</body></html>
"""
