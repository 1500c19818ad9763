"""`spotify-etl --help` imports none of the heavy libraries: each command imports its own."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "pyspark",
    "duckdb",
    "pandas",
    "matplotlib",
    "sqlglot",
    "spotipy",
    "boto3",
    "tqdm",
    "pyarrow",
    "requests",
)
# Parse every command's --help in a fresh interpreter and report what got imported.
PROBE = f"""
import json, sys
from spotify_etl.cli import build_parser
parser = build_parser()
commands = sorted(parser._subparsers._group_actions[0].choices)
for argv in [["--help"], *[[command, "--help"] for command in commands]]:
    try:
        parser.parse_args(argv)
    except SystemExit:
        pass
print(json.dumps({{"commands": commands, "heavy": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def test_help_imports_no_heavy_library() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    probe = json.loads(completed.stdout.splitlines()[-1])

    assert "report" in probe["commands"]
    assert probe["heavy"] == []
