"""Credential stores: the secret's JSON contract, clear refusals, owner-only local files."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from ingest_lambda.errors import SecretError
from ingest_lambda.logs import JsonFormatter
from ingest_lambda.secrets import SecretsManagerStore, SpotifyCredentials, parse_credentials
from spotify_etl.local_stores import LocalFileStore

FULL = SpotifyCredentials("id1", "secret1", "refresh1")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "is not JSON; it must hold"),
        ("[1]", "must hold a JSON object with client_id and client_secret"),
        ('{"client_id": "a"}', "lacks client_secret; store the app's credentials"),
        ("{}", "lacks client_id and client_secret"),
    ],
)
def test_bad_secret_text_is_explained_without_its_values(text: str, message: str) -> None:
    with pytest.raises(SecretError, match=message) as caught:
        parse_credentials(text, "the secret")
    assert str(caught.value).startswith("the secret ")


def test_secret_json_round_trips_and_an_empty_refresh_token_counts_as_none() -> None:
    assert parse_credentials(FULL.to_json(), "x") == FULL
    empty = '{"client_id": "a", "client_secret": "b", "refresh_token": ""}'
    assert parse_credentials(empty, "x") == SpotifyCredentials("a", "b", None)
    assert "secret1" not in repr(FULL)
    assert "refresh1" not in repr(FULL)


def test_local_file_store_is_owner_only_and_replaces_atomically(lake: Path) -> None:
    store = LocalFileStore.in_lake(lake)
    store.save(SpotifyCredentials("id1", "secret1"))
    store.save(FULL)
    assert store.load() == FULL
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert sorted(path.name for path in store.path.parent.iterdir()) == ["spotify.json"]


def test_a_missing_local_file_says_how_to_create_it(lake: Path) -> None:
    with pytest.raises(SecretError, match=r"does not exist; create it with `spotify-etl auth"):
        LocalFileStore.in_lake(lake).load()


def test_secrets_manager_store_reads_and_writes_back() -> None:
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="spotify/ingest", SecretString=FULL.to_json())
        store = SecretsManagerStore(client, "spotify/ingest")
        assert store.load() == FULL
        store.save(FULL.with_refresh_token("refresh2"))
        stored = json.loads(client.get_secret_value(SecretId="spotify/ingest")["SecretString"])
    assert stored == {"client_id": "id1", "client_secret": "secret1", "refresh_token": "refresh2"}


def test_a_secret_the_stack_created_without_value_says_how_to_fill_it() -> None:
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="spotify/ingest")
        with pytest.raises(SecretError) as caught:
            SecretsManagerStore(client, "spotify/ingest").load()
    assert str(caught.value) == (
        "Secrets Manager secret spotify/ingest does not exist or has no value yet; store the "
        "app's credentials in it with `spotify-etl auth --secret-id spotify/ingest --region "
        "<region>`"
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('{"client_id": "id1"}', "lacks client_secret"),
        ("id1:secret1", "is not JSON"),
    ],
)
def test_a_secret_with_a_bad_value_says_how_to_replace_it(value: str, problem: str) -> None:
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="spotify/ingest", SecretString=value)
        with pytest.raises(SecretError) as caught:
            SecretsManagerStore(client, "spotify/ingest").load()
    message = str(caught.value)
    assert message.startswith(f"Secrets Manager secret spotify/ingest {problem}")
    assert message.endswith(
        "store the app's credentials with "
        "`spotify-etl auth --secret-id spotify/ingest --region <region>`"
    )
    assert "secret1" not in message


def test_json_log_lines_carry_the_extra_fields() -> None:
    record = logging.makeLogRecord(
        {
            "name": "ingest_lambda.core",
            "levelname": "INFO",
            "msg": "snapshot written",
            "playlist_id": "p",
            "entries": 100,
            "created": 0.0,
        }
    )
    assert json.loads(JsonFormatter().format(record)) == {
        "time": "1970-01-01T00:00:00+00:00",
        "level": "INFO",
        "logger": "ingest_lambda.core",
        "message": "snapshot written",
        "playlist_id": "p",
        "entries": 100,
    }
