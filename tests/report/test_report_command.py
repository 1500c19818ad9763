"""`spotify-etl report` end to end through the CLI's main()."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from curated_lake import write_chart_lake
from tiny_chart import TINY_CHART

from spotify_etl.catalog import crawl
from spotify_etl.cli import main


def test_report_command_writes_and_prints_the_files(
    tiny_lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--lake", str(tiny_lake), "--from", "2026-11-25", "--top", "2"]) == 0

    out = tiny_lake / "reports" / "2026-11-25_2026-11-26"
    printed = capsys.readouterr().out
    assert printed.splitlines() == [
        f"report for Today's Top Hits ({TINY_CHART.playlist_id}), 2026-11-25 to 2026-11-26:",
        f"  {out / 'report.html'}",
        f"  {out / 'rank_history.png'}",
        f"  {out / 'artist_chart_hours.png'}",
        f"  {out / 'entries_exits.png'}",
    ]
    assert (out / "report.html").is_file()


def test_report_without_catalog_says_to_crawl(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lake = tmp_path / "lake"
    write_chart_lake(lake, TINY_CHART)

    assert main(["report", "--lake", str(lake)]) == 2
    assert f"run `spotify-etl crawl --lake {lake}` first" in capsys.readouterr().err


def test_report_with_an_empty_period_lists_the_dates(
    tiny_lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--lake", str(tiny_lake), "--to", "2026-11-01"]) == 2
    assert capsys.readouterr().err == (
        "spotify-etl report: error: no chart entries on or before 2026-11-01; "
        "the lake has snapshots on 2026-11-24..2026-11-26\n"
    )


@pytest.mark.parametrize(
    ("flag", "value"), [("--from", "2026-13-01"), ("--to", "26/11/2026"), ("--top", "ten")]
)
def test_bad_values_name_the_flag(
    tiny_lake: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--lake", str(tiny_lake), flag, value])
    assert exit_info.value.code == 2
    assert f"argument {flag}: " in capsys.readouterr().err


def test_report_names_tables_missing_from_the_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lake = tmp_path / "lake"
    write_chart_lake(lake, TINY_CHART)
    shutil.rmtree(lake / "curated" / "song_artist")
    shutil.rmtree(lake / "curated" / "album")
    crawl(lake)

    assert main(["report", "--lake", str(lake)]) == 2
    assert capsys.readouterr().err == (
        f"spotify-etl report: error: the catalog of {lake} has no table album, song_artist: "
        f"run the Glue job, then `spotify-etl crawl --lake {lake}`\n"
    )


def test_an_unwritable_out_folder_is_a_clear_error(
    tiny_lake: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["report", "--lake", str(tiny_lake), "--out", str(blocker / "out")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("spotify-etl report: error: cannot write the report: ")
    assert str(blocker / "out") in captured.err
