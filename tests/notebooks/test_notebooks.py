"""Notebooks: committed without outputs, Glue magics tagged, and runnable on a local lake."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from collections import Counter
from pathlib import Path
from types import ModuleType

import nbformat
import pyspark
import pytest
from small_chart import (
    CHART_SIZE,
    HOURS,
    NOTEBOOKS_DIR,
    REPO_ROOT,
    SMALL_CHART,
    chart_at_hour,
)

from deploy.cfn_yaml import TEMPLATES_DIR, load_template

NOTEBOOK = NOTEBOOKS_DIR / "chart_exploration.ipynb"
# The session runs the Glue version the stack's job runs by default (docs/glue-versions.md).
GLUE_VERSION = load_template(TEMPLATES_DIR / "lake.yaml")["Parameters"]["GlueVersion"]["Default"]
SESSION_MAGICS = [
    f"%glue_version {GLUE_VERSION}",
    "%worker_type G.1X",
    "%number_of_workers 2",
    "%idle_timeout 30",
    "%session_id_prefix ",
]


def _committed_notebooks() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    return [REPO_ROOT / line for line in listed.stdout.splitlines()]


def test_committed_notebooks_have_no_outputs() -> None:
    notebooks = _committed_notebooks()
    assert NOTEBOOK in notebooks
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path.name} cell {index} has outputs"
                assert cell.execution_count is None, f"{path.name} cell {index} was executed"


def test_session_magics_come_first_and_are_tagged() -> None:
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    code_cells = [cell for cell in cells if cell.cell_type == "code"]
    first = code_cells[0]
    assert first.metadata.get("tags") == ["glue-magics"]
    for magic in SESSION_MAGICS:
        assert magic in first.source
    tagged = [cell for cell in code_cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    # Only %matplot (defined locally by the notebook) may appear outside the tagged cells.
    for cell in code_cells:
        if "glue-magics" in cell.metadata.get("tags", []):
            continue
        magics = [line for line in cell.source.splitlines() if line.startswith("%")]
        assert set(magics) <= {"%matplot plt"}


def _expected_artist_rows() -> list[list[str]]:
    """Chart-hours per credited artist, counted straight from SMALL_CHART's definition."""
    hours: Counter[str] = Counter()
    for song_ids in SMALL_CHART.hours.values():
        for song_id in song_ids:
            hours.update(SMALL_CHART.songs[song_id].artist_ids)
    entries = sum(len(song_ids) for song_ids in SMALL_CHART.hours.values())
    ranked = sorted(hours.items(), key=lambda item: (-item[1], SMALL_CHART.artists[item[0]]))
    return [
        [SMALL_CHART.artists[artist_id], str(count), f"{count / entries:.1%}"]
        for artist_id, count in ranked
    ]


def _stdout(notebook: nbformat.NotebookNode) -> str:
    return "".join(
        output.text
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    )


def _images(notebook: nbformat.NotebookNode) -> int:
    return sum(
        "image/png" in output.get("data", {})
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def _with_rank_axis_probe(notebook_path: Path, out: Path) -> Path:
    """A copy of the notebook that prints the rank axis right after drawing it."""
    notebook = nbformat.read(notebook_path, as_version=4)
    drawn = next(
        index
        for index, cell in enumerate(notebook.cells)
        if 'set_title(f"Rank history' in cell.source
    )
    probe = nbformat.v4.new_code_cell(
        "low, high = ax.get_ylim()\n"
        "print('rank axis:', low, high, [int(t) for t in ax.get_yticks() if high <= t <= low])"
    )
    notebook.cells.insert(drawn + 1, probe)
    nbformat.write(notebook, out)
    return out


@pytest.mark.spark
@pytest.mark.slow
def test_notebook_runs_on_a_local_lake(
    small_lake: Path, run_local: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As `make explore` runs it, on a copy that also prints the rank axis it drew.
    notebook = _with_rank_axis_probe(NOTEBOOK, tmp_path / NOTEBOOK.name)
    out = tmp_path / "out" / "executed.ipynb"
    argv = ["run_local.py", str(notebook), "--lake", str(small_lake), "--out", str(out)]
    monkeypatch.setattr("sys.argv", argv)
    assert run_local.main() == 0
    executed = nbformat.read(out, as_version=4)

    text = _stdout(executed)
    # The notebook runs on either lane's Spark (3.5.6 here, 4.1.1 with ANSI in make test-glue6).
    assert f"running on local Spark {pyspark.__version__}" in text
    assert "playlist 37i9dQZEVXbMDoHDwVN2tF (Top 50 - Global), 2026-11-25 to 2026-11-26" in text
    assert "Top 10 at 2026-11-26 03:00 UTC" in text
    table = text.split("Top 10 at 2026-11-26 03:00 UTC\n", 1)[1].splitlines()
    assert table[0].split() == ["position", "song", "artists", "release_year"]
    rows = [line.split()[:2] for line in table[1 : CHART_SIZE + 1]]
    expected = [[str(pos), song.name] for pos, song in enumerate(chart_at_hour(HOURS - 1), 1)]
    assert rows == expected
    artists = text.split("of chart entries (overlaps counted)\n", 1)[1].splitlines()
    assert [line.split() for line in artists[1:5]] == _expected_artist_rows()
    assert "12 songs, 4 without a year" in text
    assert _images(executed) == 3
    # The rank axis runs from #1 (on top) to #10: no position 0.
    low, high, *ticks = text.split("rank axis: ", 1)[1].splitlines()[0].replace(",", " ").split()
    assert (float(low), float(high)) == (CHART_SIZE + 0.5, 0.5)
    visible = [int(tick.strip("[]")) for tick in ticks if tick.strip("[]")]
    assert visible
    assert min(visible) >= 1
    # The HTML copy sits next to the executed notebook, figures inline.
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "Rank history of the current top 10" in html
    assert len(re.findall(r'<img[^>]*src="data:image/png;base64,', html)) == 3


def test_runner_refuses_a_lake_without_curated_tables_before_starting_a_kernel(
    run_local: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lake = tmp_path / "no-lake"
    monkeypatch.setattr("sys.argv", ["run_local.py", "--lake", str(lake)])
    assert run_local.main() == 2
    assert capsys.readouterr().err == (
        f"run_local.py: error: {lake / 'curated'} does not exist: build the lake first "
        f"(make demo LAKE={lake}) or pass --lake\n"
    )
    assert not lake.exists()


def test_the_notebooks_chart_views_are_the_reports(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("sync_views", NOTEBOOKS_DIR / "sync_views.py")
    assert spec is not None
    assert spec.loader is not None
    sync_views = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sync_views)
    assert sync_views.sync(NOTEBOOK, check=True), "run: python notebooks/sync_views.py"
    # And the check sees an edit of the notebook's copy.
    edited = nbformat.read(NOTEBOOK, as_version=4)
    [cell] = [cell for cell in edited.cells if cell.source.startswith(sync_views.MARKER)]
    cell.source = cell.source.replace("last_seen_ts desc", "last_seen_ts")
    nbformat.write(edited, tmp_path / NOTEBOOK.name)
    assert not sync_views.sync(tmp_path / NOTEBOOK.name, check=True)
