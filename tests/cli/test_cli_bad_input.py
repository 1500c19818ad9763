"""Bad input to the `spotify-etl` commands is refused with one clear line, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from spotify_etl.cli import main


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def test_ingest_into_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_folder = tmp_path / "lake"
    not_a_folder.write_text("x", encoding="utf-8")
    assert main(["ingest", "--lake", str(not_a_folder), "--hours", "2"]) == 2
    assert _error(capsys) == (
        f"spotify-etl ingest: error: --lake {not_a_folder}: this is a file, not a folder\n"
    )


def test_ingest_into_an_uncreatable_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    lake = blocker / "lake"
    assert main(["ingest", "--lake", str(lake), "--hours", "2"]) == 2
    assert _error(capsys).startswith(
        f"spotify-etl ingest: error: --lake {lake}: cannot create the folder: "
    )


@pytest.mark.parametrize("dates", ["", " ", ","])
def test_transform_with_empty_snapshot_dates_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dates: str
) -> None:
    (tmp_path / "raw").mkdir()
    assert main(["transform", "--lake", str(tmp_path), "--snapshot-dates", dates]) == 2
    assert _error(capsys) == (
        "spotify-etl transform: error: --snapshot-dates: give at least one YYYY-MM-DD date\n"
    )
