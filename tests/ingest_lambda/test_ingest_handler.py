"""The Lambda handler end to end: moto S3 and Secrets Manager, the Spotify fake as the API."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest
import requests
from ingest_helpers import CAPTURED, HOUR, fixed_clock
from moto import mock_aws

from ingest_lambda import handler
from ingest_lambda.envelope import decode_envelope
from ingest_lambda.errors import IngestRunError, InvalidPlaylistIdError, SettingsError
from ingest_lambda.keys import snapshot_key, top_tracks_key
from spotify_etl.fake_spotify import (
    CHART_PLAYLIST_ID,
    EDGE_CASE_PLAYLIST_ID,
    FAKE_USER_ID,
    USER_CHART_PLAYLIST_ID,
    FakeSpotify,
)

BUCKET = "charts-lake"
SECRET_ID = "spotify/ingest"
EVENT = {"scheduled_time": "2026-11-26T07:00:00Z"}


def without_durations(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary minus the wall-clock durations, which differ run to run."""
    playlists = [{**outcome, "duration_ms": 0} for outcome in summary["playlists"]]
    return {**summary, "playlists": playlists}


@dataclass
class Context:
    """The part of the Lambda context the handler uses."""

    remaining_ms: int = 120_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@dataclass
class Deployed:
    """A running fake plus moto AWS set up like the stack, and one container of the function:
    its runtime is built from `environment` on the first invocation, then reused."""

    fake: FakeSpotify
    s3: Any
    secrets: Any
    environment: dict[str, str]

    def __post_init__(self) -> None:
        session = boto3.session.Session()
        self.runtime = functools.cache(lambda: handler.build_aws_runtime(self.environment, session))

    def invoke(
        self,
        event: dict[str, Any] = EVENT,
        context: Context | None = None,
        clock: Callable[[], datetime] = fixed_clock,
    ) -> dict[str, Any]:
        """One invocation of the handler in this container."""
        return handler.invoke(event, context or Context(), self.runtime, clock)

    def keys(self) -> list[str]:
        listing = self.s3.list_objects_v2(Bucket=BUCKET, Prefix="raw/")
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def body(self, key: str) -> bytes:
        return bytes(self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())


def deploy(
    fake: FakeSpotify,
    auth_mode: str,
    playlists: list[str],
    top_tracks: str = "",
    authorized_at: str | None = None,
) -> Deployed:
    """Create the bucket and secret and the function's environment; the container starts cold."""
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    secret = {"client_id": fake.client_id, "client_secret": fake.client_secret}
    if auth_mode == "refresh_token":
        secret["refresh_token"] = fake.refresh_token
    if authorized_at:
        secret["authorized_at"] = authorized_at
    secrets.create_secret(Name=SECRET_ID, SecretString=json.dumps(secret))
    environment = {
        "LAKE_BUCKET": BUCKET,
        "PLAYLIST_IDS": ",".join(playlists),
        "TOP_TRACKS_TIME_RANGES": top_tracks,
        "AUTH_MODE": auth_mode,
        "SPOTIFY_SECRET_ID": SECRET_ID,
        "API_PROFILE": fake.profile,
        "LOG_LEVEL": "INFO",
        "SPOTIFY_API_BASE_URL": fake.base_url,
        "SPOTIFY_TOKEN_URL": fake.token_url,
    }
    return Deployed(fake=fake, s3=s3, secrets=secrets, environment=environment)


def served_playlist(fake: FakeSpotify, playlist_id: str) -> dict[str, Any]:
    """The playlist as the API serves it now (the fields the envelope keeps), asked directly."""
    token = requests.post(
        fake.token_url,
        data={"grant_type": "client_credentials"},
        auth=(fake.client_id, fake.client_secret),
        timeout=10,
    ).json()["access_token"]
    answer = requests.get(
        f"{fake.base_url}playlists/{playlist_id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    return {
        "id": answer["id"],
        "name": answer["name"],
        "snapshot_id": answer["snapshot_id"],
        "owner": {"id": answer["owner"]["id"], "display_name": answer["owner"]["display_name"]},
        "followers": {"total": answer["followers"]["total"]},
    }


@pytest.fixture
def extended() -> Iterator[Deployed]:
    """The extended profile with two playlists, client credentials."""
    with mock_aws(), FakeSpotify(profile="extended", now=HOUR + timedelta(minutes=1)) as fake:
        yield deploy(fake, "client_credentials", [CHART_PLAYLIST_ID, EDGE_CASE_PLAYLIST_ID])


def test_a_retry_of_the_hour_rewrites_each_key_with_its_own_captured_at(
    extended: Deployed,
) -> None:
    # Lambda retries an invocation after about a minute, then two: the clock moves on.
    extended.invoke()
    keys = extended.keys()
    first = [decode_envelope(extended.body(key)) for key in keys]
    extended.invoke(clock=lambda: CAPTURED + timedelta(minutes=3))
    assert extended.keys() == keys  # still one object per chart and hour
    retried = [decode_envelope(extended.body(key)) for key in keys]
    assert [body["captured_at"] for body in retried] == ["2026-11-26T07:03:12.345678Z"] * 2
    # The chart did not change between the two: everything else is equal, the bytes are not.
    assert [{**body, "captured_at": None} for body in retried] == [
        {**body, "captured_at": None} for body in first
    ]


