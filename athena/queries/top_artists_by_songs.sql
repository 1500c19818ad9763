-- Which artists have the most distinct songs in each chart, featured credits included?
-- Every credited artist of a song counts (song_artist, artist_position 1 = primary), so a
-- featured artist gets the song too; featured_songs counts those where they are not primary.
-- Over all the data. Scans chart_entry (playlist_id, song_id), song_artist and artist.
WITH charted AS (
    SELECT DISTINCT playlist_id, song_id
    FROM chart_entry
),
credits AS (
    SELECT song_id, artist_id, min(artist_position) AS artist_position
    FROM song_artist
    GROUP BY song_id, artist_id
),
artist_names AS (
    SELECT artist_id, max_by(name, snapshot_date) AS artist_name
    FROM artist
    GROUP BY artist_id
)
SELECT
    c.playlist_id,
    cr.artist_id,
    a.artist_name,
    count(*) AS songs,
    count_if(cr.artist_position > 1) AS featured_songs
FROM charted AS c
JOIN credits AS cr ON cr.song_id = c.song_id
LEFT JOIN artist_names AS a ON a.artist_id = cr.artist_id
GROUP BY c.playlist_id, cr.artist_id, a.artist_name
ORDER BY c.playlist_id, songs DESC, a.artist_name, cr.artist_id
