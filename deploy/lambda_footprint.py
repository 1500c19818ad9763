"""Measure the Lambda zip: its size, what each package adds, the handler's cold import time.

    python -m deploy.lambda_footprint [--zip build/deploy/ingest_lambda.zip] [--runs 15] [--json]

Each run is a fresh interpreter in a clean venv holding only boto3 (the runtime provides it),
with the zip extracted as the task folder and bytecode writing off (`-B`): /var/task is
read-only in Lambda, so every cold start compiles the zip's sources as here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from deploy.package import REPO_ROOT, build_lambda_zip

UV = Path(sys.executable).parent / "uv"
DEFAULT_RUNS = 15
HANDLER_MODULE = "ingest_lambda.handler"
IMPORT_PROBE = (
    "import time; started = time.perf_counter(); import ingest_lambda.handler; "
    "print(time.perf_counter() - started)"
)
MICROSECONDS = 1e6


def boto3_pin(pyproject: Path = REPO_ROOT / "pyproject.toml") -> str:
    """The project's `boto3==...` pin (what the clean venv stands in for the runtime with)."""
    pins = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    [pin] = [pin for pin in pins if pin.startswith("boto3==")]
    return str(pin)


def clean_venv_with_boto3(venv: Path) -> Path:
    """A new venv with only boto3 installed; returns its python."""
    subprocess.run([str(UV), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)  # noqa: S603
    python = venv / "bin" / "python"
    subprocess.run(  # noqa: S603
        [str(UV), "pip", "install", "--quiet", "--python", str(python), boto3_pin()], check=True
    )
    return python


def extract(zip_path: Path, task: Path) -> Path:
    """Unzip the package into `task` (the Lambda's /var/task)."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(task)
    return task


def task_environment() -> dict[str, str]:
    """This environment without PYTHONPATH, so only the task folder and the venv count."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def top_level_sizes(zip_path: Path) -> dict[str, int]:
    """Unzipped bytes per top-level name (package or dist-info folder)."""
    sizes: dict[str, int] = defaultdict(int)
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            sizes[info.filename.split("/", 1)[0]] += info.file_size
    return dict(sorted(sizes.items()))


def cold_import(python: Path, task: Path) -> tuple[float, dict[str, float]]:
    """One fresh process: seconds to import the handler, and `-X importtime`'s cumulative
    seconds of each package's root module (what importing that package cost)."""
    result = subprocess.run(  # noqa: S603
        [str(python), "-B", "-X", "importtime", "-c", IMPORT_PROBE],
        cwd=task,
        env=task_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    packages: dict[str, float] = {}
    for line in result.stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        name = fields[2].strip()
        # A package's root module (no dot), at whatever depth something first imported it.
        if "." not in name:
            packages.setdefault(name, int(fields[1]) / MICROSECONDS)
    return float(result.stdout.strip()), dict(packages)


def measure(zip_path: Path, runs: int) -> dict[str, object]:
    """Size, per-package sizes and the median cold import over `runs` fresh processes."""
    with tempfile.TemporaryDirectory(prefix="lambda-footprint-") as scratch:
        python = clean_venv_with_boto3(Path(scratch) / "venv")
        task = extract(zip_path, Path(scratch) / "task")
        samples = [cold_import(python, task) for _ in range(runs)]
    seconds = [total for total, _ in samples]
    names = sorted({name for _, packages in samples for name in packages})
    by_package = {
        name: statistics.median(packages.get(name, 0.0) for _, packages in samples)
        for name in names
    }
    sizes = top_level_sizes(zip_path)
    return {
        "zip_bytes": zip_path.stat().st_size,
        "unzipped_bytes": sum(sizes.values()),
        "unzipped_bytes_by_name": sizes,
        "runs": runs,
        "import_s": {
            "median": statistics.median(seconds),
            "min": min(seconds),
            "max": max(seconds),
        },
        "import_s_by_package_median": {k: v for k, v in by_package.items() if v >= 0.005},
        "load_average": os.getloadavg(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or take) the zip, measure it, print the numbers."""
    parser = argparse.ArgumentParser(prog="python -m deploy.lambda_footprint", description=__doc__)
    parser.add_argument("--zip", type=Path, help="a built zip (default: build one now)")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="fresh processes")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lambda-zip-") as scratch:
        zip_path = args.zip or build_lambda_zip(Path(scratch) / "ingest_lambda.zip")
        numbers = measure(zip_path, args.runs)
    if args.json:
        print(json.dumps(numbers, indent=2))  # noqa: T201
        return 0
    timing = numbers["import_s"]
    assert isinstance(timing, dict)
    print(  # noqa: T201
        f"zip {numbers['zip_bytes']:,} bytes ({numbers['unzipped_bytes']:,} unzipped); cold "
        f"import of {HANDLER_MODULE}: median {timing['median']:.3f} s (min {timing['min']:.3f}, "
        f"max {timing['max']:.3f}) over {numbers['runs']} fresh processes; load average "
        f"{numbers['load_average']}"
    )
    for name, size in dict(numbers["unzipped_bytes_by_name"]).items():  # type: ignore[call-overload]
        print(f"  {name:45} {size:>10,d} bytes")  # noqa: T201
    for name, seconds in dict(numbers["import_s_by_package_median"]).items():  # type: ignore[call-overload]
        print(f"  import {name:38} {seconds:.3f} s")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
