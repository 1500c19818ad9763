"""`spotify-etl fake-api`: starts in the foreground, prints how to reach it, stops on Ctrl-C."""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys

import pytest
import requests

from spotify_etl.commands import CommandError, fake_api
from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, USER_CHART_PLAYLIST_ID

TIMEOUT = 10
# Runs the command's own register/run without importing every other command (some import
# matplotlib or Spark at module level, which costs seconds).
RUN_FAKE_API = (
    "import argparse, sys; from spotify_etl.commands import fake_api; "
    "parser = argparse.ArgumentParser(); fake_api.register(parser.add_subparsers()); "
    "args = parser.parse_args(sys.argv[1:]); sys.exit(args.func(args))"
)


def test_fake_api_serves_until_interrupted() -> None:
    command = [
        sys.executable, "-c", RUN_FAKE_API, "fake-api", "--json", "--profile", "dev-2026",
        "--now", "2026-11-26T07:00:00Z", "--rotate-refresh-token",
        "--fault", "kind=status,status=502,path=*/items",
    ]  # fmt: skip
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            details = json.loads(proc.stdout.readline())
            token = requests.post(
                details["token_url"],
                data={"grant_type": "refresh_token", "refresh_token": details["refresh_token"]},
                auth=(details["client_id"], details["client_secret"]),
                timeout=TIMEOUT,
            ).json()
            assert token["refresh_token"] != details["refresh_token"]  # rotation is on
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            url = f"{details['base_url']}playlists/{USER_CHART_PLAYLIST_ID}/items"
            statuses = [
                requests.get(url, headers=headers, timeout=TIMEOUT).status_code for _ in "ab"
            ]
            assert statuses == [502, 200]
            chart = requests.get(
                f"{details['base_url']}playlists/{CHART_PLAYLIST_ID}",
                headers=headers,
                timeout=TIMEOUT,
            )
            assert chart.status_code == 404  # dev-2026 profile
            top = requests.get(details["top_tracks_url"], headers=headers, timeout=TIMEOUT)
            assert (top.status_code, top.json()["limit"]) == (200, 20)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=TIMEOUT)
    assert proc.returncode == 0
    assert details["playlists"]["user_chart"] == USER_CHART_PLAYLIST_ID


def fake_api_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spotify-etl")
    fake_api.register(parser.add_subparsers())
    return parser


def test_bad_fault_spec_is_a_clear_error() -> None:
    args = fake_api_parser().parse_args(["fake-api", "--fault", "kind=status,count=zero"])
    with pytest.raises(CommandError, match="fault count='zero' is not a valid value"):
        args.func(args)


def test_bad_now_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        fake_api_parser().parse_args(["fake-api", "--now", "yesterday"])
    assert "is not an ISO time" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["65536", "-1", "eighty"])
def test_a_port_out_of_range_is_refused_by_the_parser(
    capsys: pytest.CaptureFixture[str], port: str
) -> None:
    with pytest.raises(SystemExit):
        fake_api_parser().parse_args(["fake-api", "--port", port])
    assert capsys.readouterr().err.endswith(
        f"error: argument --port: expected a port from 0 (any free one) to 65535, got '{port}'\n"
    )
