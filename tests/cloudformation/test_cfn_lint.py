"""cfn-lint and checkov over every template (the same commands `make lint-cfn` runs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deploy.cfn_yaml import load_template

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((REPO_ROOT / "cloudformation").glob("*.yaml"))
CFN_LINT = Path(sys.executable).parent / "cfn-lint"
CHECKOV = REPO_ROOT / ".venv-checkov" / "bin" / "checkov"
MIN_REASON_WORDS = 5  # a sentence, not "n/a"


def test_cfn_lint_is_clean() -> None:
    result = subprocess.run(
        [str(CFN_LINT), *map(str, TEMPLATES)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkov_has_no_failed_check() -> None:
    # checkov cannot share the dev venv (it pins packaging<24); `make test` creates its own.
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} is missing: run `make test` or `make lint-cfn` to create it")
    # A relative folder, as `make lint-cfn` gives it: checkov puts each file's path into the
    # resources it checks, and an absolute path of 40 letters and slashes (a worktree such as
    # /work/wt/reliability/cloudformation/lake) matches its AWS secret key pattern (CKV_AWS_45).
    result = subprocess.run(
        [str(CHECKOV), "--skip-download", "--quiet", "--compact", "-d", "cloudformation"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Failed checks: 0" in result.stdout


def test_every_checkov_skip_says_why() -> None:
    skips = [
        (path.name, name, skip)
        for path in TEMPLATES
        for name, resource in load_template(path).get("Resources", {}).items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips, "no checkov skip found: has the Metadata layout changed?"
    unexplained = [
        (template, name, skip.get("id"))
        for template, name, skip in skips
        if len(str(skip.get("comment", "")).split()) < MIN_REASON_WORDS
    ]
    assert unexplained == []
