"""Which exceptions mean "the user must act", and the one line that tells them what to do.

`spotify-etl` (and `notebooks/run_local.py`) catch every exception at the top, ask
`user_error_message` for a line, print it and exit 2; an exception it does not recognise is a
bug and keeps its traceback. Library errors are recognised through `sys.modules`, so this module
imports no heavy library: if DuckDB was never imported, no error can be DuckDB's.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

from spotify_etl.commands import CommandError

USER_ERROR_EXIT = 2
_DEFAULT_LAKE = Path("lake")
_STORAGE_ERRNOS = {
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is exceeded",
}
# DuckDB's messages when a file a view reads has gone, and when another process holds the file.
_MISSING_FILE_MARKERS = ("No files found that match the pattern", "No such file or directory")
_LOCK_MARKER = "Could not set lock on file"


def stale_catalog_hint(lake: Path) -> str:
    """What to do when the catalog lists Parquet files that are gone."""
    return (
        "the catalog lists files that are gone (the Glue job rewrote a partition, or a folder was "
        f"removed): run `spotify-etl crawl --lake {lake}` and try again"
    )


def one_line(text: str) -> str:
    """`text` with its lines joined, so an error is always a single line."""
    return " ".join(line.strip() for line in str(text).splitlines() if line.strip())


def _os_error_message(error: OSError, lake: Path) -> str | None:
    where = error.filename or "a file of the lake"
    if isinstance(error, PermissionError):
        return (
            f"permission denied: {where}: make it writable and readable (chmod -R u+rwX {lake}, "
            "or fix its owner) or pass another --lake"
        )
    reason = _STORAGE_ERRNOS.get(error.errno or 0)
    if reason is not None:
        return f"cannot write {where}: {reason}: free some space or pass another --lake"
    return None


def _duckdb_message(error: Exception, lake: Path) -> str | None:
    duckdb = sys.modules.get("duckdb")
    if duckdb is None or not isinstance(error, duckdb.IOException):
        return None
    text = str(error)
    if any(marker in text for marker in _MISSING_FILE_MARKERS):
        return stale_catalog_hint(lake)
    if _LOCK_MARKER in text:
        return (
            f"{lake}/catalog.duckdb is in use by another process (a crawl, a notebook, a "
            "query): close it and try again"
        )
    return None


def _spark_message(error: Exception) -> str | None:
    errors = sys.modules.get("pyspark.errors")
    if errors is None or not isinstance(error, errors.PySparkRuntimeError):
        return None
    if error.getErrorClass() == "JAVA_GATEWAY_EXITED":
        return (
            "Spark's Java process exited before it started: check that Java 17 runs "
            "(`java -version`) and that JAVA_HOME, if set, points at it"
        )
    return None


def user_error_message(error: BaseException, lake: Path | None = None) -> str | None:
    """The one-line message for an error the user can fix, or None for a bug.

    Args:
        error: what the command raised.
        lake: the command's --lake, to name it in the advice.
    """
    lake = lake or _DEFAULT_LAKE
    if isinstance(error, CommandError):
        return one_line(str(error))
    if isinstance(error, OSError):
        message = _os_error_message(error, lake)
    elif isinstance(error, Exception):
        message = _duckdb_message(error, lake) or _spark_message(error)
    else:
        message = None
    return None if message is None else one_line(message)


def report_user_error(prog: str, error: BaseException, lake: Path | None = None) -> int | None:
    """Print `prog: error: <line>` on stderr and return the exit status 2; None for a bug.

    The caller re-raises when it gets None, so a bug keeps its traceback.
    """
    message = user_error_message(error, lake)
    if message is None:
        return None
    print(f"{prog}: error: {message}", file=sys.stderr)  # noqa: T201
    return USER_ERROR_EXIT
