"""Fixtures for the deploy tests: make the repo-level `deploy` package importable."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# `deploy/` is repo tooling, not an installed package: make it importable from the checkout.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
