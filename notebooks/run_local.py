"""Run a notebook locally: drop the Glue-only cells (tag `glue-magics`), execute the rest.

Usage: python notebooks/run_local.py [--lake DIR] [--out FILE] [NOTEBOOK]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

GLUE_ONLY_TAG = "glue-magics"
DEFAULT_NOTEBOOK = Path(__file__).with_name("chart_exploration.ipynb")
CELL_TIMEOUT_SECONDS = 300


def without_glue_cells(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of `notebook` without the cells tagged `glue-magics` (IPython rejects them)."""
    local = nbformat.from_dict(notebook)
    local.cells = [
        cell
        for cell in local.cells
        if GLUE_ONLY_TAG not in cell.get("metadata", {}).get("tags", [])
    ]
    return local


def execute(notebook_path: Path, params: Mapping[str, str]) -> nbformat.NotebookNode:
    """Execute the notebook's local cells in a python3 kernel of this interpreter.

    Args:
        notebook_path: the .ipynb to run (not modified).
        params: environment variables the parameters cell reads (CHARTS_LAKE, ...).

    Returns:
        the executed notebook, outputs included.
    """
    notebook = without_glue_cells(nbformat.read(notebook_path, as_version=4))
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, **params}
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_SECONDS,
        resources={"metadata": {"path": str(notebook_path.parent)}},
    )
    client.execute(env=env)
    return notebook


def main() -> int:
    """Run the notebook against a local lake and write the executed copy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", type=Path, default=DEFAULT_NOTEBOOK)
    parser.add_argument("--lake", type=Path, default=Path("lake"), help="local lake folder")
    parser.add_argument(
        "--out",
        type=Path,
        help="where to write the executed notebook (default: <lake>/notebooks/<name>.ipynb, "
        "outside git, so outputs never reach a commit)",
    )
    args = parser.parse_args()
    curated = args.lake / "curated"
    if not curated.is_dir():
        # Fail before a kernel and Spark start (about 20 s) and before making folders in a lake
        # that does not exist.
        parser.error(
            f"{curated} does not exist: build the lake first (make demo LAKE={args.lake}) "
            "or pass --lake"
        )
    out = args.out or args.lake / "notebooks" / args.notebook.name
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        executed = execute(args.notebook, {"CHARTS_LAKE": str(args.lake.resolve())})
    except CellExecutionError as error:
        print(f"{args.notebook.name} failed: {error.ename}: {error.evalue}", file=sys.stderr)
        return 1
    nbformat.write(executed, out)
    print(f"executed {args.notebook} against {args.lake}: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
