"""One `collect` per lake: an exclusive lock its child steps inherit."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".collect.lock"
LOCK_FILE_MODE = 0o644


class LakeBusyError(Exception):
    """Another `collect` (or a step it started, still running) holds the lake."""


@contextmanager
def lake_lock(lake: Path) -> Iterator[int]:
    """Hold `<lake>/.collect.lock` (flock) for the block; yield its descriptor.

    Children that inherit the descriptor keep the lock: if `collect` is killed while a
    transform runs, a new `collect` is refused until that child has ended.

    Raises:
        LakeBusyError: the lock is held, naming the process that took it.
    """
    path = lake / LOCK_NAME
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, LOCK_FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = path.read_text(encoding="ascii").strip() or "?"
        os.close(descriptor)
        raise LakeBusyError(
            f"another `spotify-etl collect` (pid {holder}) or a step it started is running on "
            f"{lake}: stop it first, or wait for its step to end ({path} is locked)"
        ) from None
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, str(os.getpid()).encode("ascii"))
        yield descriptor
    finally:
        os.close(descriptor)
