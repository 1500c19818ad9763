-- Which songs left a chart and later came back, and how many times?
-- A song has left when a snapshot of that chart does not list it; an hour without any
-- snapshot of the chart is no evidence either way and does not count as leaving.
-- Scans all snapshot_date partitions of chart_entry (playlist_id, song_id, snapshot_ts only).
WITH playlist_hours AS (
    SELECT
        playlist_id,
        snapshot_ts,
        row_number() OVER (PARTITION BY playlist_id ORDER BY snapshot_ts) AS hour_index
    FROM (SELECT DISTINCT playlist_id, snapshot_ts FROM chart_entry) AS h
),
appearances AS (
    SELECT DISTINCT playlist_id, song_id, snapshot_ts
    FROM chart_entry
),
stays AS (
    SELECT
        a.playlist_id,
        a.song_id,
        a.snapshot_ts,
        -- Constant while the song is in every snapshot of the chart, new after each gap.
        h.hour_index - row_number() OVER (
            PARTITION BY a.playlist_id, a.song_id ORDER BY a.snapshot_ts
        ) AS stay_key
    FROM appearances AS a
    JOIN playlist_hours AS h ON h.playlist_id = a.playlist_id AND h.snapshot_ts = a.snapshot_ts
),
stay_starts AS (
    SELECT playlist_id, song_id, min(snapshot_ts) AS stay_start
    FROM stays
    GROUP BY playlist_id, song_id, stay_key
),
song_names AS (
    SELECT song_id, max_by(name, snapshot_date) AS song_name
    FROM song
    GROUP BY song_id
)
SELECT
    r.playlist_id,
    r.song_id,
    s.song_name,
    count(*) - 1 AS reentries,
    min(r.stay_start) AS first_entered_at,
    max(r.stay_start) AS last_reentered_at
FROM stay_starts AS r
LEFT JOIN song_names AS s ON s.song_id = r.song_id
GROUP BY r.playlist_id, r.song_id, s.song_name
HAVING count(*) > 1
ORDER BY r.playlist_id, reentries DESC, r.song_id
