"""The report's files on the tiny lake: images that decode, a self-contained page, errors."""

from __future__ import annotations

import re
from datetime import date
from html import escape
from pathlib import Path

import duckdb
import numpy as np
import pytest
from matplotlib import image as mpimg
from tiny_chart import PLAYLIST_ID

from spotify_etl.report.build import ReportRequest, describe_dates, write_report
from spotify_etl.report.source import ReportError

PNG_NAMES = ["rank_history.png", "artist_chart_hours.png", "entries_exits.png"]


def _assert_png_has_content(path: Path) -> None:
    pixels = mpimg.imread(path)
    assert pixels.ndim == 3
    colors = np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)
    assert len(colors) > 2, f"{path.name} looks blank"


def test_default_report_covers_the_whole_data(
    tiny_con: duckdb.DuckDBPyConnection, tiny_lake: Path
) -> None:
    files = write_report(tiny_con, ReportRequest(lake=tiny_lake, top=3))

    out = tiny_lake / "reports" / "2026-11-24_2026-11-26"
    assert files.html == out / "report.html"
    assert [image.name for image in files.images] == PNG_NAMES
    for image in files.images:
        assert image.parent == out
        _assert_png_has_content(image)
    page = files.html.read_text(encoding="utf-8")
    assert "2026-11-24 to 2026-11-26" in page
    assert escape("Today's Top Hits") in page
    # The chart at 2026-11-26 00:00: Three, Four, One; Two dropped out.
    for row in ("<td>Three</td><td>Cleo</td>", "<td>Four</td><td>Ben</td>", "<td>One</td>"):
        assert row in page
    assert "<td>Two</td>" not in page
    assert page.count('src="data:image/png;base64,') == 3


def test_report_page_is_self_contained(
    tiny_con: duckdb.DuckDBPyConnection, tiny_lake: Path
) -> None:
    page = write_report(tiny_con, ReportRequest(lake=tiny_lake)).html.read_text(encoding="utf-8")
    assert re.findall(r"""(?:src|href)\s*=\s*["']?(?!data:)[^"'\s>]+""", page) == []
    assert "http://" not in page
    assert "https://" not in page


def test_report_for_one_day_and_a_chosen_folder(
    tiny_con: duckdb.DuckDBPyConnection, tiny_lake: Path, tmp_path: Path
) -> None:
    request = ReportRequest(
        lake=tiny_lake,
        start=date(2026, 11, 25),
        end=date(2026, 11, 25),
        playlist_id=PLAYLIST_ID,
        top=2,
        out=tmp_path / "out",
    )
    files = write_report(tiny_con, request)

    assert files.html == tmp_path / "out" / "report.html"
    page = files.html.read_text(encoding="utf-8")
    assert "2026-11-25 to 2026-11-25" in page
    assert "chart as of\n2026-11-25 01:00 UTC" in page
    assert "<td>Four</td>" in page
    assert "<td>Two</td><td>Ben, Ava</td>" in page
    assert "<td>One</td>" not in page
    assert "1 entries and 1 exits over 1 days" in page


@pytest.mark.parametrize(
    ("request_args", "message"),
    [
        (
            {"start": date(2026, 12, 1)},
            "no chart entries on or after 2026-12-01; "
            "the lake has snapshots on 2026-11-24..2026-11-26",
        ),
        (
            {"start": date(2026, 11, 1), "end": date(2026, 11, 2)},
            "no chart entries between 2026-11-01 and 2026-11-02; "
            "the lake has snapshots on 2026-11-24..2026-11-26",
        ),
        (
            {"start": date(2026, 11, 26), "end": date(2026, 11, 25)},
            "--from 2026-11-26 is after --to 2026-11-25",
        ),
        ({"playlist_id": "nope"}, "--playlist nope is not in the lake; known playlists: "),
        ({"top": 0}, "--top must be at least 1, got 0"),
    ],
)
def test_bad_requests_say_what_is_wrong(
    tiny_con: duckdb.DuckDBPyConnection,
    tiny_lake: Path,
    request_args: dict[str, object],
    message: str,
) -> None:
    with pytest.raises(ReportError, match=re.escape(message)):
        write_report(tiny_con, ReportRequest(lake=tiny_lake, **request_args))  # type: ignore[arg-type]
    assert not (tiny_lake / "reports").exists()


def test_describe_dates_collapses_runs() -> None:
    dates = [date(2026, 11, 5), date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)]
    assert describe_dates(dates) == "2026-11-01..2026-11-03, 2026-11-05"
    assert describe_dates([date(2026, 11, 1)]) == "2026-11-01"
