"""`spotify-etl ingest --source spotify` against fakes reached by base URL only, over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from fake_server import running_fake_api, store_authorised_app

from ingest_lambda.envelope import decode_envelope
from ingest_lambda.keys import snapshot_key, truncate_to_hour
from ingest_lambda.secrets import SpotifyCredentials
from spotify_etl.cli import main
from spotify_etl.commands import ingest as ingest_command
from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, USER_CHART_PLAYLIST_ID, FakeSpotify
from spotify_etl.local_stores import LocalFileStore

AUTHORISED = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
SIX_MONTHS_LATER = datetime(2027, 5, 26, 7, 0, tzinfo=UTC)
TIMEOUT = 30


def secret_file(lake: Path) -> Path:
    return lake / ".secrets" / "spotify.json"


def store_app(lake: Path, credentials: SpotifyCredentials) -> None:
    """What `spotify-etl auth` leaves in the lake."""
    LocalFileStore.in_lake(lake).save(credentials)


def real_args(lake: Path, base_url: str, token_url: str, *extra: str) -> list[str]:
    return [
        "ingest", "--source", "spotify", "--lake", str(lake),
        "--api-base-url", base_url, "--token-url", token_url, *extra,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def fake_server() -> Iterator[dict[str, Any]]:
    """`spotify-etl fake-api` in its own process on a random port, rotating refresh tokens."""
    with running_fake_api("--profile", "dev-2026", "--rotate-refresh-token") as details:
        yield details


def test_a_separate_fake_server_is_just_another_base_url_and_rotated_tokens_are_kept(
    fake_server: dict[str, Any], lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first_token = fake_server["refresh_token"]
    app = store_authorised_app(lake, fake_server)
    arguments = real_args(
        lake,
        fake_server["base_url"],
        fake_server["token_url"],
        "--playlist",
        USER_CHART_PLAYLIST_ID,
    )
    before = truncate_to_hour(datetime.now(UTC))
    assert main(arguments) == 0
    after = truncate_to_hour(datetime.now(UTC))
    [written] = [p for p in (lake / "raw").rglob("*.json.gz")]
    hour = next(
        h for h in (before, after) if written == lake / snapshot_key(USER_CHART_PLAYLIST_ID, h)
    )
    envelope = decode_envelope(written.read_bytes())
    assert (envelope["snapshot_ts"][:13], envelope["source"], len(envelope["entries"])) == (
        hour.isoformat()[:13],
        "fake-spotify",
        100,
    )
    # The fake rotated the token on refresh and revoked the old one: the new one was saved,
    # with the same authorisation time (a rotation does not extend the six months).
    stored = json.loads(secret_file(lake).read_text())
    assert stored["refresh_token"] not in (first_token, "")
    assert stored["authorized_at"] == fake_server["authorized_at"]
    old = requests.post(
        fake_server["token_url"],
        data={"grant_type": "refresh_token", "refresh_token": first_token},
        auth=(app.client_id, app.client_secret),
        timeout=TIMEOUT,
    )
    assert old.json()["error"] == "invalid_grant"
    # The next run reads the saved token (the old one would fail) and rotates it again.
    assert main([*arguments, "--hour", "2026-11-26T07:00Z"]) == 0
    assert json.loads(secret_file(lake).read_text())["refresh_token"] != stored["refresh_token"]
    assert (lake / snapshot_key(USER_CHART_PLAYLIST_ID, AUTHORISED)).is_file()
    out = capsys.readouterr().out
    assert f"refresh_token, {fake_server['base_url']})" in out
    assert "refresh token: 18" in out  # about 181-184 days left, on the wall clock


def test_client_credentials_are_used_when_no_refresh_token_is_stored(
    lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeSpotify(profile="extended") as fake:
        store_app(lake, SpotifyCredentials(fake.client_id, fake.client_secret))
        arguments = real_args(lake, fake.base_url, fake.token_url, "--playlist", CHART_PLAYLIST_ID)
        assert main([*arguments, "--hour", "2026-11-26T07:30", "--market", "US"]) == 0
        grants = [r.path for r in fake.requests if r.path == "/api/token"]
    envelope = decode_envelope((lake / snapshot_key(CHART_PLAYLIST_ID, AUTHORISED)).read_bytes())
    assert (envelope["market"], envelope["api_profile"], len(envelope["entries"])) == (
        "US",
        None,
        100,
    )
    assert grants == ["/api/token"]
    assert capsys.readouterr().out == (
        f"Landed 1 of 1 snapshot(s) for 2026-11-26T07:00:00Z (client_credentials, "
        f"{fake.base_url}) under {lake}/raw/playlist_snapshots\n"
    )


@pytest.fixture
def dev_fake(lake: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSpotify]:
    """The dev-2026 fake, authorised at AUTHORISED; the command runs on the fake's clock."""
    with FakeSpotify(profile="dev-2026", now=AUTHORISED) as fake:
        app = SpotifyCredentials(fake.client_id, fake.client_secret)
        store_app(lake, app.authorized(fake.refresh_token, fake.authorized_at))
        monkeypatch.setattr(ingest_command, "utc_now", fake.now)
        yield fake


