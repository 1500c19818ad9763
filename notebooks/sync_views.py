"""Write the exploration notebook's copy of the chart views (`spotify_etl/chart_views.py`).

On Glue Studio the notebook cannot import the project (decision 0060), so it carries the views'
SQL in one generated cell, the one starting with `MARKER` (decision 0111). `--check` changes
nothing and exits 1 when that cell differs from what this would write.
Usage: python notebooks/sync_views.py [--check] [NOTEBOOK]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

from spotify_etl.chart_views import CHART_VIEWS

DEFAULT_NOTEBOOK = Path(__file__).with_name("chart_exploration.ipynb")
MARKER = "# The chart views shared with `spotify-etl report`"


def cell_source() -> str:
    """The generated cell: the views' SQL, registered as temporary views in dependency order."""
    views = "".join(f'    "{name}": """{sql}""",\n' for name, sql in CHART_VIEWS.items())
    return (
        f"{MARKER} (decision 0111), generated from\n"
        "# spotify_etl/chart_views.py: edit them there, then `python notebooks/sync_views.py`.\n"
        f"CHART_VIEWS = {{\n{views}}}\n"
        "for view_name, view_sql in CHART_VIEWS.items():\n"
        "    spark.sql(view_sql).createOrReplaceTempView(view_name)"
    )


def sync(notebook_path: Path, check: bool) -> bool:
    """Whether the notebook's views cell was up to date; rewrite it unless `check`.

    Raises:
        ValueError: the notebook has no cell, or several, starting with `MARKER`.
    """
    notebook = nbformat.read(notebook_path, as_version=4)
    cells = [cell for cell in notebook.cells if cell.source.startswith(MARKER)]
    if len(cells) != 1:
        raise ValueError(f"{notebook_path}: {len(cells)} cells start with {MARKER!r}, not 1")
    expected = cell_source()
    if cells[0].source == expected:
        return True
    if not check:
        cells[0].source = expected
        nbformat.write(notebook, notebook_path)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Sync (or with --check, compare) the views cell; print what happened."""
    parser = argparse.ArgumentParser(prog="python notebooks/sync_views.py", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if it differs")
    parser.add_argument("notebook", nargs="?", type=Path, default=DEFAULT_NOTEBOOK)
    args = parser.parse_args(argv)
    if sync(args.notebook, args.check):
        print(f"{args.notebook}: the chart views cell is up to date")
        return 0
    if args.check:
        print(f"{args.notebook}: the chart views cell differs: run python notebooks/sync_views.py")
        return 1
    print(f"{args.notebook}: the chart views cell was rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
