"""`spotify-etl ingest` and `spotify-etl auth`, run through the CLI against the Spotify fake."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ingest_lambda.envelope import decode_envelope
from ingest_lambda.keys import snapshot_key, top_tracks_key
from spotify_etl.cli import main
from spotify_etl.fake_spotify import CHART_PLAYLIST_ID, FAKE_USER_ID, USER_CHART_PLAYLIST_ID

START = datetime(2026, 11, 1, tzinfo=UTC)


def files(lake: Path) -> list[str]:
    return sorted(str(path.relative_to(lake)) for path in lake.rglob("*") if path.is_file())


def test_ingest_lands_consecutive_hours_with_the_lambda_layout(
    lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", "--lake", str(lake), "--hours", "3"]) == 0
    hours = [START + timedelta(hours=offset) for offset in range(3)]
    assert files(lake) == [snapshot_key(CHART_PLAYLIST_ID, hour) for hour in hours]
    assert capsys.readouterr().out == (
        "Landed 3 snapshots (1 playlist(s) x 3 hour(s), 2026-11-01T00:00:00Z to "
        f"2026-11-01T02:00:00Z, profile extended) under {lake}/raw/playlist_snapshots\n"
    )
    envelopes = [
        decode_envelope((lake / snapshot_key(CHART_PLAYLIST_ID, h)).read_bytes()) for h in hours
    ]
    assert [
        (e["snapshot_ts"], e["captured_at"], e["source"], e["api_profile"], len(e["entries"]))
        for e in envelopes
    ] == [
        ("2026-11-01T00:00:00Z", "2026-11-01T00:00:07.000000Z", "fake-spotify", "extended", 100),
        ("2026-11-01T01:00:00Z", "2026-11-01T01:00:07.000000Z", "fake-spotify", "extended", 100),
        ("2026-11-01T02:00:00Z", "2026-11-01T02:00:07.000000Z", "fake-spotify", "extended", 100),
    ]


def test_ingest_rerun_is_byte_identical(lake: Path) -> None:
    arguments = ["ingest", "--lake", str(lake), "--hours", "2", "--start", "2026-11-20T05:30"]
    assert main(arguments) == 0
    first = {name: (lake / name).read_bytes() for name in files(lake)}
    assert main(arguments) == 0
    assert {name: (lake / name).read_bytes() for name in files(lake)} == first
    assert sorted(first) == [
        snapshot_key(CHART_PLAYLIST_ID, datetime(2026, 11, 20, hour, tzinfo=UTC)) for hour in (5, 6)
    ]


def test_ingest_dev_profile_reads_the_users_chart_copy(lake: Path) -> None:
    assert main(["ingest", "--lake", str(lake), "--hours", "1", "--profile", "dev-2026"]) == 0
    body = (lake / snapshot_key(USER_CHART_PLAYLIST_ID, START)).read_bytes()
    envelope = json.loads(gzip.decompress(body))
    assert (envelope["api_profile"], len(envelope["entries"])) == ("dev-2026", 100)


def test_ingest_of_a_chart_under_dev_profile_explains_and_writes_nothing(
    lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = [
        "ingest",
        "--lake",
        str(lake),
        "--hours",
        "1",
        "--profile",
        "dev-2026",
        "--playlist",
        CHART_PLAYLIST_ID,
    ]
    assert main(arguments) == 1
    assert files(lake) == []
    assert (
        f"chart_unavailable: playlist {CHART_PLAYLIST_ID} answered 404 Not Found. Since 2024-11-27"
        in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--playlist", "not-an-id"],
            "playlist id 'not-an-id' is not a Spotify playlist id (exactly 22 characters 0-9, "
            "A-Z, a-z). Take the id from the playlist's link: "
            "https://open.spotify.com/playlist/<id>.",
        ),
        (["--hours", "0"], "--hours must be between 1 and 8784, got 0"),
        (["--market", "usa"], "--market 'usa': use a two-letter code such as US"),
    ],
)
def test_ingest_refuses_bad_arguments_before_starting(
    lake: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert main(["ingest", "--lake", str(lake), *arguments]) == 2
    assert capsys.readouterr().err == f"spotify-etl ingest: error: {message}\n"
    assert files(lake) == []


def test_ingest_selects_top_tracks_next_to_a_playlist(
    lake: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["ingest", "--lake", str(lake), "--hours", "2", "--playlist", CHART_PLAYLIST_ID]
    ranges = [
        "--top-tracks",
        "short_term",
        "--top-tracks",
        "long_term",
        "--top-tracks",
        "long_term",
    ]
    assert main([*arguments, *ranges]) == 0
    hours = [START, START + timedelta(hours=1)]
    assert files(lake) == sorted(
        key
        for hour in hours
        for key in (
            snapshot_key(CHART_PLAYLIST_ID, hour),
            top_tracks_key(FAKE_USER_ID, "short_term", hour),
            top_tracks_key(FAKE_USER_ID, "long_term", hour),
        )
    )
    assert capsys.readouterr().out.startswith(
        "Landed 6 snapshots (1 playlist(s) + 2 top-tracks chart(s) x 2 hour(s), "
    )


def test_top_tracks_alone_replace_the_default_playlist(lake: Path) -> None:
    arguments = ["ingest", "--lake", str(lake), "--hours", "1", "--profile", "dev-2026"]
    assert main([*arguments, "--top-tracks", "medium_term"]) == 0
    assert files(lake) == [top_tracks_key(FAKE_USER_ID, "medium_term", START)]
    envelope = decode_envelope((lake / files(lake)[0]).read_bytes())
    assert (envelope["chart"]["kind"], len(envelope["entries"])) == ("top_tracks", 100)


def test_a_bad_time_range_names_the_flag(capsys: pytest.CaptureFixture[str], lake: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ingest", "--lake", str(lake), "--top-tracks", "weekly"])
    assert exited.value.code == 2
    assert "argument --top-tracks: invalid choice: 'weekly'" in capsys.readouterr().err
    assert files(lake) == []
