-- Which song held #1 for the longest run of consecutive hours, in each chart?
-- A run is a streak of hourly snapshots exactly one hour apart with the same song at position 1;
-- a missing hourly snapshot ends the run (we cannot tell who was #1 then). Ties all shown.
-- Scans all snapshot_date partitions of chart_entry (only the columns it needs).
WITH number_1 AS (
    SELECT
        playlist_id,
        song_id,
        snapshot_ts,
        snapshot_date,
        -- Constant within a streak of consecutive hours of one song, different across streaks.
        date_add(
            'hour',
            -row_number() OVER (PARTITION BY playlist_id, song_id ORDER BY snapshot_ts),
            snapshot_ts
        ) AS run_key
    FROM chart_entry
    WHERE position = 1
),
runs AS (
    SELECT
        playlist_id,
        song_id,
        count(*) AS hours_at_1,
        min(snapshot_ts) AS run_start,
        max(snapshot_ts) AS run_end
    FROM number_1
    GROUP BY playlist_id, song_id, run_key
),
ranked AS (
    SELECT
        runs.*,
        rank() OVER (PARTITION BY playlist_id ORDER BY hours_at_1 DESC) AS run_rank
    FROM runs
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
    r.hours_at_1,
    r.run_start,
    r.run_end
FROM ranked AS r
LEFT JOIN song_names AS s ON s.song_id = r.song_id
WHERE r.run_rank = 1
ORDER BY r.playlist_id, r.run_start
