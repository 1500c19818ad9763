"""`spotify-etl auth` end to end against the fake, whose consent page approves at once."""

from __future__ import annotations

import json
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
import requests
from auth_helpers import auth_args, follow_in_background, opens_and_follows
from fake_api import source_for
from ingest_helpers import FAST_POLICY, HOUR, ROOMY
from moto import mock_aws

from ingest_lambda.settings import AuthMode
from spotify_etl.cli import main
from spotify_etl.commands import auth
from spotify_etl.fake_spotify import USER_CHART_PLAYLIST_ID, FakeSpotify
from spotify_etl.local_stores import LocalFileStore

URL_WAIT_S = 20.0


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSpotify]:
    """The dev-mode fake (the profile that needs a user's refresh token); the command's clock
    is the fake's, so the recorded authorisation time is the fake's."""
    with FakeSpotify(profile="dev-2026", now=HOUR) as running:
        monkeypatch.setattr(auth, "utc_now", running.now)
        yield running


def test_auth_stores_a_working_refresh_token_in_the_lake(
    fake: FakeSpotify,
    lake: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    opened: list[str] = []

    def browser(url: str) -> bool:
        opened.append(url)
        follow_in_background(url)
        return True

    monkeypatch.setattr(auth.webbrowser, "open", browser)
    assert main(auth_args(fake, "--lake", str(lake))) == 0
    secret_file = lake / ".secrets" / "spotify.json"
    assert json.loads(secret_file.read_text()) == {
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "refresh_token": fake.refresh_token,
        "authorized_at": "2026-11-26T07:00:00Z",
    }
    assert fake.authorized_at == HOUR
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret_file.parent.stat().st_mode) == 0o700
    out = capsys.readouterr().out
    assert out.endswith(
        f"Stored the client id, client secret and refresh token in file {secret_file}. Spotify "
        "ends the refresh token on 2027-05-26T07:00:00Z, six months after this authorisation; "
        "the ingestion warns from 30 days before. Run this command again then.\n"
    )
    assert fake.client_secret not in out
    assert fake.refresh_token not in out
    [url] = opened
    assert "scope=playlist-read-private+playlist-read-collaborative+user-top-read" in url
    # The stored token is what the Lambda's refresh-token mode needs.
    source = source_for(
        fake, AuthMode.REFRESH_TOKEN, FAST_POLICY, store=LocalFileStore.in_lake(lake)
    )
    assert len(source.fetch(USER_CHART_PLAYLIST_ID, ROOMY).entries) == 100


def test_auth_without_browser_prints_the_url_to_open(
    fake: FakeSpotify,
    lake: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(auth.webbrowser, "open", lambda url: pytest.fail("browser opened"))
    results: list[int] = []
    command = threading.Thread(
        target=lambda: results.append(main(auth_args(fake, "--lake", str(lake), "--no-browser")))
    )
    command.start()
    printed = ""
    end = time.monotonic() + URL_WAIT_S
    while fake.authorize_url not in printed and time.monotonic() < end:
        time.sleep(0.05)
        printed += capsys.readouterr().out
    url = next(line for line in printed.splitlines() if line.startswith(fake.authorize_url))
    requests.get(url, timeout=10)
    command.join(timeout=URL_WAIT_S)
    assert results == [0]
    assert json.loads((lake / ".secrets" / "spotify.json").read_text())["refresh_token"] == (
        fake.refresh_token
    )


def test_client_credentials_only_checks_then_stores_id_and_secret(
    fake: FakeSpotify, lake: Path
) -> None:
    assert main(auth_args(fake, "--lake", str(lake), "--client-credentials-only")) == 0
    assert json.loads((lake / ".secrets" / "spotify.json").read_text()) == {
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
    }
    # One client-credentials token request checked them first.
    assert [(logged.path, logged.status) for logged in fake.requests] == [("/api/token", 200)]


def test_auth_can_store_in_secrets_manager(
    fake: FakeSpotify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth.webbrowser, "open", opens_and_follows)
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="eu-west-1")
        client.create_secret(Name="spotify/ingest", SecretString="{}")
        arguments = auth_args(fake, "--secret-id", "spotify/ingest", "--region", "eu-west-1")
        assert main(arguments) == 0
        stored = json.loads(client.get_secret_value(SecretId="spotify/ingest")["SecretString"])
    assert stored == {
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "refresh_token": fake.refresh_token,
        "authorized_at": "2026-11-26T07:00:00Z",
    }


def test_auth_to_a_missing_secret_says_how_to_create_it(
    fake: FakeSpotify, capsys: pytest.CaptureFixture[str]
) -> None:
    with mock_aws():
        arguments = auth_args(
            fake, "--secret-id", "nope", "--region", "eu-west-1", "--client-credentials-only"
        )
        assert main(arguments) == 2
    assert capsys.readouterr().err == (
        "spotify-etl auth: error: Secrets Manager secret nope does not exist in that region; "
        "deploy the stack (it creates the secret) or create it with `aws secretsmanager "
        "create-secret`, then run again\n"
    )


