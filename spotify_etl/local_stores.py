"""Local stand-ins for the Lambda's AWS stores: a lake folder for S3, a file or memory for
Secrets Manager (decision 0002). Local runs, the benchmark and the tests use them; the deployed
Lambda never does, so they live outside `ingest_lambda`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ingest_lambda.errors import SecretError
from ingest_lambda.secrets import SpotifyCredentials, parse_credentials
from ingest_lambda.storage import check_key

LOCAL_SECRET_RELATIVE_PATH = Path(".secrets") / "spotify.json"
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIR = 0o700
# mkstemp creates 600; snapshots are data, not secrets.
SNAPSHOT_FILE_MODE = 0o644
# Where a local write is assembled before its rename: in the lake (one file system, so the
# rename is atomic) but outside the snapshots' prefix, so a write killed half-way leaves
# nothing the Glue job lists (it would be quarantined there as a bad key).
PARTIAL_FOLDER = "raw/.partial"


class LocalWriter:
    """Writes under a local lake folder, atomically (a reader never sees half a file)."""

    def __init__(self, root: Path) -> None:
        """Use the lake folder `root`."""
        self.root = root

    def write(self, key: str, body: bytes) -> str:
        """Write `body` to `<root>/<key>`, replacing any previous file with other bytes."""
        target = self.root / check_key(key)
        if _holds(target, body):
            # S3 keeps the ETag of an object rewritten with the same bytes, so the Glue job sees
            # no change; locally its fingerprint is size and mtime, which only a skip keeps.
            return str(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = self.root / PARTIAL_FOLDER
        partial.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=partial, prefix=".tmp-")
        try:
            os.chmod(temporary, SNAPSHOT_FILE_MODE)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(body)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return str(target)


def _holds(path: Path, body: bytes) -> bool:
    """Whether the file at `path` exists and holds exactly `body`."""
    try:
        return path.stat().st_size == len(body) and path.read_bytes() == body
    except FileNotFoundError:
        return False


class LocalFileStore:
    """Credentials in an owner-only JSON file, e.g. `<lake>/.secrets/spotify.json`."""

    def __init__(self, path: Path, fix_command: str = "spotify-etl auth --lake <lake>") -> None:
        """Use the file at `path` (created on first save)."""
        self.path = path
        self.where = f"file {path}"
        self.fix_command = fix_command

    @classmethod
    def in_lake(cls, lake: Path) -> LocalFileStore:
        """The conventional location under a local lake folder."""
        return cls(lake / LOCAL_SECRET_RELATIVE_PATH, f"spotify-etl auth --lake {lake}")

    def load(self) -> SpotifyCredentials:
        """Read the file."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SecretError(
                f"{self.where} does not exist; create it with `{self.fix_command}`"
            ) from None
        return parse_credentials(text, self.where, self.fix_command)

    def save(self, credentials: SpotifyCredentials) -> None:
        """Write the file atomically with mode 600 (its folder 700)."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_DIR)
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".spotify-")
        try:
            os.chmod(temporary, OWNER_ONLY_FILE)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(credentials.to_json())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class MemoryStore:
    """Credentials held in memory (the local fake's throwaway app, tests)."""

    def __init__(self, credentials: SpotifyCredentials) -> None:
        """Start with `credentials`."""
        self.credentials = credentials
        self.where = "memory"
        self.fix_command = "spotify-etl auth"
        self.saves = 0

    def load(self) -> SpotifyCredentials:
        """Return the current credentials."""
        return self.credentials

    def save(self, credentials: SpotifyCredentials) -> None:
        """Replace the credentials."""
        self.credentials = credentials
        self.saves += 1
