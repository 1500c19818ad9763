"""The three ways build the same tables: whole rows equal, row counts equal to a plain oracle."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks import layout
from benchmarks.generate import RAW_PREFIX, GenerateSpec, generate
from benchmarks.ways import cold, duckdb_way, glue_way, pandas_way, spark_bound
from glue_jobs.charts.schemas import CURATED_TABLES
from ingest_lambda.envelope import decode_envelope, entry_content
from spotify_etl.fake_spotify.ids import EDGE_CASE_PLAYLIST_ID
from spotify_etl.fake_spotify.objects import EXTENDED


def _oracle_counts(lake: Path) -> dict[str, int]:
    """Distinct keys per day, straight from the raw envelopes (no pandas, no SQL)."""
    keys: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for path in sorted((lake / RAW_PREFIX).rglob("*.json.gz")):
        envelope = decode_envelope(path.read_bytes())
        day = envelope["snapshot_ts"][:10]
        for entry in envelope["entries"]:
            item = entry_content(entry)
            keys["chart_entry"].add((envelope["snapshot_ts"], str(entry["position"])))
            keys["song"].add((day, item["id"]))
            keys["album"].add((day, item["album"]["id"]))
            for artist in [*item["artists"], *item["album"]["artists"]]:
                keys["artist"].add((day, artist["id"]))
            for artist in item["artists"]:
                keys["song_artist"].add((day, item["id"], artist["id"]))
    return {table: len(keys[table]) for table in CURATED_TABLES}


@pytest.fixture(scope="module")
def duckdb_out(tiny_lake: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("duckdb-way")
    duckdb_way.run(tiny_lake, out)
    return out


def test_duckdb_way_counts_match_the_oracle(tiny_lake: Path, duckdb_out: Path) -> None:
    assert layout.row_counts(duckdb_out) == _oracle_counts(tiny_lake)


def test_pandas_way_writes_the_duckdb_rows(
    tiny_lake: Path, duckdb_out: Path, tmp_path: Path
) -> None:
    result = pandas_way.run(tiny_lake, tmp_path)

    assert result["rows"] == layout.row_counts(duckdb_out)
    for table in CURATED_TABLES:
        assert layout.differing_rows(duckdb_out, tmp_path, table) == (0, 0), table


def test_pandas_tutorial_step_alone_keeps_one_row_per_file(tiny_lake: Path, tmp_path: Path) -> None:
    result = pandas_way.run(tiny_lake, tmp_path)

    # Within-file dedup only: every hourly file contributes its 100 songs again.
    assert result["tutorial_rows"]["song"] == 4 * 100
    assert result["rows"]["song"] < result["tutorial_rows"]["song"]


@pytest.mark.spark
def test_glue_job_writes_the_duckdb_rows(
    spark: object, tiny_lake: Path, duckdb_out: Path, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    shutil.copytree(tiny_lake, lake)

    summary = glue_way.backfill(spark, lake, glue_way.raw_dates(lake, RAW_PREFIX))  # type: ignore[arg-type]

    assert summary["rows_written"] == layout.row_counts(duckdb_out)
    for table in CURATED_TABLES:
        assert layout.differing_rows(duckdb_out, lake / "curated", table) == (0, 0), table


def test_count_check_names_every_disagreeing_table() -> None:
    counts = {table: 10 for table in CURATED_TABLES}
    off = {**counts, "song": 9, "artist": 11}

    with pytest.raises(layout.RowCountMismatchError) as raised:
        layout.check_equal_counts("glue_job", {"glue_job": counts, "pandas": off})

    assert str(raised.value) == (
        "row counts differ:\n"
        "  song: pandas has 9 rows, glue_job has 10\n"
        "  artist: pandas has 11 rows, glue_job has 10"
    )


def test_count_check_passes_equal_counts() -> None:
    counts = {table: 10 for table in CURATED_TABLES}
    layout.check_equal_counts("glue_job", {"glue_job": counts, "duckdb": dict(counts)})


@pytest.mark.spark
def test_glue_job_and_duckdb_agree_on_legacy_bodies_and_edge_cases(
    spark: object, tmp_path: Path
) -> None:
    # Bodies without `item` (pre-2026 shape) and 2026 bodies with a removed track, a local
    # file and an episode: DuckDB reads these bodies a second time, with `track`.
    lake = tmp_path / "lake"
    edge = {"playlist_id": EDGE_CASE_PLAYLIST_ID, "content_id": EDGE_CASE_PLAYLIST_ID}
    generate(GenerateSpec(lake, hours=2, profile=EXTENDED, **edge), workers=1)
    generate(GenerateSpec(lake, hours=2, first_hour=2, **edge), workers=1)
    generate(GenerateSpec(lake, hours=2), workers=1)
    out = tmp_path / "duckdb"

    result = duckdb_way.run(lake, out)
    summary = glue_way.backfill(spark, lake, glue_way.raw_dates(lake, RAW_PREFIX))  # type: ignore[arg-type]

    assert result["legacy_bodies"] == 4
    assert summary["skipped_entries"] == {"episode": 4, "local_file": 4, "null_track": 4}
    assert summary["rows_written"] == result["rows"]
    for table in CURATED_TABLES:
        assert layout.differing_rows(out, lake / "curated", table) == (0, 0), table


@pytest.mark.spark
def test_spark_bound_builds_the_tables_the_oracle_counts(
    spark: object, tiny_lake: Path, tmp_path: Path
) -> None:
    result = spark_bound.five_tables(spark, tiny_lake, tmp_path)  # type: ignore[arg-type]

    assert result["rows"] == _oracle_counts(tiny_lake)
    assert layout.row_counts(tmp_path) == _oracle_counts(tiny_lake)
    assert layout.curated_layout(tmp_path)["chart_entry"]["max_files_per_partition"] == 1


@pytest.mark.spark
def test_a_cold_run_reports_its_seconds_and_what_it_read(tiny_lake: Path, tmp_path: Path) -> None:
    seconds, detail = cold.run_cold("cold_floor_spark_gzip_json_parse", tiny_lake, tmp_path)

    songs = {
        entry_content(entry)["id"]
        for path in (tiny_lake / RAW_PREFIX).rglob("*.json.gz")
        for entry in decode_envelope(path.read_bytes())["entries"]
    }
    assert detail == {"entries": 400, "songs": len(songs)}
    assert seconds > 0


def test_a_failed_cold_run_says_which_and_why(tiny_lake: Path, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"cold run no_such_task failed \(2\).*unknown task"):
        cold.run_cold("no_such_task", tiny_lake, tmp_path)