def test_two_runs_at_the_same_instant_leave_one_identical_object_per_playlist(
    extended: Deployed,
) -> None:
    # The same clock reading (as the local fake runs have): equal bytes. A real retry has its
    # own captured_at (the test above).
    first = extended.invoke()
    keys = extended.keys()
    bodies = [extended.body(key) for key in keys]
    second = extended.invoke()
    assert keys == sorted(
        snapshot_key(pid, HOUR) for pid in (CHART_PLAYLIST_ID, EDGE_CASE_PLAYLIST_ID)
    )
    assert extended.keys() == keys
    assert [extended.body(key) for key in keys] == bodies
    assert without_durations(first) == without_durations(second)
    assert (first["written"], first["failed"], first["skipped"]) == (2, 0, 0)
    chart = decode_envelope(extended.body(snapshot_key(CHART_PLAYLIST_ID, HOUR)))
    assert {name: chart[name] for name in chart if name != "entries"} | {
        "n": len(chart["entries"])
    } == {
        "schema_version": 2,
        "source": "fake-spotify",
        "api_profile": "extended",
        "chart": {"kind": "playlist", "id": CHART_PLAYLIST_ID, "name": "Top 100: Fake Global"},
        "playlist_id": CHART_PLAYLIST_ID,
        "playlist": served_playlist(extended.fake, CHART_PLAYLIST_ID),
        "snapshot_ts": "2026-11-26T07:00:00Z",
        "captured_at": "2026-11-26T07:00:12.345678Z",
        "market": None,
        "n": 100,
    }


def test_objects_are_gzip_json_for_athena_and_glue(extended: Deployed) -> None:
    extended.invoke()
    head = extended.s3.head_object(Bucket=BUCKET, Key=snapshot_key(CHART_PLAYLIST_ID, HOUR))
    assert (head["ContentType"], head["ContentEncoding"]) == ("application/json", "gzip")


def test_the_secret_is_read_once_per_cold_start(extended: Deployed) -> None:
    extended.invoke()
    extended.secrets.delete_secret(SecretId=SECRET_ID, ForceDeleteWithoutRecovery=True)
    assert extended.invoke()["written"] == 2


