"""Parameter values are checked against lake.yaml's constraints before anything is uploaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.cfn_yaml import TEMPLATES_DIR, load_template
from deploy.deploy import main
from deploy.parameters import check_parameter_values, parameter_problem
from deploy.stack import DeployError

SPECS = load_template(TEMPLATES_DIR / "lake.yaml")["Parameters"]
PLAYLIST = "37i9dQZEVXbMDoHDwVN2tF"


def test_every_default_of_the_template_passes_its_own_constraints() -> None:
    defaults = {name: str(spec["Default"]) for name, spec in SPECS.items() if "Default" in spec}
    check_parameter_values(defaults, SPECS)


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        (
            "PlaylistIds",
            "short",
            "PlaylistIds='short' does not match ^([0-9A-Za-z]{22}(,[0-9A-Za-z]{22})*)?$ "
            "(comma-separated Spotify playlist ids, 22 base62 characters each)",
        ),
        (
            "TopTracksTimeRanges",
            "short_term,weekly",
            "TopTracksTimeRanges='short_term,weekly' does not match "
            "^((short_term|medium_term|long_term)(,(short_term|medium_term|long_term))*)?$ "
            "(comma-separated time ranges from short_term, medium_term, long_term)",
        ),
        ("TopTracksTimeRanges", "short_term,long_term", None),
        ("PlaylistIds", "", None),
        ("GlueWorkerType", "G.9X", "GlueWorkerType='G.9X': choose from G.1X, G.2X, G.4X, G.8X"),
        ("GlueNumberOfWorkers", "two", "GlueNumberOfWorkers='two': expected a number"),
        ("GlueNumberOfWorkers", "1", "GlueNumberOfWorkers=1: at least 2"),
        # The two supported Glue versions (docs/glue-versions.md) and nothing else.
        ("GlueVersion", "4.0", "GlueVersion='4.0': choose from 6.0, 5.1"),
        ("GlueVersion", "5.1", None),
        ("GlueVersion", "6.0", None),
        ("PlaylistIds", f"{PLAYLIST},{PLAYLIST}", None),
        ("GlueNumberOfWorkers", "2", None),
    ],
)
def test_parameter_problem_says_what_the_template_allows(
    name: str, value: str, problem: str | None
) -> None:
    assert parameter_problem(name, value, SPECS[name]) == problem


def test_every_bad_value_is_listed_in_one_error() -> None:
    with pytest.raises(DeployError) as error:
        check_parameter_values({"GlueNumberOfWorkers": "1", "PlaylistIds": "x"}, SPECS)
    assert str(error.value).startswith(
        "invalid --parameter value(s): GlueNumberOfWorkers=1: at least 2; PlaylistIds='x' "
    )


def test_deploy_refuses_a_bad_value_before_building_or_uploading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # --skip-build with an empty build dir: the value check must come before reading it.
    argv = ["--dry-run", "--skip-build", "--build-dir", str(tmp_path), "--region", "eu-west-1"]
    assert main([*argv, "--parameter", "PlaylistIds=short"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("deploy: error: invalid --parameter value(s): PlaylistIds='short'")
