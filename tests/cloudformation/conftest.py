"""Fixtures for the template tests: the parsed templates, from the repo's deploy helpers."""

from __future__ import annotations

from typing import Any

import pytest

# `deploy/` is repo tooling, importable from the checkout through pytest's `pythonpath = ["."]`.
from deploy.cfn_yaml import TEMPLATES_DIR, load_template


@pytest.fixture(scope="session")
def lake_template() -> dict[str, Any]:
    """The main stack's template."""
    return load_template(TEMPLATES_DIR / "lake.yaml")


@pytest.fixture(scope="session")
def resources(lake_template: dict[str, Any]) -> dict[str, Any]:
    """The main template's resources by logical id."""
    return lake_template["Resources"]
