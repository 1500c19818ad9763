"""`spotify-etl query` and `spotify-etl crawl` as a user runs them: output and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spotify_etl.cli import main
from spotify_etl.query import named_queries

TOP_3 = (
    "SELECT position, song_id, snapshot_ts, snapshot_date FROM chart_entry "
    "WHERE playlist_id = 'playlist_1' AND snapshot_date = '2026-11-26' "
    "AND snapshot_ts = TIMESTAMP '2026-11-26 23:00:00' AND position <= 3 ORDER BY position"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_table_format(crawled_lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "--lake", str(crawled_lake), TOP_3)

    assert code == 0
    assert out == (
        "position  song_id  snapshot_ts          snapshot_date\n"
        "--------  -------  -------------------  -------------\n"
        "       1  song_a   2026-11-26 23:00:00  2026-11-26\n"
        "       2  song_e   2026-11-26 23:00:00  2026-11-26\n"
        "       3  song_d   2026-11-26 23:00:00  2026-11-26\n"
        "(3 rows)\n"
    )


def test_csv_format(crawled_lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT release_year, songs FROM (VALUES (2024, 2), (NULL, 8)) AS t(release_year, songs)"
    code, out, _ = run(capsys, "query", "--lake", str(crawled_lake), "--format", "csv", sql)

    assert code == 0
    assert out == "release_year,songs\n2024,2\n,8\n"


def test_json_format(crawled_lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "--lake", str(crawled_lake), "--format", "json", TOP_3)

    assert code == 0
    assert json.loads(out)[0] == {
        "position": 1,
        "song_id": "song_a",
        "snapshot_ts": "2026-11-26T23:00:00",
        "snapshot_date": "2026-11-26",
    }
    assert len(json.loads(out)) == 3


def test_named_query(crawled_lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "query", "--lake", str(crawled_lake), "--named", "reentries", "--format", "csv"
    )

    assert code == 0
    assert out == (
        "playlist_id,song_id,song_name,reentries,first_entered_at,last_reentered_at\n"
        "playlist_1,song_c,Charlie,1,2026-11-25 21:00:00,2026-11-26 01:00:00\n"
        "playlist_1,song_x,XXX,1,2026-11-25 23:00:00,2026-11-26 01:00:00\n"
    )


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "--list")

    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(named_queries())
    assert lines[0].endswith(named_queries()["biggest_climbers_24h"].question)


def test_show_sql_prints_the_duckdb_sql(
    crawled_lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql = "SELECT max_by(song_id, position) AS last_song FROM spotify_charts.chart_entry"
    code, out, err = run(capsys, "query", "--lake", str(crawled_lake), "--show-sql", sql)

    assert code == 0
    assert err == "SELECT ARG_MAX(song_id, position) AS last_song FROM chart_entry\n"
    assert out.splitlines()[2].strip() == "song_c"  # position 12, the lowest


def test_unknown_table_lists_the_known_ones(
    crawled_lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "query", "--lake", str(crawled_lake), "SELECT * FROM charts")

    assert code == 2
    assert out == ""
    assert err.startswith(
        "spotify-etl query: error: unknown table 'charts'. Known tables: album, artist, "
        "chart_entry, song, song_artist"
    )


def test_syntax_error_names_line_column_and_token_in_one_line(
    crawled_lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql = "SELECT song_id\nFROM chart_entry\nWHERE position = = 1"
    code, _, err = run(capsys, "query", "--lake", str(crawled_lake), sql)

    assert code == 2
    assert err == (
        "spotify-etl query: error: SYNTAX_ERROR: line 3:18: mismatched input '='. "
        "Unexpected token\n"
    )


def test_a_misspelt_keyword_gets_a_suggestion(
    crawled_lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "query", "--lake", str(crawled_lake), "SELEC * FROM song")

    assert code == 2
    assert err == (
        "spotify-etl query: error: SYNTAX_ERROR: line 1:1: mismatched input 'SELEC'. Expecting "
        "a statement such as SELECT or WITH (did you mean SELECT?)\n"
    )


def test_duckdb_errors_are_one_line_with_the_sql(
    crawled_lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A Trino function DuckDB lacks: the checks pass it, DuckDB refuses it.
    code, _, err = run(
        capsys, "query", "--lake", str(crawled_lake), "SELECT approx_set(song_id) FROM song"
    )

    assert code == 2
    assert err == (
        "spotify-etl query: error: Catalog Error: Scalar Function with name approx_set does not "
        "exist! (DuckDB, running: SELECT APPROX_SET(song_id) AS _col0 FROM song)\n"
    )


def test_unknown_named_query(crawled_lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "--lake", str(crawled_lake), "--named", "top_5")

    assert code == 2
    assert "no named query 'top_5'. Known: biggest_climbers_24h, current_top_10" in err


def test_query_before_crawl_says_to_crawl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "query", "--lake", str(tmp_path), "SELECT 1")

    assert code == 2
    assert f"no catalog at {tmp_path / 'catalog.duckdb'}: run `spotify-etl crawl" in err


def test_crawl_json_then_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], crawled_lake: Path
) -> None:
    code, out, _ = run(capsys, "crawl", "--lake", str(crawled_lake), "--json")

    assert code == 0
    report = json.loads(out)
    assert report["changed"] is False
    assert report["new_partitions"] == {}
    assert {t["name"]: t["partitions"] for t in report["tables"]} == {
        "album": 2, "artist": 2, "chart_entry": 2, "song": 2, "song_artist": 2,
    }  # fmt: skip

    code, out, err = run(capsys, "crawl", "--lake", str(tmp_path))
    assert code == 2
    assert "does not exist. Run the Glue job first" in err
