"""The synthetic music catalogue: artists, albums and songs, pure functions of (seed, index)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from spotify_etl.fake_spotify import names
from spotify_etl.fake_spotify.ids import choose, digest, hex_key, spotify_id, unit

ARTIST_POOL_SIZE = 420
SONGS_PER_GROUP = 4  # consecutive songs share an album when their group is an album drop
SINGLE_SHARE = 0.6
COMPILATION_SHARE = 0.1
FEATURE_SHARE = 0.3
EXPLICIT_SHARE = 0.3
OLD_SONG_SHARE = 0.1  # catalogue re-entries (holiday classics, viral revivals)
RESTRICTED_SHARE = 0.08
MIN_DURATION_MS = 105_000
DURATION_SPREAD_MS = 200_000
VARIOUS_ARTISTS = "Various Artists"
ENTRY_GAP_HOURS = 3  # one new song becomes a chart candidate every 3 hours on average


@dataclass(frozen=True)
class Artist:
    """A simplified artist."""

    id: str
    name: str


@dataclass(frozen=True)
class Album:
    """A simplified album (single, album or compilation)."""

    id: str
    name: str
    album_type: str
    total_tracks: int
    release_date: str
    release_date_precision: str
    artists: tuple[Artist, ...]
    image_key: str
    label: str


@dataclass(frozen=True)
class Song:
    """A track with its album and its chart life parameters."""

    index: int
    id: str
    name: str
    artists: tuple[Artist, ...]
    album: Album
    track_number: int
    duration_ms: int
    explicit: bool
    isrc: str
    restricted: bool


SOLO_NAMES = len(names.FIRST) * len(names.LAST)
ARTIST_NAMES = SOLO_NAMES + len(names.BAND_ADJ) * len(names.BAND_NOUN)
# A stride coprime with ARTIST_NAMES walks every name once: no two artists of the pool share a
# name, so a title never reads "feat. Lexa Monroe & Lexa Monroe".
NAME_STRIDE = 173


@lru_cache(maxsize=ARTIST_POOL_SIZE * 4)
def artist(seed: int, index: int) -> Artist:
    """Artist `index` of the pool: solo names and band names, unique within the pool."""
    slot = (index * NAME_STRIDE + digest(seed, "artist-name")) % ARTIST_NAMES
    if slot < SOLO_NAMES:
        first, last = divmod(slot, len(names.LAST))
        name = f"{names.FIRST[first]} {names.LAST[last]}"
    else:
        adjective, noun = divmod(slot - SOLO_NAMES, len(names.BAND_NOUN))
        name = f"The {names.BAND_ADJ[adjective]} {names.BAND_NOUN[noun]}"
    return Artist(id=spotify_id(seed, "artist", index), name=name)


def various_artists(seed: int) -> Artist:
    """The compilation pseudo-artist (one id, like Spotify's own)."""
    return Artist(id=spotify_id(seed, "artist", "various"), name=VARIOUS_ARTISTS)


def _title(seed: int, kind: str, index: int) -> str:
    first = choose(names.TITLE_A, seed, kind, "a", index)
    return f"{first} {choose(names.TITLE_B, seed, kind, 'b', index)}"


def entry_hour(seed: int, song_index: int) -> int:
    """The hour (since the epoch) at which song `song_index` becomes a chart candidate."""
    return song_index * ENTRY_GAP_HOURS + digest(seed, "entry", song_index) % ENTRY_GAP_HOURS


def _release(seed: int, song_index: int, entry: int) -> tuple[str, str]:
    """Release date and precision: recent day-precise releases, older month/year-precise ones."""
    roll = unit(seed, "release", song_index)
    if roll < OLD_SONG_SHARE / 2:
        return str(1960 + digest(seed, "year", song_index) % 45), "year"
    released = datetime.fromtimestamp(entry * 3600, UTC)
    if roll < OLD_SONG_SHARE:
        old = released - timedelta(days=3650 + digest(seed, "month", song_index) % 7000)
        return old.strftime("%Y-%m"), "month"
    return (released - timedelta(days=digest(seed, "day", song_index) % 21)).strftime(
        "%Y-%m-%d"
    ), "day"


def _album(seed: int, song_index: int, lead: Artist) -> tuple[Album, int]:
    """The album of a song and the song's track number on it."""
    group = song_index // SONGS_PER_GROUP
    roll = unit(seed, "group-kind", group)
    if roll < SINGLE_SHARE:
        release_date, precision = _release(seed, song_index, entry_hour(seed, song_index))
    else:  # one release date per album, taken from its first song
        first = group * SONGS_PER_GROUP
        release_date, precision = _release(seed, first, entry_hour(seed, first))
    label = choose(names.LABELS, seed, "label", group)
    if roll < SINGLE_SHARE:
        name = _title(seed, "single", song_index)
        total = 1 + digest(seed, "single-size", song_index) % 3
        album = Album(
            spotify_id(seed, "album", f"s{song_index}"),
            name,
            "single",
            total,
            release_date,
            precision,
            (lead,),
            hex_key(seed, "img", "s", song_index),
            label,
        )
        return album, 1
    position = song_index % SONGS_PER_GROUP + 1 + digest(seed, "offset", group) % 6
    if roll < SINGLE_SHARE + COMPILATION_SHARE:
        name = f"{choose(names.COMPILATIONS, seed, 'comp', group)} {2000 + group % 27}"
        album = Album(
            spotify_id(seed, "album", f"c{group}"),
            name,
            "compilation",
            20 + digest(seed, "csize", group) % 20,
            release_date,
            precision,
            (various_artists(seed),),
            hex_key(seed, "img", "c", group),
            label,
        )
        return album, position
    name = (
        f"{choose(names.ALBUM_WORDS, seed, 'aw', group)} {choose(names.TITLE_B, seed, 'ab', group)}"
    )
    album = Album(
        spotify_id(seed, "album", f"a{group}"),
        name,
        "album",
        10 + digest(seed, "asize", group) % 9,
        release_date,
        precision,
        (lead,),
        hex_key(seed, "img", "a", group),
        label,
    )
    return album, position


def _lead_artist(seed: int, song_index: int) -> Artist:
    """Songs of one album drop share their lead artist; compilations mix artists."""
    group = song_index // SONGS_PER_GROUP
    roll = unit(seed, "group-kind", group)
    if roll >= SINGLE_SHARE + COMPILATION_SHARE:
        return artist(seed, digest(seed, "lead", "g", group) % ARTIST_POOL_SIZE)
    return artist(seed, digest(seed, "lead", song_index) % ARTIST_POOL_SIZE)


def _isrc(seed: int, song_index: int, release_date: str) -> str:
    """An ISRC: country, 3-character registrant, 2-digit year, 5-digit designation."""
    registrant = "".join(
        names.ISRC_REGISTRANT[digest(seed, "isrc", song_index, i) % len(names.ISRC_REGISTRANT)]
        for i in range(3)
    )
    designation = digest(seed, "isrc-n", song_index) % 100_000
    country = choose(names.ISRC_COUNTRIES, seed, "isrc-c", song_index)
    return f"{country}{registrant}{release_date[2:4]}{designation:05d}"


@lru_cache(maxsize=16_384)
def song(seed: int, song_index: int) -> Song:
    """Song `song_index` of the catalogue (songs are numbered in order of chart entry)."""
    lead = _lead_artist(seed, song_index)
    album, track_number = _album(seed, song_index, lead)
    title = _title(seed, "song", song_index)
    artists = [lead]
    if unit(seed, "feat", song_index) < FEATURE_SHARE:
        featured_count = 1 + digest(seed, "feat-n", song_index) % 2
        for slot in range(featured_count):
            guest = artist(seed, digest(seed, "guest", song_index, slot) % ARTIST_POOL_SIZE)
            if guest not in artists:
                artists.append(guest)
        if len(artists) > 1:
            title = f"{title} (feat. {' & '.join(a.name for a in artists[1:])})"
    if album.album_type == "single":
        album = Album(
            album.id,
            title,
            "single",
            album.total_tracks,
            album.release_date,
            album.release_date_precision,
            tuple(artists),
            album.image_key,
            album.label,
        )
    return Song(
        index=song_index,
        id=spotify_id(seed, "track", song_index),
        name=title,
        artists=tuple(artists),
        album=album,
        track_number=track_number,
        duration_ms=MIN_DURATION_MS + digest(seed, "duration", song_index) % DURATION_SPREAD_MS,
        explicit=unit(seed, "explicit", song_index) < EXPLICIT_SHARE,
        isrc=_isrc(seed, song_index, album.release_date),
        restricted=unit(seed, "restricted", song_index) < RESTRICTED_SHARE,
    )
