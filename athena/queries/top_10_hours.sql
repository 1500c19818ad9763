-- How many hours has each song spent in the top 10 of each chart?
-- Counts hourly snapshots with the song at position 10 or better (a song listed twice in one
-- snapshot counts once); songs never in the top 10 are not listed. best_position is its best.
-- Scans all snapshot_date partitions of chart_entry.
WITH top_10 AS (
    SELECT playlist_id, song_id, count(DISTINCT snapshot_ts) AS hours_in_top_10,
        min(position) AS best_position
    FROM chart_entry
    WHERE position <= 10
    GROUP BY playlist_id, song_id
),
song_names AS (
    SELECT song_id, max_by(name, snapshot_date) AS song_name
    FROM song
    GROUP BY song_id
)
SELECT
    t.playlist_id,
    t.song_id,
    s.song_name,
    t.hours_in_top_10,
    t.best_position
FROM top_10 AS t
LEFT JOIN song_names AS s ON s.song_id = t.song_id
ORDER BY t.playlist_id, t.hours_in_top_10 DESC, t.best_position, t.song_id
