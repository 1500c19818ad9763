"""The report of `make demo`'s pipeline, opened in headless chromium: no errors, working charts.

The lake is built as `make demo` builds it (the fake Spotify API through the Lambda's code,
the Glue job on local Spark, the crawler's twin), with two playlists so that the comparison
shows. Without chromium the test is skipped, unless REPORT_BROWSER_REQUIRED=1 (CI sets it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import DevTools, chromium, find_chromium

from spotify_etl.catalog import crawl
from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, USER_CHART_PLAYLIST_ID
from spotify_etl.local_ingest import DEFAULT_START, LocalIngestPlan, simulate_hours
from spotify_etl.report.build import ReportRequest, write_report
from spotify_etl.report.source import open_lake_catalog

pytestmark = [pytest.mark.spark, pytest.mark.slow]

REQUIRED_ENV = "REPORT_BROWSER_REQUIRED"
HOURS = 8
TOP = 100
COVER_HOST = "https://i.scdn.co/"
# Client coordinates of song `i`'s point at snapshot `j` in the rank history.
POINT = """(function (i, j) {
  var chart = window.rankHistory, box = chart.svg.getBoundingClientRect();
  var scale = chart.svg.viewBox.baseVal.width / box.width;
  var song = chart.data.songs[i];
  return {x: box.left + chart.scaleX(chart.times[j]) / scale,
          y: box.top + chart.scaleY(song.positions[j]) / scale, name: song.name};
})"""


@pytest.fixture(scope="module")
def demo_report(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make demo`'s pipeline on a test lake, two playlists, reported with --top 100."""
    from glue_jobs.charts.config import JobConfig
    from glue_jobs.charts.pipeline import run

    lake = tmp_path_factory.mktemp("demo") / "lake"
    plan = LocalIngestPlan(
        lake=lake,
        start=DEFAULT_START,
        hours=HOURS,
        playlist_ids=(CHART_PLAYLIST_ID, USER_CHART_PLAYLIST_ID),
        profile="extended",
    )
    assert all(not summary.failed for summary in simulate_hours(plan))
    run(spark, JobConfig(lake_root=str(lake)))
    crawl(lake)
    con = open_lake_catalog(lake)
    try:
        files = write_report(con, ReportRequest(lake=lake, top=TOP))
    finally:
        con.close()
    return files.html


@pytest.fixture
def page(demo_report: Path) -> Iterator[DevTools]:
    executable = find_chromium()
    if executable is None:
        reason = "chromium is not installed (Debian: apt-get install -y chromium)"
        if os.environ.get(REQUIRED_ENV) == "1":
            pytest.fail(f"{reason}, and {REQUIRED_ENV}=1")
        pytest.skip(reason)
    with chromium(executable) as tools:
        tools.open(demo_report.as_uri())
        yield tools


def _problems(tools: DevTools) -> list[str]:
    """Script errors, console errors and warnings, and failed loads other than covers."""
    problems = []
    for event in tools.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            problems.append(str(params["exceptionDetails"]))
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning"):
            problems.append(str(params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            # Offline, Spotify's cover images cannot load: the page shows placeholders.
            if not (entry["source"] == "network" and entry.get("url", "").startswith(COVER_HOST)):
                problems.append(f"{entry['source']}: {entry['text']} {entry.get('url', '')}")
    return problems


def _lines(tools: DevTools, selector: str = "") -> int:
    count: int = tools.evaluate(
        f"document.querySelectorAll('#rank-history path.song-line{selector}').length"
    )
    return count


def _mouse(
    tools: DevTools, kind: str, x: float, y: float, target: str = "window.rankHistory.svg"
) -> None:
    tools.evaluate(
        f"{target}.dispatchEvent(new MouseEvent('{kind}', "
        f"{{clientX: {x}, clientY: {y}, button: 0, bubbles: true}}))"
    )


def test_the_page_loads_without_errors_and_shows_every_section(page: DevTools) -> None:
    assert _problems(page) == []
    assert page.evaluate("document.querySelectorAll('table.chart tbody tr').length") == TOP
    headings = page.evaluate("[...document.querySelectorAll('h2')].map(h => h.textContent)")
    assert headings == [
        "The chart now",
        "New entries",
        "Rank history",
        "Across the playlists",
        "Chart-hours by artist",
        "Entries and exits",
    ]
    assert page.evaluate("document.querySelectorAll('.bars .row').length") > 0


def test_the_rank_history_shows_the_whole_top_n(page: DevTools) -> None:
    # Every song has a line; the top 10 are picked (coloured) at first.
    assert _lines(page) == TOP
    assert _lines(page, ".picked") == 10
    page.evaluate("document.querySelector('#rank-history button[data-show=\"all\"]').click()")
    assert _lines(page, ".picked") == TOP
    first, deepest = map(int, page.evaluate("window.rankHistory.svg.dataset.ranks").split("-"))
    assert first == 1
    assert deepest >= TOP
    ticks = page.evaluate(
        "[...document.querySelectorAll('#rank-history .rank-tick')].map(t => t.textContent)"
    )
    assert ticks[0] == "#1"
    assert "#0" not in ticks
    assert _problems(page) == []


def test_hover_shows_the_song_and_click_or_list_picks_it(page: DevTools) -> None:
    point = page.evaluate(f"{POINT}(0, 0)")
    _mouse(page, "mousemove", point["x"], point["y"])
    tip = "document.querySelector('#rank-history .bump-tip')"
    assert page.evaluate(f"{tip}.style.display") == "block"
    text = page.evaluate(f"{tip}.textContent")
    assert text.startswith("#1 ")
    assert point["name"] in text
    # A click on the hovered line unpicks it; ticking it in the list picks it again.
    _mouse(page, "mousedown", point["x"], point["y"])
    _mouse(page, "mouseup", point["x"], point["y"], target="window")
    assert _lines(page, ".picked") == 9
    page.evaluate("document.querySelector('#rank-history .bump-list input').click()")
    assert _lines(page, ".picked") == 10
    assert _problems(page) == []


def test_dragging_zooms_into_a_time_range_and_double_click_zooms_out(page: DevTools) -> None:
    svg = "window.rankHistory.svg.dataset"
    whole = (page.evaluate(f"{svg}.first"), page.evaluate(f"{svg}.last"))
    start, end = page.evaluate(f"{POINT}(0, 2)"), page.evaluate(f"{POINT}(0, 5)")
    _mouse(page, "mousedown", start["x"], start["y"])
    _mouse(page, "mousemove", end["x"], end["y"])
    _mouse(page, "mouseup", end["x"], end["y"], target="window")
    assert (page.evaluate(f"{svg}.first"), page.evaluate(f"{svg}.last")) == (
        "2026-11-01T02:00:00",
        "2026-11-01T05:00:00",
    )
    _mouse(page, "dblclick", end["x"], end["y"])
    assert (page.evaluate(f"{svg}.first"), page.evaluate(f"{svg}.last")) == whole
    assert whole == ("2026-11-01T00:00:00", f"2026-11-01T0{HOURS - 1}:00:00")
    assert _problems(page) == []
