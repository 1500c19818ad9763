"""Run a notebook locally: drop the Glue-only cells (tag `glue-magics`), execute the rest.

Writes the executed copy (outputs included) and an HTML copy of it next to it.
Usage: python notebooks/run_local.py [--lake DIR] [--out FILE] [NOTEBOOK]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import nbformat

from spotify_etl.commands import CommandError
from spotify_etl.user_errors import report_user_error

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
    from nbclient import NotebookClient

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


def write_html(notebook: nbformat.NotebookNode, path: Path) -> None:
    """Write the executed notebook as one HTML page (figures inline), to read in a browser."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(notebook)
    path.write_text(body, encoding="utf-8")


def check_lake(lake: Path, out: Path) -> None:
    """Before a kernel and Spark start (about 20 s): the lake, the output folder, Java 17.

    Raises:
        CommandError: what is wrong and what to do, in one line.
    """
    from spotify_etl.preflight import check_java, check_tree_readable

    curated = lake / "curated"
    if not curated.is_dir():
        # Checked before making folders in a lake that does not exist.
        raise CommandError(
            f"{curated} does not exist: build the lake first (make demo LAKE={lake}) or pass --lake"
        )
    check_tree_readable(curated)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(
            f"cannot create {out.parent} for the executed notebook: {error.strerror}: make the "
            "lake writable or pass --out"
        ) from None
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise CommandError(
            f"{out.parent} is not writable, and the executed notebook goes there: make the lake "
            "writable or pass --out"
        )
    check_java()


def run(args: argparse.Namespace) -> int:
    """Check, execute, write the executed copy and its HTML."""
    from nbclient.exceptions import CellExecutionError

    out = args.out or args.lake / "notebooks" / args.notebook.name
    check_lake(args.lake, out)
    try:
        executed = execute(args.notebook, {"CHARTS_LAKE": str(args.lake.resolve())})
    except CellExecutionError as error:
        print(f"{args.notebook.name} failed: {error.ename}: {error.evalue}", file=sys.stderr)
        return 1
    nbformat.write(executed, out)
    html = out.with_suffix(".html")
    write_html(executed, html)
    print(f"executed {args.notebook} against {args.lake}: {out} (and {html.name})")
    return 0


def main() -> int:
    """Run the notebook against a local lake; a user error is one line and exit status 2."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", type=Path, default=DEFAULT_NOTEBOOK)
    parser.add_argument("--lake", type=Path, default=Path("lake"), help="local lake folder")
    parser.add_argument(
        "--out",
        type=Path,
        help="where to write the executed notebook (default: <lake>/notebooks/<name>.ipynb, "
        "outside git, so outputs never reach a commit); the HTML copy goes next to it",
    )
    args = parser.parse_args()
    try:
        return run(args)
    except Exception as error:
        status = report_user_error(parser.prog, error, args.lake)
        if status is None:
            raise
        return status


if __name__ == "__main__":
    sys.exit(main())
