-- Which songs entered each chart for the first time today?
-- "Today" is the latest snapshot_date in chart_entry (UTC), not the wall clock. A song is new
-- when its first appearance in that chart, over all the data, is today; on the lake's first
-- day every song is new. entry_position is its best position in its first snapshot.
-- Scans all snapshot_date partitions of chart_entry (playlist_id, song_id, snapshot_ts only).
WITH today AS (
    SELECT max(snapshot_date) AS snapshot_date
    FROM chart_entry
),
first_seen AS (
    SELECT playlist_id, song_id, min(snapshot_ts) AS entered_at
    FROM chart_entry
    GROUP BY playlist_id, song_id
),
entries AS (
    SELECT
        c.playlist_id,
        c.song_id,
        f.entered_at,
        min(c.position) AS entry_position,
        max(c.primary_artist_id) AS primary_artist_id
    FROM chart_entry AS c
    JOIN today AS t ON c.snapshot_date = t.snapshot_date
    JOIN first_seen AS f
        ON f.playlist_id = c.playlist_id
        AND f.song_id = c.song_id
        AND f.entered_at = c.snapshot_ts
    GROUP BY c.playlist_id, c.song_id, f.entered_at
),
song_names AS (
    SELECT song_id, max_by(name, snapshot_date) AS song_name
    FROM song
    GROUP BY song_id
),
artist_names AS (
    SELECT artist_id, max_by(name, snapshot_date) AS artist_name
    FROM artist
    GROUP BY artist_id
)
SELECT
    e.playlist_id,
    e.song_id,
    s.song_name,
    a.artist_name AS primary_artist,
    e.entered_at,
    e.entry_position
FROM entries AS e
LEFT JOIN song_names AS s ON s.song_id = e.song_id
LEFT JOIN artist_names AS a ON a.artist_id = e.primary_artist_id
ORDER BY e.playlist_id, e.entered_at, e.entry_position
