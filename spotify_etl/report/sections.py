"""HTML of the report's sections: the chart now, new entries, playlists compared, artists, churn."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import datetime
from html import escape

from spotify_etl.report.chart_now import NEW, REENTRY, SAME, ChartRow, Link, NewEntry
from spotify_etl.report.compare import PlaylistSummary, SharedSong
from spotify_etl.report.data import ArtistHours, DayChurn

HUES = 360


def link(item: Link, css: str = "") -> str:
    """The name, linked to Spotify when the lake has its URL."""
    cls = f' class="{css}"' if css else ""
    if not item.url:
        return f"<span{cls}>{escape(item.name)}</span>"
    return (
        f'<a{cls} href="{escape(item.url)}" target="_blank" rel="noopener">{escape(item.name)}</a>'
    )


def artist_links(artists: Sequence[Link]) -> str:
    """Every credited artist, each linked, in credit order."""
    return ", ".join(link(artist) for artist in artists)


def cover(url: str | None, key: str, alt: str, css: str = "cover") -> str:
    """The cover image over a coloured placeholder that stays when the image cannot load."""
    hue = zlib.crc32(key.encode()) % HUES
    initial = escape(alt[:1].upper() or "?")
    image = (
        f'<img class="cover-img" src="{escape(url)}" alt="{escape(alt)}" loading="lazy" '
        'referrerpolicy="no-referrer">'
        if url
        else ""
    )
    return f'<span class="{css}" style="--hue: {hue}" aria-hidden="true">{initial}{image}</span>'


def movement_badge(row: ChartRow) -> str:
    """▲ n, ▼ n, =, NEW or RE, with the previous position in the tooltip."""
    if row.movement == NEW:
        return '<span class="move new" title="first time on this chart">NEW</span>'
    if row.movement == REENTRY:
        return '<span class="move re-entry" title="back on the chart">RE</span>'
    if row.movement == SAME:
        return '<span class="move same" title="same position as the previous snapshot">=</span>'
    assert row.previous_position is not None
    steps = abs(row.previous_position - row.position)
    arrow = "▲" if row.position < row.previous_position else "▼"
    return (
        f'<span class="move {row.movement}" title="was #{row.previous_position}">'
        f"{arrow} {steps}</span>"
    )


def chart_table(rows: Sequence[ChartRow]) -> str:
    """The current chart: position, movement, cover, song, artists, album, peak, hours."""
    body = "\n".join(
        f'<tr data-song="{escape(row.song_id)}"><td class="pos">{row.position}</td>'
        f"<td>{movement_badge(row)}</td>"
        f"<td>{cover(row.cover_url, row.album.name or row.song_id, row.song.name)}</td>"
        f"<td>{link(row.song, 'song')}<br>"
        f'<span class="artists">{artist_links(row.artists)}</span></td>'
        f'<td class="album">{link(row.album)}'
        f"{'' if row.release_year is None else f' ({row.release_year})'}</td>"
        f'<td class="num">{row.peak}</td><td class="num">{row.hours_on_chart}</td></tr>'
        for row in rows
    )
    return (
        '<table class="chart"><thead><tr><th class="num">#</th><th>move</th><th></th>'
        '<th>song</th><th>album</th><th class="num">peak</th><th class="num">hours on chart</th>'
        f"</tr></thead><tbody>\n{body}\n</tbody></table>"
    )


def new_entries_table(entries: Sequence[NewEntry]) -> str:
    """Songs that entered the chart in the period, best peak first."""
    if not entries:
        return '<p class="note">No song entered the chart for the first time in this period.</p>'
    body = "\n".join(
        f'<tr data-song="{escape(e.song_id)}">'
        f"<td>{cover(e.cover_url, e.song_id, e.song.name)}</td>"
        f"<td>{link(e.song, 'song')}<br>"
        f'<span class="artists">{artist_links(e.artists)}</span></td>'
        f'<td>{_when(e.entered_at)}</td><td class="num">#{e.entry_position}</td>'
        f'<td class="num">#{e.peak}</td>'
        f'<td class="num">{"left" if e.position_now is None else f"#{e.position_now}"}</td></tr>'
        for e in entries
    )
    return (
        '<table class="new-entries"><thead><tr><th></th><th>song</th><th>entered</th>'
        '<th class="num">entered at</th><th class="num">peak</th><th class="num">now</th>'
        f"</tr></thead><tbody>\n{body}\n</tbody></table>"
    )


def playlists_table(playlists: Sequence[PlaylistSummary], current_id: str) -> str:
    """One row per playlist: snapshots, songs, chart size and #1 at its last snapshot."""
    current = ' class="current"'
    body = "\n".join(
        f"<tr{current if p.playlist_id == current_id else ''}>"
        f'<td><b>{escape(p.name)}</b><br><span class="note">{escape(p.playlist_id)}</span></td>'
        f'<td class="num">{p.snapshots}</td><td class="num">{p.songs}</td>'
        f'<td class="num">{p.chart_size}</td><td>{link(p.number_one, "song")}</td>'
        f"<td>{_when(p.last_snapshot)}</td></tr>"
        for p in playlists
    )
    return (
        '<table class="playlists"><thead><tr><th>playlist</th><th class="num">snapshots</th>'
        '<th class="num">songs</th><th class="num">chart size</th><th>#1</th>'
        f"<th>last snapshot</th></tr></thead><tbody>\n{body}\n</tbody></table>"
    )


def shared_table(shared: Sequence[SharedSong], playlists: Sequence[PlaylistSummary]) -> str:
    """Songs on several playlists' last charts, with their position in each."""
    if not shared:
        return '<p class="note">No song is on the last chart of more than one playlist.</p>'
    head = "".join(f'<th class="num">{escape(p.name)}</th>' for p in playlists)
    body = "\n".join(
        f"<tr><td>{link(song.song, 'song')}</td>"
        + "".join(
            f'<td class="num">{_rank(song.positions.get(p.playlist_id))}</td>' for p in playlists
        )
        + "</tr>"
        for song in shared
    )
    return (
        f'<table class="shared"><thead><tr><th>song</th>{head}</tr></thead>'
        f"<tbody>\n{body}\n</tbody></table>"
    )


def artist_bars(artists: Sequence[ArtistHours]) -> str:
    """Horizontal bars of chart-hours per artist, with the share of all entries."""
    most = max((a.chart_hours for a in artists), default=1)
    rows = "\n".join(
        f'<div class="row"><span>{escape(a.name)}</span>'
        f'<span class="bar" style="width: {100 * a.chart_hours / most:.1f}%" '
        f'title="{a.chart_hours} chart-hours"></span>'
        f'<span class="value">{a.chart_hours} · {a.share:.0%}</span></div>'
        for a in artists
    )
    return f'<div class="bars">{rows}</div>'


def churn_bars(days: Sequence[DayChurn]) -> str:
    """Entries (up, green) and exits (down, red) per day."""
    most = max([1, *(max(d.entries, d.exits) for d in days)])
    columns = "".join(
        f'<div class="day" title="{d.day}: {d.entries} entries, {d.exits} exits">'
        f'<div class="half in"><div class="b" style="height: {100 * d.entries / most:.1f}%">'
        f'</div></div><div class="half out"><div class="b" style="height: '
        f'{100 * d.exits / most:.1f}%"></div></div></div>'
        for d in days
    )
    first, last = (days[0].day, days[-1].day) if days else ("", "")
    return (
        f'<div class="churn">{columns}</div>'
        f'<div class="churn-axis"><span>{first}</span><span>{last}</span></div>'
    )


def _rank(position: int | None) -> str:
    return "" if position is None else f"#{position}"


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"