def run_on(fake: FakeSpotify, lake: Path) -> int:
    return main(
        real_args(lake, fake.base_url, fake.token_url, "--playlist", USER_CHART_PLAYLIST_ID)
    )


def test_the_days_left_are_printed_and_a_warning_comes_30_days_before_the_end(
    dev_fake: FakeSpotify, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dev_fake.set_now(AUTHORISED + timedelta(days=1))
    assert run_on(dev_fake, lake) == 0
    calm = capsys.readouterr()
    assert calm.out.endswith(
        "refresh token: 180.0 days left (authorised 2026-11-26T07:00:00Z, ends "
        "2027-05-26T07:00:00Z)\n"
    )
    assert calm.err == ""
    dev_fake.set_now(SIX_MONTHS_LATER - timedelta(days=20))
    assert run_on(dev_fake, lake) == 0
    assert capsys.readouterr().err == (
        "warning: refresh token: 20.0 days left (authorised 2026-11-26T07:00:00Z, ends "
        "2027-05-26T07:00:00Z): authorise again before then with "
        f"`spotify-etl auth --lake {lake}`\n"
    )


def test_after_six_months_the_invalid_grant_says_why_and_how_to_authorise_again(
    dev_fake: FakeSpotify, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dev_fake.set_now(SIX_MONTHS_LATER + timedelta(hours=1))
    assert run_on(dev_fake, lake) == 1
    err = capsys.readouterr().err
    assert (
        "\nwarning: the stored refresh token expired on 2027-05-26T07:00:00Z (six months after "
        f"the authorisation on 2026-11-26T07:00:00Z): run `spotify-etl auth --lake {lake}` to "
        "authorise again\n"
    ) in err
    assert (
        "refresh_token_rejected: Spotify rejected the stored refresh token (invalid_grant: "
        "Refresh token expired). Likely cause: since 2026-07-20 Spotify ends every refresh "
        "token six months after the user authorised (this one was authorised on "
        "2026-11-26T07:00:00Z), and refreshing does not extend it; else the user revoked access "
        f"or the token belongs to another app. Authorise again with `spotify-etl auth --lake "
        f"{lake}` (it updates file {secret_file(lake)})."
    ) in err
    assert sorted(lake.rglob("*.json.gz")) == []


def test_a_secret_stored_before_authorized_at_was_recorded_still_works_and_says_so(
    dev_fake: FakeSpotify, lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_file(lake).write_text(
        json.dumps(
            {
                "client_id": dev_fake.client_id,
                "client_secret": dev_fake.client_secret,
                "refresh_token": dev_fake.refresh_token,
            }
        )
    )
    assert run_on(dev_fake, lake) == 0
    assert capsys.readouterr().err.startswith(
        "warning: the stored refresh token has no authorized_at (it was stored before "
        "spotify-etl recorded it), so its end is unknown"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--hours", "3"],
            "--hours applies to --source fake only (this run uses --source spotify)",
        ),
        (["--start", "2026-11-01"], "--start applies to --source fake only"),
        (["--profile", "dev-2026"], "--profile applies to --source fake only"),
        (["--seed", "7"], "--seed applies to --source fake only"),
    ],
)
def test_flags_of_the_fake_are_refused_with_the_real_source(
    lake: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    arguments = [
        "ingest",
        "--source",
        "spotify",
        "--lake",
        str(lake),
        "--playlist",
        USER_CHART_PLAYLIST_ID,
    ]
    assert main([*arguments, *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"spotify-etl ingest: error: {message}")
    assert err.count("\n") == 1
    assert not secret_file(lake).exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--hour", "2026-11-01T05"], "--hour applies to --source spotify only"),
        (["--auth-mode", "refresh_token"], "--auth-mode applies to --source spotify only"),
        (
            ["--api-base-url", "http://127.0.0.1:9/v1/"],
            "--api-base-url applies to --source spotify only",
        ),
        (
            ["--token-url", "http://127.0.0.1:9/api/token"],
            "--token-url applies to --source spotify only",
        ),
    ],
)
def test_flags_of_the_real_source_are_refused_with_the_fake(
    lake: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["ingest", "--lake", str(lake), *extra]) == 2
    assert capsys.readouterr().err == (
        f"spotify-etl ingest: error: {message} (this run uses --source fake)\n"
    )
    assert list(lake.iterdir()) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "--source spotify needs at least one --playlist ID"),
        (
            ["--playlist", USER_CHART_PLAYLIST_ID, "--api-base-url", "api.spotify.com/v1"],
            "--api-base-url 'api.spotify.com/v1': give an http(s) URL, e.g. https://api.spotify.com/v1/",
        ),
        (
            ["--playlist", USER_CHART_PLAYLIST_ID],
            "file {lake}/.secrets/spotify.json does not exist; create it with "
            "`spotify-etl auth --lake {lake}`",
        ),
    ],
)
def test_real_ingestion_without_what_it_needs_says_what_to_do(
    lake: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["ingest", "--source", "spotify", "--lake", str(lake), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spotify-etl ingest: error: " + message.format(lake=lake))
    assert err.count("\n") == 1


def test_forcing_refresh_token_mode_without_a_stored_token_is_refused_before_any_request(
    lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeSpotify(profile="dev-2026", now=AUTHORISED) as fake:
        store_app(lake, SpotifyCredentials(fake.client_id, fake.client_secret))
        arguments = real_args(
            lake, fake.base_url, fake.token_url, "--playlist", USER_CHART_PLAYLIST_ID
        )
        assert main([*arguments, "--auth-mode", "refresh_token"]) == 2
        assert fake.requests == []
    assert capsys.readouterr().err == (
        f"spotify-etl ingest: error: AUTH_MODE=refresh_token but file {secret_file(lake)} holds "
        f"no refresh_token; authorise once with `spotify-etl auth --lake {lake}` (it stores one "
        "there)\n"
    )


def test_a_simulated_user_authorises_again_once_warned() -> None:
    from ingest_lambda.settings import AuthMode
    from spotify_etl.local_ingest import fake_app_credentials, keep_authorised
    from spotify_etl.local_stores import MemoryStore

    with FakeSpotify(profile="dev-2026", now=AUTHORISED) as fake:
        store = MemoryStore(fake_app_credentials(fake, AuthMode.REFRESH_TOKEN))
        first = store.credentials.refresh_token
        fake.set_now(SIX_MONTHS_LATER - timedelta(days=31))
        assert keep_authorised(fake, store) is False
        fake.set_now(SIX_MONTHS_LATER - timedelta(days=30))
        assert keep_authorised(fake, store) is True
        renewed = store.credentials
        assert (renewed.refresh_token, renewed.authorized_at) == (
            fake.refresh_token,
            SIX_MONTHS_LATER - timedelta(days=30),
        )
        assert renewed.refresh_token != first
