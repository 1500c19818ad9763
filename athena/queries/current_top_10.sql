-- What are the top 10 songs of each chart right now (at the latest hourly snapshot)?
-- "Now" is the latest snapshot_ts in chart_entry, not the wall clock, so the answer is
-- reproducible. A chart without a snapshot at that hour is not listed.
-- Scans one snapshot_date partition of chart_entry (the join on the latest date lets Athena
-- prune the others); song and artist names are their latest known values.
WITH latest_date AS (
    SELECT max(snapshot_date) AS snapshot_date
    FROM chart_entry
),
latest_hour AS (
    SELECT max(c.snapshot_ts) AS snapshot_ts
    FROM chart_entry AS c
    JOIN latest_date AS d ON c.snapshot_date = d.snapshot_date
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
    c.playlist_id,
    c.playlist_name,
    c.snapshot_ts,
    c.position,
    c.song_id,
    s.song_name,
    a.artist_name AS primary_artist
FROM chart_entry AS c
JOIN latest_date AS d ON c.snapshot_date = d.snapshot_date
JOIN latest_hour AS h ON c.snapshot_ts = h.snapshot_ts
LEFT JOIN song_names AS s ON s.song_id = c.song_id
LEFT JOIN artist_names AS a ON a.artist_id = c.primary_artist_id
WHERE c.position <= 10
ORDER BY c.playlist_id, c.position
