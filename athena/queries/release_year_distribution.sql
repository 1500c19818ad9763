-- In which years were the songs that charted in each chart released?
-- Counts distinct songs that ever charted in the chart by their album's release_year (the
-- latest known album row); release_year is null when the album has none. Over all the data.
-- Scans chart_entry (playlist_id, song_id, album_id) and album (album_id, release_year).
WITH charted AS (
    SELECT playlist_id, song_id, max(album_id) AS album_id
    FROM chart_entry
    GROUP BY playlist_id, song_id
),
album_years AS (
    SELECT album_id, max_by(release_year, snapshot_date) AS release_year
    FROM album
    GROUP BY album_id
)
SELECT
    c.playlist_id,
    y.release_year,
    count(*) AS songs
FROM charted AS c
LEFT JOIN album_years AS y ON y.album_id = c.album_id
GROUP BY c.playlist_id, y.release_year
ORDER BY c.playlist_id, y.release_year
