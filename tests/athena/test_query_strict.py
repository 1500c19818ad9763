"""Local Athena is strict: what Trino refuses is refused with Athena's message; the rest runs.

The refusals follow Trino's implicit coercions (no varchar to date, timestamp or number); the
accepted queries are the coercions Trino does make (integer to bigint or double, date to
timestamp, NULL to anything) and the date and string functions used on the right types.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spotify_etl.query import QueryError, run_athena_sql

REPO_ROOT = Path(__file__).resolve().parents[2]

REFUSED = {
    "SELECT * FROM chart_entry WHERE snapshot_date = DATE '2026-11-26'": (
        "TYPE_MISMATCH: line 1:33: Cannot apply operator: varchar = date"
    ),
    "SELECT * FROM chart_entry\nWHERE snapshot_ts = '2026-11-26 23:00:00'": (
        "TYPE_MISMATCH: line 2:7: Cannot apply operator: timestamp(3) = varchar(19)"
    ),
    "SELECT * FROM chart_entry WHERE snapshot_ts > '2026-11-26'": (
        "Cannot apply operator: timestamp(3) < varchar(10)"
    ),
    "SELECT * FROM chart_entry WHERE position = '1'": "Cannot apply operator: integer = varchar(1)",
    "SELECT * FROM chart_entry WHERE snapshot_date BETWEEN DATE '2026-11-25' AND "
    "DATE '2026-11-26'": "Cannot check if varchar is BETWEEN date and date",
    "SELECT * FROM chart_entry WHERE snapshot_date IN (DATE '2026-11-25')": (
        "IN value and list items must be the same type or coercible to a common type"
    ),
    "SELECT year(snapshot_date) FROM chart_entry": (
        "FUNCTION_NOT_FOUND: line 1:8: Unexpected parameters (varchar) for function year"
    ),
    "SELECT date_add('day', 1, snapshot_date) FROM chart_entry": (
        "Unexpected parameters (varchar(3), integer, varchar) for function date_add"
    ),
    "SELECT date_diff('hour', snapshot_date, snapshot_ts) FROM chart_entry": (
        "Unexpected parameters (varchar(4), varchar, timestamp(3)) for function date_diff"
    ),
    "SELECT substr(snapshot_ts, 1, 10) FROM chart_entry": (
        "Unexpected parameters (timestamp(3), integer, integer) for function substr"
    ),
    "SELECT sum(song_id) FROM chart_entry": "Unexpected parameters (varchar) for function sum",
    "SELECT position + song_id FROM chart_entry": "Cannot apply operator: integer + varchar",
    "SELECT coalesce(position, 'none') FROM chart_entry": (
        "All COALESCE operands must be the same type or coercible to a common type"
    ),
    "SELECT CASE WHEN position = 1 THEN 'top' ELSE 0 END FROM chart_entry": (
        "All CASE results must be the same type or coercible to a common type"
    ),
    "SELECT * FROM chart_entry WHERE position": (
        "WHERE clause must evaluate to a boolean: actual type integer"
    ),
    "SELECT position FROM chart_entry UNION ALL SELECT song_id FROM song": (
        "column 1 in UNION query has incompatible types: integer, varchar"
    ),
    "SELECT * FROM chart_entry WHERE position LIKE '1%'": (
        "Left side of LIKE expression must evaluate to a varchar (actual: integer)"
    ),
    "SELECT * FROM chart_entry c JOIN song s ON c.snapshot_ts = s.snapshot_date": (
        "Cannot apply operator: timestamp(3) = varchar"
    ),
    "WITH latest AS (SELECT max(snapshot_date) AS day FROM chart_entry)\n"
    "SELECT * FROM chart_entry c JOIN latest l ON c.snapshot_ts = l.day": (
        "TYPE_MISMATCH: line 2:46: Cannot apply operator: timestamp(3) = varchar"
    ),
    "SELECT no_such_column FROM song": (
        "COLUMN_NOT_FOUND: line 1:8: Column 'no_such_column' cannot be resolved"
    ),
}

ACCEPTED = [
    "SELECT * FROM chart_entry WHERE snapshot_date = '2026-11-26'",
    "SELECT * FROM chart_entry WHERE snapshot_date IN ('2026-11-25', '2026-11-26')",
    "SELECT * FROM chart_entry WHERE snapshot_date BETWEEN '2026-11-25' AND '2026-11-26'",
    "SELECT * FROM chart_entry WHERE CAST(snapshot_date AS DATE) = DATE '2026-11-26'",
    "SELECT * FROM chart_entry WHERE date(snapshot_date) >= DATE '2026-11-26'",
    "SELECT * FROM chart_entry WHERE snapshot_ts = TIMESTAMP '2026-11-26 23:00:00'",
    "SELECT * FROM chart_entry WHERE snapshot_ts > DATE '2026-11-26'",
    "SELECT * FROM chart_entry WHERE snapshot_ts BETWEEN TIMESTAMP '2026-11-26 00:00:00' "
    "AND TIMESTAMP '2026-11-27 00:00:00'",
    "SELECT * FROM chart_entry WHERE position = BIGINT '1' OR position < 1.5 OR position = 2e0",
    "SELECT * FROM chart_entry WHERE popularity = NULL OR popularity IS NULL",
    "SELECT song_id, count(*) AS hours FROM chart_entry GROUP BY song_id "
    "HAVING count(*) > min(position)",
    "SELECT coalesce(album_id, 'none'), coalesce(popularity, 0, 1.5) FROM chart_entry",
    "SELECT CASE WHEN position = 1 THEN 1 ELSE 2.5 END, IF(position = 1, 'top', 'rest'), "
    "NULLIF(position, 0) FROM chart_entry",
    "SELECT CASE position WHEN 1 THEN 'one' WHEN 2 THEN 'two' END FROM chart_entry",
    "SELECT snapshot_ts - INTERVAL '1' HOUR, snapshot_ts + INTERVAL '1' DAY, "
    "CAST(snapshot_date AS DATE) + INTERVAL '1' DAY FROM chart_entry",
    "SELECT date_add('day', 1, CAST(snapshot_date AS DATE)), date_add('hour', 1, snapshot_ts), "
    "date_trunc('day', snapshot_ts), year(snapshot_ts), hour(snapshot_ts) FROM chart_entry",
    "SELECT date_diff('hour', min(snapshot_ts), max(snapshot_ts)) FROM chart_entry",
    "SELECT substr(snapshot_date, 1, 7), length(song_id), lower(playlist_id) FROM chart_entry",
    "SELECT sum(position), avg(popularity), count_if(position <= 10), "
    "max_by(song_id, position) FROM chart_entry",
    "SELECT * FROM chart_entry WHERE song_id LIKE 'song_%' AND TRUE",
    "SELECT artist_ids[1], cardinality(artist_ids), contains(artist_ids, 'artist_1') FROM song",
    "SELECT position FROM chart_entry UNION ALL SELECT popularity FROM chart_entry "
    "UNION ALL SELECT NULL",
    "SELECT c.snapshot_ts - s.first_seen_ts FROM chart_entry c "
    "JOIN song s ON s.song_id = c.song_id AND s.snapshot_date = c.snapshot_date",
    "SELECT 1 WHERE 'a' = 'ab'",
    "SELECT table_name FROM glue.tables",
]


@pytest.mark.parametrize("sql", sorted(REFUSED))
def test_athena_refuses_it_so_the_local_twin_does(crawled_lake: Path, sql: str) -> None:
    with pytest.raises(QueryError) as refusal:
        run_athena_sql(crawled_lake, sql)
    message = str(refusal.value)
    assert REFUSED[sql] in message
    assert "\n" not in message
    assert message.rstrip(")").endswith(tuple("abcdefghijklmnopqrstuvwxyz'"))


def test_a_refusal_says_what_athena_says_and_what_to_do(crawled_lake: Path) -> None:
    sql = "SELECT count(*) FROM chart_entry WHERE snapshot_date = DATE '2026-11-26'"
    with pytest.raises(QueryError) as refusal:
        run_athena_sql(crawled_lake, sql)
    assert str(refusal.value) == (
        "TYPE_MISMATCH: line 1:40: Cannot apply operator: varchar = date. Athena refuses this "
        "too: snapshot_date is a varchar partition key, so compare it with a string "
        "('2026-11-01'), and CAST a string before using it as a date or timestamp "
        "(CAST(snapshot_date AS date), TIMESTAMP '2026-11-01 00:00:00')"
    )


@pytest.mark.parametrize("sql", ACCEPTED)
def test_what_trino_accepts_runs(crawled_lake: Path, sql: str) -> None:
    run_athena_sql(crawled_lake, sql)


def _code_blocks(text: str) -> list[str]:
    """The fenced code blocks of a Markdown text."""
    blocks, current = [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def _documented_queries() -> list[str]:
    """Every SQL string the README and docs pass to `spotify-etl query`."""
    queries = []
    for path in [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]:
        for block in _code_blocks(path.read_text(encoding="utf-8")):
            if "spotify-etl query" in block:
                sqls = re.findall(r'"((?:SELECT|WITH)\b[^"]*)"', block)
                queries += [" ".join(sql.split()) for sql in sqls]
    return queries


def test_the_documented_queries_are_found() -> None:
    assert len(_documented_queries()) >= 3


@pytest.mark.parametrize("sql", _documented_queries())
def test_every_documented_query_runs(crawled_lake: Path, sql: str) -> None:
    run_athena_sql(crawled_lake, sql.replace("...", "1"))


@pytest.mark.parametrize(
    ("sql", "columns"),
    [
        ("SELECT count(*) FROM chart_entry", ["_col0"]),
        (
            "SELECT playlist_id, count(*), max(position) AS deepest, c.song_id "
            "FROM chart_entry c GROUP BY playlist_id, c.song_id",
            ["playlist_id", "_col1", "deepest", "song_id"],
        ),
        (
            "SELECT *, 1 FROM song_artist",
            ["song_id", "artist_id", "artist_position", "snapshot_date", "_col4"],
        ),
        ("SELECT CAST(position AS bigint), (position) FROM chart_entry", ["_col0", "position"]),
        ("SELECT 1 AS one, 2 UNION ALL SELECT 3, 4", ["one", "_col1"]),
    ],
)
def test_result_columns_are_named_as_athena_names_them(
    crawled_lake: Path, sql: str, columns: list[str]
) -> None:
    assert run_athena_sql(crawled_lake, sql).columns == columns
