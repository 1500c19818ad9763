"""Raw snapshot keys: valid ids round-trip, anything else is refused before use."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ingest_helpers import HOUR, PLAYLIST_A

from ingest_lambda.errors import InvalidEventError, InvalidPlaylistIdError
from ingest_lambda.keys import (
    parse_snapshot_key,
    parse_timestamp,
    snapshot_key,
    truncate_to_hour,
    validate_playlist_id,
)

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
valid_ids = st.text(alphabet=BASE62, min_size=22, max_size=22)
utc_moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)


def test_key_layout_is_the_documented_one() -> None:
    assert snapshot_key(PLAYLIST_A, HOUR.replace(minute=59, second=3)) == (
        "raw/playlist_snapshots/snapshot_date=2026-11-26/snapshot_hour=07/"
        "playlist_id=0123456789abcdefghijAB.json.gz"
    )


def test_key_uses_the_utc_hour_of_a_zoned_time() -> None:
    tokyo = timezone(timedelta(hours=9))
    moment = datetime(2026, 11, 27, 1, 30, tzinfo=tokyo)
    assert parse_snapshot_key(snapshot_key(PLAYLIST_A, moment)) == (
        PLAYLIST_A,
        HOUR.replace(hour=16, day=26),
    )


@given(playlist_id=valid_ids, moment=utc_moments)
def test_valid_ids_round_trip_through_the_key(playlist_id: str, moment: datetime) -> None:
    key = snapshot_key(playlist_id, moment)
    assert parse_snapshot_key(key) == (playlist_id, truncate_to_hour(moment))


@given(
    value=st.text(max_size=40).filter(
        lambda text: not (len(text) == 22 and set(text) <= set(BASE62))
    )
)
def test_anything_else_is_refused(value: str) -> None:
    with pytest.raises(InvalidPlaylistIdError, match="not a Spotify playlist id"):
        validate_playlist_id(value)
    with pytest.raises(InvalidPlaylistIdError):
        snapshot_key(value, HOUR)


@pytest.mark.parametrize(
    "value",
    [
        PLAYLIST_A + "\n",
        "../../../etc/passwd/abcd",
        "spotify:playlist:0123456789abcdefghijAB",
        "0123456789abcdefghij/B",
        "0123456789abcdefghijAé",
        None,
        22,
    ],
)
def test_near_misses_are_refused(value: object) -> None:
    with pytest.raises(InvalidPlaylistIdError):
        validate_playlist_id(value)


def test_a_time_without_zone_is_refused() -> None:
    with pytest.raises(InvalidEventError, match="no time zone"):
        truncate_to_hour(parse_timestamp("2026-11-26T07:00:00"))


def test_a_key_from_elsewhere_does_not_parse() -> None:
    with pytest.raises(ValueError, match="not a raw snapshot key"):
        parse_snapshot_key("curated/songs/part-0.parquet")
