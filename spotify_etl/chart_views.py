"""The views over the curated tables that the report and the exploration notebook share.

Each is written once here, in SQL that DuckDB (the report) and Spark SQL (the notebook, on Glue
or locally) both run unchanged: no `qualify`, no engine's own list functions. The report puts
them in a WITH clause (`with_views`); the notebook cannot import this module on Glue, so it holds
a generated copy that registers them as temporary views (`notebooks/sync_views.py` writes it, a
test fails when it differs; decision 0111). The named Athena queries stay standalone files
(decision 0042) and take names from the latest partition with `max_by`, the same rule.
"""

from __future__ import annotations

import re

# Names, links and credits change over time: each dimension row comes from its latest partition.
SONG_LATEST = """
    select song_id, name, album_id, spotify_url from (
        select song_id, name, album_id, spotify_url, row_number() over (
            partition by song_id order by snapshot_date desc, last_seen_ts desc) as rn
        from song) where rn = 1"""
ALBUM_LATEST = """
    select album_id, name, release_year, image_url, spotify_url from (
        select album_id, name, release_year, image_url, spotify_url, row_number() over (
            partition by album_id order by snapshot_date desc, last_seen_ts desc) as rn
        from album) where rn = 1"""
ARTIST_LATEST = """
    select artist_id, name, spotify_url from (
        select artist_id, name, spotify_url, row_number() over (
            partition by artist_id order by snapshot_date desc, last_seen_ts desc) as rn
        from artist) where rn = 1"""
CREDIT_LATEST = """
    select song_id, artist_id, artist_position from (
        select song_id, artist_id, artist_position,
            rank() over (partition by song_id order by snapshot_date desc) as rnk
        from song_artist) where rnk = 1"""
# Chart-hours (decision 0061) over `period_entry`, the chart_entry rows of one playlist and
# period, which each user defines: every hour a song charts counts once for each credited
# artist; songs without credits fall back to their primary artist. The share is over all
# entries of the period, so shares can add up to more than 1. `hours_rank` orders the artists.
ARTIST_CHART_HOURS = """
    select cr.artist_id, coalesce(a.name, cr.artist_id) as artist, count(*) as chart_hours,
        count(*) / (select count(*) from period_entry) as share,
        row_number() over (
            order by count(*) desc, coalesce(a.name, cr.artist_id), cr.artist_id) as hours_rank
    from (
        select coalesce(c.artist_id, e.primary_artist_id) as artist_id
        from period_entry e left join credit_latest c on c.song_id = e.song_id) cr
    left join artist_latest a on a.artist_id = cr.artist_id
    where cr.artist_id is not null
    group by cr.artist_id, a.name"""

# In dependency order: a view uses only those before it (and the curated tables).
CHART_VIEWS: dict[str, str] = {
    "song_latest": SONG_LATEST,
    "album_latest": ALBUM_LATEST,
    "artist_latest": ARTIST_LATEST,
    "credit_latest": CREDIT_LATEST,
    "artist_chart_hours": ARTIST_CHART_HOURS,
}


def with_views(*names: str) -> str:
    """`name as (sql), ...` for a WITH clause: the named views and those they use, in order."""
    wanted = set(names)
    for name in reversed(CHART_VIEWS):
        if name in wanted:
            wanted |= {o for o in CHART_VIEWS if re.search(rf"\b{o}\b", CHART_VIEWS[name])}
    unknown = wanted - set(CHART_VIEWS)
    if unknown:
        raise KeyError(f"no chart view named {', '.join(sorted(unknown))}")
    return ", ".join(f"{name} as ({sql})" for name, sql in CHART_VIEWS.items() if name in wanted)
