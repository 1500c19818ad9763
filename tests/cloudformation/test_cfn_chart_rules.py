"""The template's chart rules agree with the Lambda's settings: the same stacks are refused."""

from __future__ import annotations

from typing import Any

import pytest

from ingest_lambda.errors import SettingsError
from ingest_lambda.settings import load_settings

CHART_RULES = ("AtLeastOneChart", "TopTracksNeedAUser")
PLAYLIST = "37i9dQZEVXbMDoHDwVN2tF"


def evaluate(node: Any, parameters: dict[str, str]) -> Any:
    """The rule functions these rules use (Ref, Fn::Equals, Fn::Not, Fn::Or), as CloudFormation."""
    if not isinstance(node, dict):
        return node
    [(function, argument)] = node.items()
    if function == "Ref":
        return parameters[argument]
    values = [evaluate(item, parameters) for item in argument]
    if function == "Fn::Equals":
        return values[0] == values[1]
    if function == "Fn::Not":
        return not values[0]
    if function == "Fn::Or":
        return any(values)
    raise AssertionError(f"rule function {function} is not evaluated here")


def refused_by_rules(template: dict[str, Any], parameters: dict[str, str]) -> list[str]:
    refused = []
    for name in CHART_RULES:
        rule = template["Rules"][name]
        if "RuleCondition" in rule and not evaluate(rule["RuleCondition"], parameters):
            continue
        if not all(evaluate(check["Assert"], parameters) for check in rule["Assertions"]):
            refused.append(name)
    return refused


@pytest.mark.parametrize(
    ("playlists", "ranges", "auth_mode", "refused"),
    [
        (PLAYLIST, "", "client_credentials", []),
        ("", "short_term", "refresh_token", []),
        (PLAYLIST, "short_term,long_term", "refresh_token", []),
        ("", "", "refresh_token", ["AtLeastOneChart"]),
        ("", "short_term", "client_credentials", ["TopTracksNeedAUser"]),
    ],
)
def test_the_template_refuses_the_stacks_the_lambda_would_refuse(
    lake_template: dict[str, Any], playlists: str, ranges: str, auth_mode: str, refused: list[str]
) -> None:
    parameters = {"PlaylistIds": playlists, "TopTracksTimeRanges": ranges, "AuthMode": auth_mode}
    assert refused_by_rules(lake_template, parameters) == refused
    environment = {
        "LAKE_BUCKET": "lake",
        "SPOTIFY_SECRET_ID": "secret",
        "PLAYLIST_IDS": playlists,
        "TOP_TRACKS_TIME_RANGES": ranges,
        "AUTH_MODE": auth_mode,
    }
    if refused:
        with pytest.raises(SettingsError):
            load_settings(environment)
    else:
        load_settings(environment)
