"""Watch a curated table's partition folders during a run (Linux inotify, through ctypes).

A reader lists a partition's data files when it queries. The events, replayed in the order the
kernel queued them, tell the fewest data files each partition ever had: 0 means a query at that
moment saw the day missing. Works whatever moves the files (Spark's JVM or the job's Python).
"""

from __future__ import annotations

import ctypes
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO = 0x08, 0x40, 0x80
IN_CREATE, IN_DELETE, IN_DELETE_SELF = 0x100, 0x200, 0x400
IN_ISDIR = 0x40000000
WATCHED = IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF
_EVENT = struct.Struct("iIII")
_READ_SIZE = 1 << 20


def is_data_file(name: str) -> bool:
    """A file a reader reads: Parquet, not hidden."""
    return name.endswith(".parquet") and not name.startswith((".", "_"))


@dataclass
class PartitionWatch:
    """inotify watches on a table folder and on each partition folder it holds now."""

    table: Path
    fd: int = -1
    folders: dict[int, Path] = field(default_factory=dict)
    libc: ctypes.CDLL = field(default_factory=lambda: ctypes.CDLL("libc.so.6", use_errno=True))

    def __enter__(self) -> PartitionWatch:
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK)
        assert self.fd >= 0, os.strerror(ctypes.get_errno())
        for folder in [self.table, *self.partitions()]:
            watch = self.libc.inotify_add_watch(self.fd, str(folder).encode(), WATCHED)
            assert watch >= 0, os.strerror(ctypes.get_errno())
            self.folders[watch] = folder
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def partitions(self) -> list[Path]:
        return sorted(p for p in self.table.iterdir() if p.is_dir() and "=" in p.name)

    def events(self) -> list[tuple[Path, int, str]]:
        """Every queued event: (folder, mask, name)."""
        found: list[tuple[Path, int, str]] = []
        while True:
            try:
                data = os.read(self.fd, _READ_SIZE)
            except BlockingIOError:
                return found
            offset = 0
            while offset < len(data):
                watch, mask, _, size = _EVENT.unpack_from(data, offset)
                start = offset + _EVENT.size
                name = data[start : start + size].rstrip(b"\0").decode()
                found.append((self.folders.get(watch, Path("?")), mask, name))
                offset = start + size

    def fewest_data_files(self, before: dict[str, int]) -> dict[str, int]:
        """Replay the events from the counts `before` (partition name -> data files); the
        fewest data files each partition had at any moment."""
        count = dict(before)
        fewest = dict(before)
        for folder, mask, name in self.events():
            if folder == self.table and mask & IN_ISDIR and "=" in name:
                if mask & (IN_DELETE | IN_MOVED_FROM):
                    count[name] = 0
                elif mask & IN_MOVED_TO:  # a whole folder moved in with its files
                    count[name] = len(
                        [p for p in (self.table / name).iterdir() if is_data_file(p.name)]
                    )
            elif folder != self.table and is_data_file(name):
                if mask & (IN_DELETE | IN_MOVED_FROM):
                    count[folder.name] -= 1
                elif mask & (IN_MOVED_TO | IN_CLOSE_WRITE):
                    count[folder.name] += 1
            for partition, files in count.items():
                fewest[partition] = min(fewest.get(partition, files), files)
        return fewest


def data_files(table: Path) -> dict[str, int]:
    """Partition name -> its data files now."""
    return {
        p.name: len([f for f in p.iterdir() if is_data_file(f.name)])
        for p in table.iterdir()
        if p.is_dir() and "=" in p.name
    }