def test_auth_with_a_wrong_secret_explains_invalid_client(
    fake: FakeSpotify,
    lake: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(auth.webbrowser, "open", opens_and_follows)
    assert main(auth_args(fake, "--lake", str(lake), secret="f" * 32)) == 2
    assert (
        "error: exchanging the code failed: Spotify rejected the client id/secret "
        "(invalid_client: Invalid client)." in capsys.readouterr().err
    )
    assert not (lake / ".secrets" / "spotify.json").exists()


def test_auth_needs_the_app_credentials(lake: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["auth", "--lake", str(lake)]) == 2
    assert "give the app's credentials with --client-id/--client-secret" in capsys.readouterr().err


def test_auth_on_a_busy_port_says_to_pick_another(
    fake: FakeSpotify, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        arguments = auth_args(fake, "--lake", str(lake))
        arguments[arguments.index("--port") + 1] = str(port)
        assert main(arguments) == 2
    err = capsys.readouterr().err
    # The errno and its wording are the platform's (Linux: [Errno 98] Address already in use).
    assert err.startswith(
        f"spotify-etl auth: error: cannot listen on 127.0.0.1:{port} for the redirect: "
    )
    assert err.endswith("; free that port or pass another --port (and register its redirect URI)\n")
    assert not (lake / ".secrets" / "spotify.json").exists()


def test_auth_asks_for_the_top_tracks_scope(lake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A user whose earlier consent lacked user-top-read: authorising again grants it.
    narrow = "playlist-read-private playlist-read-collaborative"
    with FakeSpotify(profile="dev-2026", now=HOUR, user_scope=narrow) as fake:
        monkeypatch.setattr(auth.webbrowser, "open", opens_and_follows)
        assert main(auth_args(fake, "--lake", str(lake))) == 0
        source = source_for(
            fake, AuthMode.REFRESH_TOKEN, FAST_POLICY, store=LocalFileStore.in_lake(lake)
        )
        assert len(source.fetch_top_tracks("long_term", ROOMY).tracks) == 100


def test_the_browser_is_told_the_truth_after_a_failed_exchange(
    fake: FakeSpotify, lake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages: list[requests.Response] = []
    monkeypatch.setattr(auth.webbrowser, "open", lambda url: follow_in_background(url, pages))
    assert main(auth_args(fake, "--lake", str(lake), secret="f" * 32)) == 2
    [page] = wait_for(pages)
    assert page.status_code == 400
    assert "Not authorised, nothing stored: exchanging the code failed: Spotify rejected" in (
        page.text
    )
    assert "stored the refresh token" not in page.text
    assert not (lake / ".secrets" / "spotify.json").exists()


def test_the_browser_is_told_stored_only_once_it_is(
    fake: FakeSpotify, lake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages: list[requests.Response] = []
    secret_file = lake / ".secrets" / "spotify.json"
    stored_when_answered: list[bool] = []

    def browse(url: str) -> None:
        page = requests.get(url, timeout=10)
        stored_when_answered.append(secret_file.exists())
        pages.append(page)

    def browser(url: str) -> bool:
        threading.Thread(target=browse, args=(url,), daemon=True).start()
        return True

    monkeypatch.setattr(auth.webbrowser, "open", browser)
    assert main(auth_args(fake, "--lake", str(lake))) == 0
    [page] = wait_for(pages)
    assert page.status_code == 200
    assert f"Authorised: spotify-etl stored the refresh token in file {secret_file}." in page.text
    assert stored_when_answered == [True]


def wait_for(pages: list[requests.Response]) -> list[requests.Response]:
    """The browser thread's pages, once it has one (it finishes after the command answered)."""
    end = time.monotonic() + URL_WAIT_S
    while not pages and time.monotonic() < end:
        time.sleep(0.02)
    return pages


def test_client_credentials_only_refuses_credentials_spotify_rejects(
    fake: FakeSpotify, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = auth_args(fake, "--lake", str(lake), "--client-credentials-only", secret="f" * 32)
    assert main(arguments) == 2
    assert capsys.readouterr().err.startswith(
        "spotify-etl auth: error: checking the client id and secret failed: Spotify rejected the "
        "client id/secret (invalid_client: Invalid client)."
    )
    assert not (lake / ".secrets" / "spotify.json").exists()


def test_secret_id_without_a_region_is_one_line_before_any_request(
    fake: FakeSpotify, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config")
    assert main(auth_args(fake, "--secret-id", "spotify/ingest", "--client-credentials-only")) == 2
    assert capsys.readouterr().err == (
        "spotify-etl auth: error: --secret-id spotify/ingest needs the secret's region: pass "
        "--region (the stack's region, e.g. --region eu-west-1) or set AWS_REGION\n"
    )
    assert fake.requests == []


def test_secret_id_without_network_is_one_line(
    fake: FakeSpotify, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    arguments = auth_args(
        fake, "--secret-id", "spotify/ingest", "--region", "eu-west-1", "--client-credentials-only"
    )
    assert main(arguments) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "spotify-etl auth: error: could not write Secrets Manager secret spotify/ingest: Secrets "
        "Manager could not be reached ("
    )
    assert err.endswith("); check the network and --region, then run again\n")
    assert err.count("\n") == 1