def test_one_failing_playlist_raises_after_the_others_are_written(
    extended: Deployed, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = "0000000000000000000000"
    event = {**EVENT, "playlist_ids": [missing, CHART_PLAYLIST_ID]}
    with pytest.raises(
        IngestRunError, match=f"1 of 2 charts not written .* {missing}: playlist_not_found"
    ):
        extended.invoke(event)
    assert extended.keys() == [snapshot_key(CHART_PLAYLIST_ID, HOUR)]
    logs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_message = {log["message"].split(":")[0]: log for log in logs}
    written = by_message["snapshot written"]
    assert (written["playlist_id"], written["key"], written["entries"], written["attempts"]) == (
        CHART_PLAYLIST_ID,
        snapshot_key(CHART_PLAYLIST_ID, HOUR),
        100,
        4,  # metadata, two pages, snapshot_id again
    )
    assert written["level"] == "INFO"
    assert "duration_ms" in written
    failed = [log for log in logs if log.get("error_code") == "playlist_not_found"]
    assert [(log["level"], log["playlist_id"]) for log in failed] == [("ERROR", missing)]
    assert extended.fake.client_secret not in "".join(json.dumps(log) for log in logs)


def test_a_bad_id_in_the_event_is_refused_before_any_request(extended: Deployed) -> None:
    with pytest.raises(InvalidPlaylistIdError):
        extended.invoke({**EVENT, "playlist_ids": ["x/../../y"]})
    paths = {logged.path for logged in extended.fake.requests}
    assert not any(path.startswith("/v1/") for path in paths)
    assert extended.keys() == []


def test_no_time_left_fails_without_writing(extended: Deployed) -> None:
    with pytest.raises(IngestRunError, match="deadline_exceeded"):
        extended.invoke(context=Context(remaining_ms=5_000))
    assert extended.keys() == []


def test_a_settings_error_is_logged_as_json_then_raised(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The real entry point: its cold start reads the process environment, which lacks them.
    for name in ("LAKE_BUCKET", "PLAYLIST_IDS", "AUTH_MODE", "SPOTIFY_SECRET_ID", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SettingsError, match="LAKE_BUCKET is required"):
        handler.lambda_handler(EVENT, Context())
    [line] = capsys.readouterr().out.splitlines()
    logged = json.loads(line)
    assert (logged["level"], logged["message"], logged["error_code"]) == (
        "ERROR",
        "invocation failed",
        "invalid_settings",
    )
    assert logged["error"].startswith("invalid Lambda settings: LAKE_BUCKET is required; ")


def test_refresh_token_mode_writes_a_rotated_token_back() -> None:
    now = HOUR + timedelta(minutes=1)
    with mock_aws(), FakeSpotify(profile="dev-2026", now=now, rotate_refresh_token=True) as fake:
        deployed = deploy(fake, "refresh_token", [USER_CHART_PLAYLIST_ID])
        authorised_token = fake.refresh_token
        result = deployed.invoke()
        stored = json.loads(deployed.secrets.get_secret_value(SecretId=SECRET_ID)["SecretString"])
        # Without a rotation both sides would be the token deploy() stored: equal, proving nothing.
        assert fake.refresh_token != authorised_token
        assert stored == {
            "client_id": fake.client_id,
            "client_secret": fake.client_secret,
            "refresh_token": fake.refresh_token,
        }
        assert result["written"] == 1
        envelope = decode_envelope(deployed.body(snapshot_key(USER_CHART_PLAYLIST_ID, HOUR)))
        assert (envelope["api_profile"], len(envelope["entries"])) == ("dev-2026", 100)


def test_top_tracks_land_next_to_a_playlist_in_one_invocation() -> None:
    now = HOUR + timedelta(minutes=1)
    with mock_aws(), FakeSpotify(profile="dev-2026", now=now) as fake:
        deployed = deploy(fake, "refresh_token", [USER_CHART_PLAYLIST_ID], "short_term,long_term")
        result = deployed.invoke()
        expected = [
            top_tracks_key(FAKE_USER_ID, "long_term", HOUR),
            top_tracks_key(FAKE_USER_ID, "short_term", HOUR),
            snapshot_key(USER_CHART_PLAYLIST_ID, HOUR),
        ]
        assert deployed.keys() == sorted(expected)
        assert [(o["chart_kind"], o["playlist_id"], o["status"]) for o in result["playlists"]] == [
            ("playlist", USER_CHART_PLAYLIST_ID, "written"),
            ("top_tracks", f"top_tracks.short_term.{FAKE_USER_ID}", "written"),
            ("top_tracks", f"top_tracks.long_term.{FAKE_USER_ID}", "written"),
        ]
        envelope = decode_envelope(deployed.body(top_tracks_key(FAKE_USER_ID, "long_term", HOUR)))
        assert (envelope["chart"]["kind"], len(envelope["entries"])) == ("top_tracks", 100)
        assert "popularity" not in envelope["entries"][0]["item"]  # dev-2026 removes it


def test_top_tracks_with_client_credentials_fail_the_cold_start_naming_the_cause() -> None:
    with mock_aws(), FakeSpotify(profile="extended", now=HOUR) as fake:
        deployed = deploy(fake, "client_credentials", [], "short_term")
        with pytest.raises(SettingsError) as raised:
            deployed.invoke()
    message = str(raised.value)
    assert "\n" not in message
    assert "TOP_TRACKS_TIME_RANGES with AUTH_MODE=client_credentials" in message
    assert "client-credentials token has no user" in message
    assert fake.requests == []


def test_every_invocation_logs_the_refresh_tokens_days_left_with_its_metric(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "charts-ingest")
    # Six months after this is 2026-12-05T07:00:12.345678Z: nine days after CAPTURED.
    authorised = "2026-06-05T07:00:12.345678+00:00"
    with mock_aws(), FakeSpotify(profile="dev-2026", now=HOUR) as fake:
        deployed = deploy(fake, "refresh_token", [USER_CHART_PLAYLIST_ID], authorized_at=authorised)
        for _ in "ab":  # a warm container logs it again
            assert deployed.invoke()["written"] == 1
    logs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    ages = [log for log in logs if "refresh_token_days_left" in log]
    assert len(ages) == 2
    age = ages[0]
    assert (age["level"], age["refresh_token_days_left"], age["RefreshTokenDaysLeft"]) == (
        "WARNING",
        9.0,
        9.0,
    )
    assert age["message"] == (
        "refresh token: 9.0 days left (authorised 2026-06-05T07:00:12Z, ends "
        "2026-12-05T07:00:12Z): authorise again before then with `spotify-etl auth "
        f"--secret-id {SECRET_ID} --region <region>`"
    )
    assert age["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["FunctionName"]]
    assert age["FunctionName"] == "charts-ingest"


def test_a_refresh_token_past_six_months_fails_saying_why_and_how_to_authorise_again() -> None:
    authorised = HOUR - timedelta(days=200)
    with mock_aws(), FakeSpotify(profile="dev-2026", now=authorised) as fake:
        deployed = deploy(
            fake, "refresh_token", [USER_CHART_PLAYLIST_ID], authorized_at=authorised.isoformat()
        )
        fake.set_now(HOUR + timedelta(minutes=1))
        with pytest.raises(IngestRunError) as caught:
            deployed.invoke()
    assert (
        "refresh_token_rejected: Spotify rejected the stored refresh token (invalid_grant: "
        "Refresh token expired). Likely cause: since 2026-07-20 Spotify ends every refresh token "
        "six months after the user authorised (this one was authorised on 2026-05-10T07:00:00Z)"
        ", and refreshing does not extend it; else the user revoked access or the token belongs "
        f"to another app. Authorise again with `spotify-etl auth --secret-id {SECRET_ID} "
        f"--region <region>` (it updates Secrets Manager secret {SECRET_ID})."
    ) in str(caught.value)
