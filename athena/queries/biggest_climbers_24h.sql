-- Which songs climbed the most positions in the last 24 hours, in each chart?
-- Compares the latest snapshot_ts ("now") with the snapshot exactly 24 hours earlier; only songs
-- in both snapshots count (new entries are in new_entries_today). A song listed twice in one
-- snapshot counts at its best position. Top 10 climbers per chart; no snapshot 24 hours
-- earlier means no rows for that chart. Scans only the two snapshot_date partitions involved.
WITH latest AS (
    SELECT max(snapshot_ts) AS now_ts
    FROM chart_entry
    WHERE snapshot_date = (SELECT max(snapshot_date) FROM chart_entry)
),
bounds AS (
    SELECT
        now_ts,
        now_ts - INTERVAL '24' HOUR AS then_ts,
        CAST(CAST(now_ts AS DATE) AS VARCHAR) AS now_date,
        CAST(CAST(now_ts - INTERVAL '24' HOUR AS DATE) AS VARCHAR) AS then_date
    FROM latest
),
now_positions AS (
    SELECT c.playlist_id, c.song_id, min(c.position) AS position
    FROM chart_entry AS c
    JOIN bounds AS b ON c.snapshot_date = b.now_date AND c.snapshot_ts = b.now_ts
    GROUP BY c.playlist_id, c.song_id
),
then_positions AS (
    SELECT c.playlist_id, c.song_id, min(c.position) AS position
    FROM chart_entry AS c
    JOIN bounds AS b ON c.snapshot_date = b.then_date AND c.snapshot_ts = b.then_ts
    GROUP BY c.playlist_id, c.song_id
),
climbs AS (
    SELECT
        n.playlist_id,
        n.song_id,
        t.position AS position_24h_ago,
        n.position AS position_now,
        t.position - n.position AS climb
    FROM now_positions AS n
    JOIN then_positions AS t ON t.playlist_id = n.playlist_id AND t.song_id = n.song_id
    WHERE t.position > n.position
),
ranked AS (
    SELECT
        climbs.*,
        row_number() OVER (
            PARTITION BY playlist_id ORDER BY climb DESC, position_now, song_id
        ) AS climb_rank
    FROM climbs
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
    r.position_24h_ago,
    r.position_now,
    r.climb
FROM ranked AS r
LEFT JOIN song_names AS s ON s.song_id = r.song_id
WHERE r.climb_rank <= 10
ORDER BY r.playlist_id, r.climb_rank
