"""Fixtures for the template tests: the parsed templates, from the repo's deploy helpers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# `deploy/` is repo tooling, not an installed package: make it importable from the checkout.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from deploy.cfn_yaml import TEMPLATES_DIR, load_template  # noqa: E402


@pytest.fixture(scope="session")
def lake_template() -> dict[str, Any]:
    """The main stack's template."""
    return load_template(TEMPLATES_DIR / "lake.yaml")


@pytest.fixture(scope="session")
def resources(lake_template: dict[str, Any]) -> dict[str, Any]:
    """The main template's resources by logical id."""
    return lake_template["Resources"]
