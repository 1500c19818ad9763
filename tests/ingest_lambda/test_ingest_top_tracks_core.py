"""Top-tracks charts in the raw contract: keys for any user id, the envelope, the hour's run."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ingest_helpers import (
    CAPTURED,
    HOUR,
    PLAYLIST_A,
    ROOMY,
    BoomError,
    MemoryWriter,
    ScriptedSource,
    entry,
    fixed_clock,
    metadata,
)
from spotify_fixtures import load_fixture

from glue_jobs.charts.raw_keys import CHART_ID_GROUPS, RAW_KEY_PATTERN
from ingest_lambda.core import SnapshotLabels, ingest_hour
from ingest_lambda.envelope import build_top_tracks_envelope, decode_envelope
from ingest_lambda.errors import InvalidCredentialsError, InvalidTimeRangeError
from ingest_lambda.keys import (
    ENCODED_USER_PREFIX,
    PLAYLIST_ID_PATTERN,
    TIME_RANGES,
    parse_snapshot_key,
    snapshot_key,
    top_tracks_chart_id,
    top_tracks_key,
    truncate_to_hour,
    user_key_part,
)
from ingest_lambda.source import FetchedPlaylist
from ingest_lambda.top_tracks import FetchedTopTracks

LABELS = SnapshotLabels(source="spotify-web-api", api_profile="dev-2026", market="US")
USER = {"id": "fakelistener01", "display_name": "Fake Listener"}
utc_moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)
GLUE_KEY = re.compile(RAW_KEY_PATTERN)


def test_the_top_tracks_key_layout_is_the_documented_one() -> None:
    assert top_tracks_key("1112264649", "short_term", HOUR.replace(minute=59)) == (
        "raw/playlist_snapshots/snapshot_date=2026-11-26/snapshot_hour=07/"
        "chart_id=top_tracks.short_term.1112264649.json.gz"
    )


@pytest.mark.parametrize(
    ("user_id", "part"),
    [
        ("fakelistener01", "fakelistener01"),
        ("john.doe_88-x", "john.doe_88-x"),
        ("_hidden", "~X2hpZGRlbg"),
        ("a:b", "~YTpi"),
        ("ünïcode", "~w7xuw69jb2Rl"),
        ("x" * 65, "~" + base64.urlsafe_b64encode(b"x" * 65).decode().rstrip("=")),
    ],
)
def test_user_ids_go_into_keys_as_they_are_or_encoded(user_id: str, part: str) -> None:
    assert user_key_part(user_id) == part


@given(
    user_id=st.text(min_size=1, max_size=80),
    moment=utc_moments,
    time_range=st.sampled_from(TIME_RANGES),
)
def test_any_user_id_gives_a_key_both_sides_accept(
    user_id: str, moment: datetime, time_range: str
) -> None:
    key = top_tracks_key(user_id, time_range, moment)
    chart_id = top_tracks_chart_id(user_id, time_range)
    assert parse_snapshot_key(key) == (chart_id, truncate_to_hour(moment))
    match = GLUE_KEY.search(key)
    assert match is not None
    assert match.group(CHART_ID_GROUPS["top_tracks"]) == chart_id
    file_name = key.rsplit("/", 1)[1]
    # Hadoop refuses ':' in names; Spark skips names starting with '.' or '_'.
    assert ":" not in key
    assert file_name[0] not in "._"
    part = chart_id.split(".", 2)[2]
    if part.startswith(ENCODED_USER_PREFIX):
        padded = part[1:] + "=" * (-len(part[1:]) % 4)
        assert base64.urlsafe_b64decode(padded).decode("utf-8") == user_id
    else:
        assert part == user_id


@given(user_id=st.text(min_size=1, max_size=30), time_range=st.sampled_from(TIME_RANGES))
def test_a_chart_id_never_looks_like_a_playlist_id(user_id: str, time_range: str) -> None:
    key = top_tracks_key(user_id, time_range, HOUR)
    match = GLUE_KEY.search(key)
    assert match is not None
    # Python leaves an unmatched group None (Spark's regexp_extract gives "").
    assert match.group(CHART_ID_GROUPS["playlist"]) is None
    assert not PLAYLIST_ID_PATTERN.fullmatch(top_tracks_chart_id(user_id, time_range))


def test_a_bad_time_range_is_refused_before_any_key() -> None:
    with pytest.raises(InvalidTimeRangeError, match="'weekly' is not one of short_term"):
        top_tracks_key("u", "weekly", HOUR)


def test_the_top_tracks_envelope_is_exactly_the_documented_shape() -> None:
    page = load_fixture("top_tracks.json")
    envelope = build_top_tracks_envelope(
        user=load_fixture("current_user.json"),
        time_range="long_term",
        tracks=page["items"][:2],
        total=page["total"],
        snapshot_ts=HOUR.replace(minute=5),
        captured_at=CAPTURED,
        source="spotify-web-api",
        api_profile="extended",
    )
    assert envelope == {
        "schema_version": 2,
        "source": "spotify-web-api",
        "api_profile": "extended",
        "chart": {
            "kind": "top_tracks",
            "id": "top_tracks.long_term.1112264649",
            "name": "Top tracks of Joost Lekkerkerker (last year)",
            "time_range": "long_term",
            "user": {"id": "1112264649", "display_name": "Joost Lekkerkerker"},
            "total": 2742,
        },
        "snapshot_ts": "2026-11-26T07:00:00Z",
        "captured_at": "2026-11-26T07:00:12.345678Z",
        "market": None,
        "entries": [
            {"item": page["items"][0], "position": 1},
            {"item": page["items"][1], "position": 2},
        ],
    }


def top(time_range: str, size: int, user: dict[str, str] | None = None) -> FetchedTopTracks:
    tracks = [entry(number)["item"] for number in range(size)]
    return FetchedTopTracks(user=user or USER, tracks=tracks, total=size + 7, attempts=2)


def run(source: ScriptedSource, writer: MemoryWriter, ranges: list[str], ids: list[str]) -> dict:
    summary = ingest_hour(
        ids,
        snapshot_ts=HOUR.replace(minute=1),
        source=source,
        writer=writer,
        clock=fixed_clock,
        deadline=ROOMY,
        labels=LABELS,
        top_tracks=ranges,
    )
    result = summary.as_dict()
    for outcome in result["playlists"]:
        outcome["duration_ms"] = 0
    return result


def test_top_tracks_and_a_playlist_are_written_in_one_hour() -> None:
    source = ScriptedSource(
        {PLAYLIST_A: FetchedPlaylist(metadata(PLAYLIST_A), [entry(1)], attempts=1)},
        {"short_term": top("short_term", 3)},
    )
    writer = MemoryWriter()
    result = run(source, writer, ["short_term"], [PLAYLIST_A])
    key = top_tracks_key("fakelistener01", "short_term", HOUR)
    assert sorted(writer.objects) == sorted([snapshot_key(PLAYLIST_A, HOUR), key])
    assert result["playlists"][1] == {
        "playlist_id": "top_tracks.short_term.fakelistener01",
        "status": "written",
        "key": key,
        "entries": 3,
        "attempts": 2,
        "duration_ms": 0,
        "location": f"memory://{key}",
        "error_code": None,
        "error": None,
        "chart_kind": "top_tracks",
    }
    envelope = decode_envelope(writer.objects[key])
    assert [e["position"] for e in envelope["entries"]] == [1, 2, 3]
    assert (envelope["chart"]["total"], envelope["market"]) == (10, None)
    assert source.calls == [PLAYLIST_A, "short_term"]


def test_a_failing_top_tracks_chart_does_not_stop_the_others() -> None:
    source = ScriptedSource(
        {PLAYLIST_A: FetchedPlaylist(metadata(PLAYLIST_A), [entry(1)], attempts=1)},
        {"short_term": BoomError("no user"), "long_term": top("long_term", 2)},
    )
    writer = MemoryWriter()
    result = run(source, writer, ["short_term", "long_term"], [PLAYLIST_A])
    assert [(o["playlist_id"], o["status"], o["key"]) for o in result["playlists"]] == [
        (PLAYLIST_A, "written", snapshot_key(PLAYLIST_A, HOUR)),
        ("top_tracks.short_term", "failed", ""),
        (
            "top_tracks.long_term.fakelistener01",
            "written",
            top_tracks_key("fakelistener01", "long_term", HOUR),
        ),
    ]


def test_an_error_that_would_fail_every_chart_skips_the_top_tracks_too() -> None:
    source = ScriptedSource(
        {PLAYLIST_A: InvalidCredentialsError("memory", "Invalid client")},
        {"medium_term": top("medium_term", 2)},
    )
    result = run(source, MemoryWriter(), ["medium_term"], [PLAYLIST_A])
    assert [(o["chart_kind"], o["status"]) for o in result["playlists"]] == [
        ("playlist", "failed"),
        ("top_tracks", "skipped"),
    ]
    assert source.calls == [PLAYLIST_A]


def test_two_users_land_under_two_keys() -> None:
    other = {"id": "another.listener", "display_name": None}
    writer = MemoryWriter()
    run(ScriptedSource({}, {"short_term": top("short_term", 1)}), writer, ["short_term"], [])
    run(ScriptedSource({}, {"short_term": top("short_term", 1, other)}), writer, ["short_term"], [])
    assert sorted(writer.objects) == sorted(
        top_tracks_key(user, "short_term", HOUR) for user in ("fakelistener01", "another.listener")
    )
    envelope = decode_envelope(
        writer.objects[top_tracks_key("another.listener", "short_term", HOUR)]
    )
    assert envelope["chart"]["name"] == "Top tracks of another.listener (last 4 weeks)"
