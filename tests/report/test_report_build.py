"""The report's files on the tiny lake: the page's content, its data, its PNGs, its errors."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path

import duckdb
import numpy as np
import pytest
from curated_lake import IMAGE_URL, SPOTIFY_URL, ChartLake, Song, write_chart_lake
from matplotlib import image as mpimg
from tiny_chart import PLAYLIST_ID, TINY_CHART, VIRAL_CHART

from spotify_etl.catalog import crawl
from spotify_etl.report.build import ReportRequest, describe_dates, write_report
from spotify_etl.report.charts import bump_figure
from spotify_etl.report.source import ReportError, open_lake_catalog

PNG_NAMES = ["rank_history.png", "artist_chart_hours.png", "entries_exits.png"]
_DATA = re.compile(r'<script type="application/json" id="rank-history-data">(.*?)</script>')


def _assert_png_has_content(path: Path) -> None:
    pixels = mpimg.imread(path)
    assert pixels.ndim == 3
    colors = np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)
    assert len(colors) > 2, f"{path.name} looks blank"


def _rows(page: str, table: str) -> list[str]:
    body = page.split(f'<table class="{table}">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-song="([^"]+)"', body)


def _history(page: str) -> dict[str, object]:
    match = _DATA.search(page)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


def _report(lake: Path, **request_args: object) -> str:
    con = open_lake_catalog(lake)
    try:
        files = write_report(con, ReportRequest(lake=lake, **request_args))  # type: ignore[arg-type]
    finally:
        con.close()
    return files.html.read_text(encoding="utf-8")


def test_default_report_covers_the_whole_data(
    tiny_con: duckdb.DuckDBPyConnection, tiny_lake: Path
) -> None:
    files = write_report(tiny_con, ReportRequest(lake=tiny_lake))

    out = tiny_lake / "reports" / "2026-11-24_2026-11-26"
    assert files.html == out / "report.html"
    assert [image.name for image in files.images] == PNG_NAMES
    for image in files.images:
        assert image.parent == out
        _assert_png_has_content(image)
    page = files.html.read_text(encoding="utf-8")
    assert "2026-11-24 to 2026-11-26" in page
    assert escape("Today's Top Hits") in page
    # The chart at 2026-11-26 00:00 is Three, Four, One (the whole chart: shorter than 10).
    assert _rows(page, "chart") == ["s3", "s4", "s1"]
    assert _rows(page, "new-entries") == ["s4"]
    for link in ("track/s3", "artist/a3", "album/al2"):
        assert f'href="{SPOTIFY_URL}{link}"' in page
    assert f'src="{IMAGE_URL}al2"' in page
    for badge in ('"move re-entry"', '"move down" title="was #1">▼ 1', '"move same"'):
        assert badge in page
    assert _history(page)["snapshots"] == [
        "2026-11-24T22:00:00",
        "2026-11-24T23:00:00",
        "2026-11-25T00:00:00",
        "2026-11-25T01:00:00",
        "2026-11-26T00:00:00",
    ]
    assert [(s["id"], s["positions"]) for s in _history(page)["songs"]] == [  # type: ignore[attr-defined]
        ("s3", [3, 3, None, None, 1]),
        ("s4", [None, None, 2, 1, 2]),
        ("s1", [1, 2, 3, 3, 3]),
    ]
    assert "Across the playlists" not in page


def test_report_page_needs_nothing_from_the_network(tiny_lake: Path) -> None:
    page = _report(tiny_lake)

    # Script and style are inline; the only outside addresses are Spotify links and covers.
    assert re.findall(r"<script[^>]*\ssrc=|<link\b|@import|url\((?!#)", page) == []
    sources = re.findall(r'\ssrc="([^"]+)"', page)
    assert sources
    assert all(source.startswith(IMAGE_URL) for source in sources)
    assert all(href.startswith(SPOTIFY_URL) for href in re.findall(r'\shref="([^"]+)"', page))


def test_names_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    name = "</script><script>alert(1)</script> & <b>"
    chart = ChartLake(
        playlist_id=PLAYLIST_ID,
        playlist_name="<i>List</i>",
        hours={datetime(2026, 11, 26, 0, tzinfo=UTC): ["x1"]},
        songs={"x1": Song("x1", name, "al1", ("a1",))},
        albums={"al1": ("<Album>", 2026)},
        artists={"a1": "Ava & Co"},
    )
    lake = tmp_path / "lake"
    write_chart_lake(lake, chart)
    crawl(lake)
    page = _report(lake)

    assert "<script>alert(1)" not in page
    assert "<i>List</i>" not in page
    assert escape(name) in page
    assert _history(page)["songs"][0]["name"] == name  # type: ignore[index]


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
    assert _rows(page, "chart") == ["s4", "s2"]
    assert f'<a href="{SPOTIFY_URL}artist/a2"' in page.split('data-song="s2"', 1)[1]
    assert "1 entries (green, up) and 1 exits (red, down) over\n1 days" in page


def test_several_playlists_are_compared(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    write_chart_lake(lake, TINY_CHART, VIRAL_CHART)
    crawl(lake)
    page = _report(lake)

    section = page.split("<h2>Across the playlists</h2>", 1)[1].split("</section>", 1)[0]
    assert section.index("Today&#x27;s Top Hits") < section.index("<b>Viral</b>")
    shared = section.split('<table class="shared">', 1)[1]
    assert '<th class="num">Today&#x27;s Top Hits</th><th class="num">Viral</th>' in shared
    assert '>One</a></td><td class="num">#3</td><td class="num">#1</td>' in shared


def test_the_png_rank_history_shows_every_rank_of_a_long_chart() -> None:
    start = datetime(2026, 11, 26, 0)
    history = [
        (start + timedelta(hours=h), f"s{p}", p if h == 0 else 101 - p)
        for h in range(2)
        for p in range(1, 101)
    ]
    figure = bump_figure(history, {f"s{p}": f"{p}. Song {p}" for p in range(1, 101)})

    axes = figure.axes[0]
    assert axes.get_ylim() == (100.5, 0.5)
    assert min(axes.get_yticks()) == 1
    labels = [text.get_text() for text in axes.texts]
    assert labels == [f"{p}. Song {p}" for p in range(1, 101)]
    # Each label sits at its song's last rank: one row per rank, none cut off.
    assert sorted(text.xy[1] for text in axes.texts) == list(range(1, 101))


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
        (
            {"top": 4},
            "--top 4: the chart of Today's Top Hits at 2026-11-26 00:00 UTC has 3 songs; "
            "give --top 1 to 3",
        ),
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
