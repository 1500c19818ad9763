"""A stop flag a signal handler may set: it wakes a waiting loop through a pipe.

`threading.Event.set` takes a lock that the interrupted main thread may be holding inside
`Event.wait`, so calling it from a signal handler can deadlock; writing a byte to a pipe is
safe in a handler, and `select` on the other end wakes the wait.
"""

from __future__ import annotations

import contextlib
import os
import select


class StopFlag:
    """`is_set`/`wait`/`set` like an event, safe to `set` from a signal handler."""

    def __init__(self) -> None:
        """Open the wake-up pipe."""
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self._set = False

    def set(self) -> None:
        """Ask the loop to stop and wake it if it waits."""
        self._set = True
        # A full pipe means the loop is being woken already.
        with contextlib.suppress(BlockingIOError):
            os.write(self._write, b"\0")

    def is_set(self) -> bool:
        """Whether a stop was asked for."""
        return self._set

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to `timeout` seconds for a stop; True when stopping."""
        if not self._set:
            select.select([self._read], [], [], timeout)
        return self._set

    def close(self) -> None:
        """Close the pipe."""
        os.close(self._read)
        os.close(self._write)
