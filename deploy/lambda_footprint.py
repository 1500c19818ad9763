"""Measure the Lambda zip: its size, what each package adds, the handler's cold import time.

    python -m deploy.lambda_footprint [--zip ZIP] [--against OTHER_ZIP]... [--runs 15]
        [--python INTERPRETER] [--json]

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
from dataclasses import asdict, dataclass
from pathlib import Path

from deploy.package import REPO_ROOT, RUNTIME_PROVIDED, UV, build_lambda_zip

DEFAULT_RUNS = 15
HANDLER_MODULE = "ingest_lambda.handler"
IMPORT_PROBE = (
    "import time; started = time.perf_counter(); import ingest_lambda.handler; "
    "print(time.perf_counter() - started)"
)
MICROSECONDS = 1e6
# Packages whose median import takes less than this are left out of the report.
REPORTED_S = 0.005


def boto3_pin(pyproject: Path = REPO_ROOT / "pyproject.toml") -> str:
    """The project's `boto3==...` pin (what the clean venv stands in for the runtime with)."""
    pins = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    [pin] = [pin for pin in pins if pin.startswith("boto3==")]
    return str(pin)


def clean_venv_with_boto3(venv: Path, python: str = sys.executable) -> Path:
    """A new venv of `python` (an interpreter or a version) with only boto3; returns its python."""
    subprocess.run([str(UV), "venv", "--quiet", "--python", python, str(venv)], check=True)  # noqa: S603
    venv_python = venv / "bin" / "python"
    subprocess.run(  # noqa: S603
        [str(UV), "pip", "install", "--quiet", "--python", str(venv_python), boto3_pin()],
        check=True,
    )
    return venv_python


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


@dataclass(frozen=True)
class Footprint:
    """What one zip costs: bytes, and seconds of cold import (median over fresh processes)."""

    zip: str
    zip_bytes: int
    unzipped_bytes: int
    unzipped_bytes_by_name: dict[str, int]
    runs: int
    import_s_median: float
    import_s_min: float
    import_s_max: float
    import_s_by_package_median: dict[str, float]

    def lines(self) -> list[str]:
        """The numbers for a person."""
        head = (
            f"{self.zip}: {self.zip_bytes:,} bytes ({self.unzipped_bytes:,} unzipped); cold "
            f"import of {HANDLER_MODULE}: median {self.import_s_median:.3f} s (min "
            f"{self.import_s_min:.3f}, max {self.import_s_max:.3f}) over {self.runs} fresh "
            "processes"
        )
        sizes = [f"  {n:45} {b:>10,d} bytes" for n, b in self.unzipped_bytes_by_name.items()]
        imports = [
            f"  import {n:38} {s:.3f} s (median)"
            for n, s in self.import_s_by_package_median.items()
        ]
        return [head, *sizes, *imports]


def _footprint(zip_path: Path, samples: list[tuple[float, dict[str, float]]]) -> Footprint:
    seconds = [total for total, _ in samples]
    names = sorted({name for _, packages in samples for name in packages})
    by_package = {
        name: statistics.median(packages.get(name, 0.0) for _, packages in samples)
        for name in names
    }
    sizes = top_level_sizes(zip_path)
    # The zip's packages and the runtime's boto3 family; the standard library is left out.
    reported = {name.split("-")[0] for name in sizes} | set(RUNTIME_PROVIDED)
    return Footprint(
        zip=str(zip_path),
        zip_bytes=zip_path.stat().st_size,
        unzipped_bytes=sum(sizes.values()),
        unzipped_bytes_by_name=sizes,
        runs=len(samples),
        import_s_median=statistics.median(seconds),
        import_s_min=min(seconds),
        import_s_max=max(seconds),
        import_s_by_package_median={
            name: seconds
            for name, seconds in by_package.items()
            if name in reported and seconds >= REPORTED_S
        },
    )


def measure(zips: Sequence[Path], runs: int, python: str = sys.executable) -> list[Footprint]:
    """Per zip: size, per-package sizes and cold imports over `runs` fresh processes.

    With several zips the runs alternate between them, so a busy machine slows each alike
    and the ratio of their medians holds.
    """
    with tempfile.TemporaryDirectory(prefix="lambda-footprint-") as scratch:
        venv_python = clean_venv_with_boto3(Path(scratch) / "venv", python)
        tasks = [extract(path, Path(scratch) / f"task{n}") for n, path in enumerate(zips)]
        samples: list[list[tuple[float, dict[str, float]]]] = [[] for _ in zips]
        for _ in range(runs):
            for index, task in enumerate(tasks):
                samples[index].append(cold_import(venv_python, task))
    return [_footprint(path, runs_of) for path, runs_of in zip(zips, samples, strict=True)]


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or take) the zip, measure it (and any to compare), print the numbers."""
    parser = argparse.ArgumentParser(prog="python -m deploy.lambda_footprint", description=__doc__)
    parser.add_argument("--zip", type=Path, help="a built zip (default: build one now)")
    parser.add_argument(
        "--against", type=Path, action="append", default=[], help="another zip, measured alike"
    )
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="fresh processes per zip")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter (path or version) of the runtime the zip was built for "
        "(default: this one)",
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lambda-zip-") as scratch:
        zip_path = args.zip or build_lambda_zip(Path(scratch) / "ingest_lambda.zip")
        results = measure([zip_path, *args.against], args.runs, args.python)
    load = {"before": load_before, "after": os.getloadavg()}
    if args.json:
        document = {"load_average": load, "zips": [asdict(result) for result in results]}
        print(json.dumps(document, indent=2))  # noqa: T201
        return 0
    for result in results:
        print("\n".join(result.lines()))  # noqa: T201
    print(f"load average (1, 5, 15 min) before {load['before']}, after {load['after']}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
