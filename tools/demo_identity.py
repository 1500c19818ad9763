"""Run `make demo`'s pipeline from a base revision and from the work tree; compare the lakes.

The check for a change that must not change any output (a refactoring): both trees land the
same simulated hours through their own `spotify-etl ingest` and build the curated tables with
their own `spotify-etl transform`, each into a lake of its own, using this checkout's virtualenv.
Every file under raw/, curated/ and quarantine/ must then be byte-identical. Parquet part files
carry a random id per write in their names (`part-00000-<uuid>.c000.snappy.parquet`), so they
are matched by table, partition and part number; their bytes are compared whole.

    python -m tools.demo_identity --base main     # or: make demo-identity BASE=main
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# What the pipeline writes and the check compares (state/ holds file mtimes, the catalog and the
# report come after the curated tables and from them).
COMPARED_FOLDERS = ("raw", "curated", "quarantine")
CHECKSUM_SUFFIX = ".crc"
PARQUET_MAGIC = b"PAR1"
# A Parquet file ends with the footer, its length (4 bytes, little-endian) and the magic.
FOOTER_TAIL = 8
PACKAGES = ("spotify_etl", "glue_jobs", "ingest_lambda")
DEFAULT_HOURS = 48
PART_FILE_ID = re.compile(r"^(\.?part-\d+)-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}")
# Runs the tree's own CLI: `-c` puts the working directory (the tree) first on sys.path, before
# the virtualenv's editable install of this checkout; the assertion proves it did.
RUN_CLI = (
    "import importlib, pathlib, sys\n"
    "tree = pathlib.Path.cwd().resolve()\n"
    f"for name in {PACKAGES!r}:\n"
    "    origin = pathlib.Path(importlib.import_module(name).__file__).resolve()\n"
    "    assert origin.is_relative_to(tree), f'{name} imported from {origin}, not {tree}'\n"
    "from spotify_etl.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


@dataclass(frozen=True)
class Comparison:
    """Files of both lakes by normalised name: those only in one, and those that differ."""

    compared: int
    parquet: int
    only_base: list[str]
    only_work: list[str]
    differing: list[str]

    @property
    def identical(self) -> bool:
        """Whether both lakes hold the same files with the same bytes."""
        return not (self.only_base or self.only_work or self.differing)


def export_revision(revision: str, destination: Path) -> str:
    """Write the tree of `revision` (a commit, branch or tag) to `destination`; its commit id."""
    commit = _git("rev-parse", "--verify", f"{revision}^{{commit}}").decode().strip()
    destination.mkdir(parents=True)
    archive = _git("archive", "--format=tar", commit)
    tar_path = destination.parent / f"{destination.name}.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(destination, filter="data")
    tar_path.unlink()
    return commit


def _git(*args: str) -> bytes:
    command = ["git", *args]
    completed = subprocess.run(command, cwd=REPO_ROOT, check=True, capture_output=True)  # noqa: S603
    return completed.stdout


def run_pipeline(tree: Path, lake: Path, hours: int) -> None:
    """`make demo`'s ingest and transform steps, with the code of `tree`, into `lake`."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    for command in (["ingest", "--hours", str(hours)], ["transform"]):
        print(f"== {tree.name}: spotify-etl {' '.join(command)} --lake {lake}", flush=True)
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", RUN_CLI, *command, "--lake", str(lake)],
            cwd=tree,
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def normalised_name(relative: Path) -> str:
    """The file's path in the lake with the per-write random id of a part file removed."""
    return relative.with_name(PART_FILE_ID.sub(r"\1", relative.name)).as_posix()


def parquet_digest(path: Path) -> str:
    """A digest of a Parquet file that ignores only the order of its footer's encodings lists."""
    import pyarrow.parquet as pq

    data = path.read_bytes()
    if data[-4:] != PARQUET_MAGIC:
        raise ValueError(f"{path} is not a Parquet file")
    footer_length = int.from_bytes(data[-FOOTER_TAIL:-4], "little")
    footer_start = len(data) - FOOTER_TAIL - footer_length
    metadata = pq.read_metadata(path)
    fields = metadata.to_dict()
    for row_group in fields["row_groups"]:
        for column in row_group["columns"]:
            column["encodings"] = sorted(column["encodings"])
    digest = hashlib.sha256(data[:footer_start])
    digest.update(bytes(sorted(data[footer_start:])))
    digest.update(json.dumps(fields, sort_keys=True, default=str).encode())
    digest.update(repr(sorted((metadata.metadata or {}).items())).encode())
    return digest.hexdigest()


def lake_digests(lake: Path) -> dict[str, str]:
    """A digest of every compared file of a lake, by normalised name."""
    digests: dict[str, str] = {}
    for folder in COMPARED_FOLDERS:
        for path in sorted((lake / folder).rglob("*")):
            if not path.is_file() or path.name.endswith(CHECKSUM_SUFFIX):
                continue
            name = normalised_name(path.relative_to(lake))
            if name in digests:
                raise ValueError(f"two files normalise to {name} in {lake}")
            if path.suffix == ".parquet":
                digests[name] = parquet_digest(path)
            else:
                digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def compare_lakes(base: Path, work: Path) -> Comparison:
    """Compare the compared folders of two lakes file by file."""
    before, after = lake_digests(base), lake_digests(work)
    common = sorted(set(before) & set(after))
    return Comparison(
        compared=len(common),
        parquet=sum(name.endswith(".parquet") for name in common),
        only_base=sorted(set(before) - set(after)),
        only_work=sorted(set(after) - set(before)),
        differing=[name for name in common if before[name] != after[name]],
    )


def report(comparison: Comparison, base_commit: str) -> str:
    """A few lines saying what was compared and, if anything differs, what."""
    lines = [
        f"base {base_commit[:12]} vs work tree: {comparison.compared} files in both lakes "
        f"({comparison.parquet} Parquet), {len(comparison.differing)} differ, "
        f"{len(comparison.only_base)} only in base, {len(comparison.only_work)} only in work tree"
    ]
    for label, names in (
        ("differs", comparison.differing),
        ("only in base", comparison.only_base),
        ("only in work tree", comparison.only_work),
    ):
        lines.extend(f"  {label}: {name}" for name in names)
    lines.append("identical" if comparison.identical else "NOT identical")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Build both lakes, compare them, print the result; 0 when identical, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m tools.demo_identity", description=__doc__)
    parser.add_argument("--base", default="main", help="revision to compare with (main)")
    parser.add_argument("--hours", type=int, default=DEFAULT_HOURS, help="simulated hours (48)")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="build in DIR and keep it (default: a temp dir)"
    )
    args = parser.parse_args(argv)
    work_dir = args.keep or Path(tempfile.mkdtemp(prefix="demo-identity-"))
    try:
        base_commit = export_revision(args.base, work_dir / "base")
        run_pipeline(work_dir / "base", work_dir / "lake-base", args.hours)
        run_pipeline(REPO_ROOT, work_dir / "lake-work", args.hours)
        comparison = compare_lakes(work_dir / "lake-base", work_dir / "lake-work")
    finally:
        if args.keep is None:
            shutil.rmtree(work_dir, ignore_errors=True)
    print(report(comparison, base_commit))
    return 0 if comparison.identical else 1


if __name__ == "__main__":
    sys.exit(main())
