"""Repeated timing with robust summaries, and a description of the machine and its versions."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any

VERSIONED_PACKAGES = ("pyspark", "duckdb", "pandas", "pyarrow", "sqlglot")


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of repeated runs of one benchmark, plus what the last run returned."""

    name: str
    seconds: tuple[float, ...]
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        """Median of the runs (robust to one slow run on a shared machine)."""
        return statistics.median(self.seconds)

    @property
    def low(self) -> float:
        """Fastest run."""
        return min(self.seconds)

    @property
    def high(self) -> float:
        """Slowest run."""
        return max(self.seconds)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form with the summary statistics spelled out."""
        return {
            **asdict(self),
            "median": self.median,
            "min": self.low,
            "max": self.high,
            "repeats": len(self.seconds),
        }


def time_repeated(
    name: str,
    action: Callable[[], dict[str, Any] | None],
    repeat: int,
    prepare: Callable[[], None] | None = None,
) -> Timing:
    """Run `prepare` (untimed) then `action` (timed) `repeat` times; keep the last detail."""
    seconds: list[float] = []
    detail: dict[str, Any] = {}
    for _ in range(repeat):
        if prepare is not None:
            prepare()
        start = time.perf_counter()
        detail = action() or {}
        seconds.append(time.perf_counter() - start)
    return Timing(name=name, seconds=tuple(seconds), detail=detail)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        page_size = os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None
    return round(pages * page_size / 2**30, 1)


def _java_version() -> str:
    try:
        completed = subprocess.run(
            ["java", "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    first_line = (completed.stderr or completed.stdout).splitlines()
    return first_line[0] if first_line else "unknown"


def code_version(repo: str) -> str:
    """The commit measured, with `+dirty` when tracked files had uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "-C", repo, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}+dirty" if dirty else commit


def machine_info() -> dict[str, Any]:
    """Cores, memory, CPU model, OS and the versions of everything the benchmarks run."""
    versions: dict[str, str] = {"python": platform.python_version(), "java": _java_version()}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "cpu_model": _cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "load_average_at_start": os.getloadavg(),
        "commit": code_version(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        "versions": versions,
    }
