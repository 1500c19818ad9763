"""Checks run before slow work starts: Java for local Spark, and a lake the run can write.

Each check raises `CommandError` with one line saying what is wrong and what to do, so a user
meets the problem in a second instead of after Spark's start-up and a Java stack trace.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from spotify_etl.commands import CommandError

REQUIRED_JAVA = 17
JAVA_VERSION_TIMEOUT_S = 30.0
INSTALL_JAVA = (
    "install Java 17 (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless; macOS: "
    "brew install openjdk@17; others: Temurin 17 from https://adoptium.net) and put its java "
    "on PATH or set JAVA_HOME"
)
# `java -version` prints e.g. `openjdk version "17.0.12" 2024-07-16` or `java version "1.8.0_402"`.
_VERSION = re.compile(r'version "(?:1\.)?(\d+)')


def find_java() -> Path:
    """The java that Spark's launcher will run: `$JAVA_HOME/bin/java`, else `java` on PATH.

    Raises:
        CommandError: when there is none.
    """
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not os.access(java, os.X_OK):
            raise CommandError(
                f"JAVA_HOME is {java_home}, which has no bin/java: point JAVA_HOME at a Java 17 "
                f"installation or unset it to use the java on PATH"
            )
        return java
    found = shutil.which("java")
    if found is None:
        raise CommandError(f"Java is needed to run Spark locally and was not found: {INSTALL_JAVA}")
    return Path(found)


def java_major_version(java: Path) -> int | None:
    """The major version `java -version` reports (8 for 1.8), or None if it says none."""
    try:
        completed = subprocess.run(  # noqa: S603 - the java Spark would run, no shell
            [str(java), "-version"],
            capture_output=True,
            text=True,
            timeout=JAVA_VERSION_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CommandError(f"{java} -version failed ({error}): {INSTALL_JAVA}") from None
    match = _VERSION.search(completed.stderr + completed.stdout)
    return int(match.group(1)) if match else None


def check_java() -> None:
    """Refuse to start Spark without Java 17 (what Glue 5.1 runs Spark 3.5 with).

    Raises:
        CommandError: no java, a JAVA_HOME without one, or another version.
    """
    java = find_java()
    version = java_major_version(java)
    if version != REQUIRED_JAVA:
        found = "an unknown version" if version is None else f"Java {version}"
        raise CommandError(
            f"{java} is {found}; Spark 3.5 (as on Glue 5.1) needs Java {REQUIRED_JAVA}: "
            f"{INSTALL_JAVA}"
        )


def check_lake_writable(lake: Path) -> None:
    """Refuse a lake folder that cannot be created or written, before any work starts.

    Raises:
        CommandError: the path is a file, cannot be created, or is not writable.
    """
    if lake.exists() and not lake.is_dir():
        raise CommandError(f"--lake {lake}: this is a file, not a folder")
    try:
        lake.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"--lake {lake}: cannot create the folder: {error}") from None
    if not os.access(lake, os.W_OK | os.X_OK):
        raise CommandError(f"--lake {lake}: the folder is not writable")


def check_tree_writable(lake: Path, folders: Iterable[str]) -> None:
    """Refuse when the lake or any existing folder under `folders` cannot be written.

    Args:
        lake: the lake root; it must exist.
        folders: top-level folders of the lake the run writes into (they may not exist yet).

    Raises:
        CommandError: naming the first folder that is not writable.
    """
    check_lake_writable(lake)
    for name in folders:
        top = lake / name
        if top.exists() and not top.is_dir():
            raise CommandError(f"{top} is a file, but the run writes a folder there: move it away")
        for folder, _, _ in os.walk(top):
            if not os.access(folder, os.W_OK | os.X_OK):
                raise CommandError(
                    f"{folder} is not writable, and the run writes there: make the lake writable "
                    f"(chmod -R u+w {lake}, or fix its owner) or pass another --lake"
                )


def check_tree_readable(top: Path) -> None:
    """Refuse when a folder or file under `top` cannot be read.

    Raises:
        CommandError: naming the first unreadable path.
    """
    for folder, _, files in os.walk(top):
        for path in (folder, *(os.path.join(folder, name) for name in files)):
            mode = os.R_OK | os.X_OK if path == folder else os.R_OK
            if not os.access(path, mode):
                raise CommandError(
                    f"{path} is not readable: make it readable (chmod -R u+rX {top}) or fix "
                    "its owner"
                )
