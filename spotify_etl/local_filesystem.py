"""The local lake's Hadoop file system: Hadoop's raw local one, without a process per file.

Hadoop sets the permissions of every file and folder it creates. Without Hadoop's native
library (pyspark ships none) its `RawLocalFileSystem` runs `chmod` for each: a process per
file and per folder, about 3 ms each, 3,650 of them in a year's backfill (docs/benchmarks.md
run 10). `jvm/NioLocalFileSystem.java` sets the same permissions through java.nio. It is
compiled on first use by the `javac` of the JDK whose `java` runs Spark (so the class always
fits that JVM) against Spark's own Hadoop jar, and cached per machine. Without a JDK (a JRE
has no `javac`) the session keeps Hadoop's own file system: the same files, slower writes
(decision 0115). Local runs only: the Glue job writes to S3.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

from spotify_etl.commands import CommandError
from spotify_etl.preflight import find_java

LOGGER = logging.getLogger(__name__)

# Hadoop's own: what the session uses when the class cannot be built.
RAW_LOCAL_FILE_SYSTEM = "org.apache.hadoop.fs.RawLocalFileSystem"
NIO_LOCAL_FILE_SYSTEM = "spotify_etl.hadoop.NioLocalFileSystem"
SOURCE = Path(__file__).resolve().parent / "jvm" / "NioLocalFileSystem.java"
CACHE_ENV = "SPOTIFY_ETL_CACHE_DIR"
COMPILE_TIMEOUT_SECONDS = 120


def cache_dir() -> Path:
    """Where built jars are kept: `$SPOTIFY_ETL_CACHE_DIR`, else the user's cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "spotify-charts-lake"


def spark_java() -> Path | None:
    """The `java` Spark's launcher runs (`$JAVA_HOME/bin/java`, else the one on PATH), with
    its links followed to the JDK's folder; None when there is none."""
    try:
        return find_java().resolve()
    except CommandError:
        return None


def hadoop_jar() -> Path | None:
    """Spark's Hadoop client jar (its API is what the class is compiled against)."""
    import pyspark

    jars = sorted((Path(pyspark.__file__).parent / "jars").glob("hadoop-client-api-*.jar"))
    return jars[-1] if jars else None


def _build(javac: Path, hadoop: Path, target: Path) -> None:
    """Compile the source into a jar at `target` (written whole, then moved into place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        classes = Path(scratch) / "classes"
        command = [str(javac), "-nowarn", "-encoding", "UTF-8", "-cp", str(hadoop)]
        subprocess.run(  # noqa: S603 - the JDK's javac on the repository's own source
            [*command, "-d", str(classes), str(SOURCE)],
            check=True,
            capture_output=True,
            text=True,
            timeout=COMPILE_TIMEOUT_SECONDS,
        )
        built = Path(scratch) / target.name
        with zipfile.ZipFile(built, "w") as jar:
            for path in sorted(classes.rglob("*.class")):
                jar.write(path, path.relative_to(classes).as_posix())
        os.replace(built, target)  # atomic: a parallel session sees no half-written jar


def nio_file_system_jar() -> Path | None:
    """The jar of `NioLocalFileSystem`, built if not cached; None when it cannot be built.

    Cached under a name that changes with the source, the Hadoop jar and the JDK, so an
    upgrade of any of them builds it again.
    """
    java, hadoop = spark_java(), hadoop_jar()
    javac = java.with_name("javac") if java else None
    if javac is None or not javac.exists():
        LOGGER.info(
            "no javac beside %s: local writes use Hadoop's chmod processes "
            "(a JDK 17 makes them faster, docs/glue-job.md)",
            java or "java",
        )
        return None
    if hadoop is None:
        LOGGER.warning("pyspark has no hadoop-client-api jar: local writes use Hadoop's")
        return None
    key = hashlib.sha256(SOURCE.read_bytes() + f"\0{hadoop.name}\0{javac}".encode())
    target = cache_dir() / f"nio-local-fs-{key.hexdigest()[:16]}.jar"
    if target.exists():
        return target
    try:
        _build(javac, hadoop, target)
    except (OSError, subprocess.SubprocessError) as error:
        output = (getattr(error, "stderr", None) or "").strip()
        detail = output.splitlines()[0] if output else str(error)  # javac's first error line
        LOGGER.warning("could not build %s (%s): local writes use Hadoop's", SOURCE.name, detail)
        return None
    return target


def file_system_conf() -> dict[str, str]:
    """The session settings for `file://`: the java.nio file system when its jar builds."""
    jar = nio_file_system_jar()
    if jar is None:
        return {"spark.hadoop.fs.file.impl": RAW_LOCAL_FILE_SYSTEM}
    return {
        "spark.hadoop.fs.file.impl": NIO_LOCAL_FILE_SYSTEM,
        "spark.driver.extraClassPath": str(jar),
    }
