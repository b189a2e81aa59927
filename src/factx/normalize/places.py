"""Place names to gazetteer features: candidates, context scores and the document focus.

Resolution follows what strong geoparsers do without a search server: every name gets
its gazetteer candidates, each scored by a population prior and a kind prior, then by
context from the same article: the focus country (from unambiguous names, demonyms and
the dateline), the regions other names resolve to ("Paris" next to "Texas"), an explicit
container ("Leshan, Sichuan", "Hawthorne, Calif."), the kind of the names listed with it
("California or Washington") and the countries the user prefers.  Where the user prefers none
and no clear name gives the article a country, its cue words do ("the 700 block of", "RCMP"; see
``country_cues``).  A name said with a town's office ("Toledo police") is a town or a county.  A
town and a state that could be read together support each other ("Savannah" ... "Georgia").
Once every name has a reading, same-named towns are chosen again by the article's state, by their
distance to the article's other towns ("Decatur" next to "Atlanta") and to the likely readings of
its other ambiguous names ("Quincy" next to "Ephrata" is in Washington).
Names the gazetteer does not know stay unresolved; they never stop the others.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Sequence

from ..errors import FactxError
from .gazetteer import Entry, load_gazetteer, name_key

RULES_FILE = "places_rules.json"
DEMONYMS_FILE = "places_demonyms.json"

# Kind priors, in log10-population units: a country name means the country far more
# often than a village of the same name.
KIND_PRIOR = {"country": 3.0, "admin1": 1.5, "region": 2.0, "admin2": 0.5, "city": 0.0}
PREFER_BONUS = 4.0  # curated readings ("Washington" in news is the capital)
ALT_PENALTY = 2.0  # a former or foreign name ("Salisbury" for Harare) is a weaker reading
CURATED_BONUS = 5.0  # a hand-listed region or alias beats a same-named village
HINT_BONUS = 4.0  # "Sichuan province", "Orange County": the kind is said
CONTAINER_MATCH = 8.0
CONTAINER_MISMATCH = -3.0
FOCUS_BONUS = 2.0
USER_COUNTRY_BONUS = 3.0
# The country the article's cue words point to ("the 700 block of", "RCMP"), as a user's preference would be;
# halved against a world city's name, as the article's own focus is.
CUE_COUNTRY_BONUS = 3.0
DOC_COUNTRY_BONUS = 1.0
DOC_ADMIN1_NEAR = 2.5  # a region named in the same or the next sentence ("Paris" ... "Texas")
DOC_ADMIN1_FAR = 1.0
# A town named nearby says less: lists of towns cross state lines ("Houston and Portland").
DOC_CITY_ADMIN1 = 0.5
# Names listed together are mostly of one kind ("Oregon, Utah, Washington and Wisconsin").
LIST_KIND_BONUS = 3.0
MAJOR_POPULATION = 1_000_000
# Below a million people a division's kind prior shrinks, to nothing at 10 ** SMALL_DIVISION_LOG.
SMALL_DIVISION_LOG = 4.0
# A town this large outside the region named after it ("New York City, Long Island") says the
# region was misread, not that an unknown namesake is meant.
LARGE_TOWN = 100_000
# A city holding this share of its same-named division's people is what the name means; a city named
# otherwise that answers to the division's name as an alias ("New York" for New York City) must hold more:
# "Oklahoma" is the state, not Oklahoma City.
CITY_SHARE_OF_DIVISION = 0.2
ALIAS_CITY_SHARE_OF_DIVISION = 0.4
# "St. Louis" / "Saint Louis", "Mt. Vernon" / "Mount Vernon": the gazetteer has one spelling.
PREFIX_VARIANTS = {"st": "saint", "ste": "sainte", "saint": "st", "sainte": "ste", "mt": "mount", "ft": "fort"}
# A name counts toward the focus with full weight only when its best reading beats the
# best reading in any other country by this margin.
CLEAR_MARGIN = 2.0
# A town whose state is also named in the article ("Savannah" ... "Georgia"), and a state
# holding a plausible reading of a town named with it: each reading supports the other.
COHERENCE_BONUS = 1.5
COHERENCE_MARGIN = 1.5  # a town reading counts for its state only this close to the name's best
# Second look, once every name has a reading: the article's state and the towns around.
FOCUS_ADMIN1_BONUS = 1.5
FOCUS_ADMIN1_WEIGHT = 2.0  # two sure names in a state, the state itself or a dateline make it the article's
REGION_VOTE = 2.0
NEAR_BONUS = 2.5  # a reading next to another place of the article ("Decatur" by "Atlanta")
NEAR_KM = 150.0
# Two names that are both ambiguous place each other where readings of both lie close together
# ("Quincy" and "Ephrata" in Washington, not Massachusetts and Pennsylvania).
PAIR_BONUS = 1.5
PAIR_READINGS = 8  # the most likely readings of a name that count as its possible places
PAIR_MARGIN = 2.5  # ... within this many prior units of its best reading in the article's country
NEAR_DEGREES = NEAR_KM / 111.0
SURE_MARGIN = 1.5  # a town some 30 times larger than any namesake is sure enough to place others
# "North Philadelphia", "West Oakland": a part of a large city.
DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest central downtown".split())
DIRECTION_CITY_POPULATION = 50_000
# "Toledo police", "the Elmira Police Department": a town's or a county's office names a town or a county.
LOCAL_BONUS = 3.0
# Cue patterns ("the 700 block of", "RCMP") that make a country the article's when no clear name says otherwise.
CUE_MIN = 1


class PlaceRulesError(FactxError):
    """A place rules file is malformed."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of a place name: a gazetteer entry plus its prior score."""

    entry: Entry
    prior: float
    prefer: bool = False
    curated: bool = False  # from the rules file, not only from the gazetteer
    alternate: bool = False  # known by a former or foreign name only ("Soul" for Seoul)


@dataclass(frozen=True, slots=True)
class PlaceRules:
    """Validated contents of ``places_rules.json`` and ``places_demonyms.json``."""

    aliases: dict[str, list[tuple[dict[str, Any], bool]]]
    regions: dict[str, Entry]
    unrecognized_regions: frozenset[str]
    abbreviations: dict[str, str]
    postal_codes: dict[str, str]
    demonyms: dict[str, str]
    division_words: dict[str, str]
    landmark_words: frozenset[str]
    street_words: frozenset[str]
    feature_words: frozenset[str]
    stop_names: frozenset[str]
    country_coordinates: dict[str, tuple[float, float]]
    person_titles: frozenset[str] = frozenset()
    # Word sequences (lower case) after a name that show it is a place; ``local`` ones name a town's office.
    local_cues: frozenset[tuple[str, ...]] = frozenset()
    place_cues: frozenset[tuple[str, ...]] = frozenset()
    before_cues: frozenset[tuple[str, ...]] = frozenset()
    modifier_nouns: frozenset[str] = frozenset()
    building_words: frozenset[tuple[str, ...]] = frozenset()
    namesakes: frozenset[str] = frozenset()
    given_names: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    brand_names: frozenset[str] = frozenset()
    # (country, ((text to find, pattern to match then), ...)), ...
    country_cues: tuple[tuple[str, tuple[tuple[str, re.Pattern[str]], ...]], ...] = ()


@dataclass(slots=True)
class Query:
    """A name to resolve, with what the text says about it."""

    name: str
    demonym: bool = False
    hint: str | None = None  # admin1 | admin2 | city, from "province", "County", ...
    container: int | None = None  # index of the query naming the region that contains this one
    weight: float = 1.0  # weight toward the focus (a dateline counts more)
    sentence: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    peers: tuple[int, ...] = ()  # indexes of the queries listed with this one ("California or Washington")
    local: bool = False  # named with a town's or a county's office ("Toledo police"): a town or a county


@dataclass(frozen=True, slots=True)
class Resolution:
    """The chosen reading of each query, and the document focus."""

    entries: list[Entry | None]
    focus_country: str | None
    focus_admin1: str | None


def _load_json(name: str) -> Any:
    ref = resources.files("factx") / "data" / name
    try:
        return json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlaceRulesError(f"{name}: cannot read ({exc})") from None


def _require(cond: bool, msg: str) -> None:
    if not cond:
        raise PlaceRulesError(f"{RULES_FILE}: {msg}")


@lru_cache(maxsize=1)
def load_rules() -> PlaceRules:
    """Load (once) and validate the place rules and demonym tables."""
    raw = _load_json(RULES_FILE)
    _require(isinstance(raw, dict) and raw.get("version") == 1, "expected an object with version 1")
    aliases: dict[str, list[tuple[dict[str, Any], bool]]] = defaultdict(list)
    for i, item in enumerate(raw.get("aliases", [])):
        _require(isinstance(item.get("names"), list) and item["names"], f"aliases[{i}] needs names")
        _require(
            any(k in item for k in ("country", "geonames_id", "admin1")),
            f"aliases[{i}] needs country, admin1 or geonames_id",
        )
        target = {k: v for k, v in item.items() if k not in ("names", "prefer")}
        for n in item["names"]:
            aliases[name_key(n)].append((target, bool(item.get("prefer"))))
    regions: dict[str, Entry] = {}
    unrecognized: set[str] = set()
    for i, item in enumerate(raw.get("regions", [])):
        _require(
            isinstance(item.get("names"), list) and isinstance(item.get("lat"), (int, float)),
            f"regions[{i}] needs names, lat and lon",
        )
        entry = Entry(None, item.get("kind", "region"), item["names"][0], item.get("country"), None,
                      float(item["lat"]), float(item["lon"]), 0)
        for n in item["names"]:
            regions[name_key(n)] = entry
            if item.get("recognize") is False:
                unrecognized.add(name_key(n))
    abbreviations = raw.get("abbreviations", {})
    _require(all(isinstance(v, str) and "-" in v for v in abbreviations.values()),
             "abbreviations map to ISO 3166-2 codes")
    demonyms = dict(_load_json(DEMONYMS_FILE))
    for word in raw.get("not_demonyms", []):
        demonyms.pop(word, None)
    demonyms.update(raw.get("demonyms", {}))
    division_words = raw.get("division_words", {})
    _require(all(v in KIND_PRIOR for v in division_words.values()), "division_words map to a kind")
    after = raw.get("place_cues_after", {})
    _require(isinstance(after, dict) and all(isinstance(after.get(k, []), list) for k in ("local", "place")),
             "place_cues_after needs lists 'local' and 'place'")
    buildings = raw.get("building_words", {})
    cues = []
    for i, item in enumerate(raw.get("country_cues", [])):
        _require(isinstance(item.get("country"), str) and isinstance(item.get("cues"), list),
                 f"country_cues[{i}] needs country and cues")
        compiled = []
        for cue in item["cues"]:
            if isinstance(cue, str):
                cue = {"find": cue, "pattern": r"\b" + re.escape(cue) + r"\b"}
            _require(isinstance(cue, dict) and cue.get("find") and cue.get("pattern"),
                     f"country_cues[{i}]: a cue is a phrase or has find and pattern")
            try:
                compiled.append((cue["find"], re.compile(cue["pattern"], re.M)))
            except re.error as exc:
                raise PlaceRulesError(
                    f"{RULES_FILE}: country_cues[{i}]: bad pattern {cue['pattern']!r} ({exc})"
                ) from None
        cues.append((item["country"], tuple(compiled)))
    return PlaceRules(
        aliases=dict(aliases),
        regions=regions,
        unrecognized_regions=frozenset(unrecognized),
        abbreviations=dict(abbreviations),
        postal_codes={k: v for k, v in raw.get("postal_codes", {}).items() if not k.startswith("_")},
        demonyms={name_key(k): v for k, v in demonyms.items()},
        division_words={k.casefold(): v for k, v in division_words.items()},
        landmark_words=frozenset(w.casefold() for w in raw.get("landmark_words", [])),
        street_words=frozenset(w.casefold() for w in raw.get("street_words", [])),
        feature_words=frozenset(w.casefold() for w in raw.get("feature_words", [])),
        stop_names=frozenset(name_key(w) for w in raw.get("stop_names", [])),
        country_coordinates={
            k: (float(v[0]), float(v[1])) for k, v in raw.get("country_coordinates", {}).items() if not k.startswith("_")
        },
        person_titles=frozenset(w.casefold() for w in raw.get("person_titles", [])),
        local_cues=_phrases(after.get("local", [])),
        place_cues=_phrases(after.get("place", [])),
        before_cues=_phrases(raw.get("place_cues_before", [])),
        modifier_nouns=frozenset(w.casefold() for w in raw.get("modifier_nouns", {}).get("words", [])),
        building_words=_phrases(buildings.get("words", [])),
        namesakes=frozenset(name_key(w) for w in buildings.get("namesakes", [])),
        given_names=frozenset(name_key(w) for w in raw.get("given_names", {}).get("words", [])),
        first_names=frozenset(name_key(w) for w in raw.get("given_names", {}).get("first_names", [])),
        brand_names=frozenset(name_key(w) for w in raw.get("brand_names", {}).get("words", [])),
        country_cues=tuple(cues),
    )


def _phrases(items: list[str]) -> frozenset[tuple[str, ...]]:
    """Lower-cased word tuples of cue phrases ("fire department" -> ("fire", "department"))."""
    return frozenset(tuple(x.casefold().split()) for x in items if x.strip())


def country_cues(text: str) -> Counter[str]:
    """Count, per country, the distinct cue patterns of ``places_rules.json`` that occur in ``text``.

    Example:
        >>> country_cues("Deputies were called to the 700 block of Main Street.")
        Counter({'US': 1})
    """
    out: Counter[str] = Counter()
    for country, cues in load_rules().country_cues:
        # A plain substring test first: most cues are absent, and a regex scan of the whole text is slow.
        n = sum(1 for find, pattern in cues if find in text and pattern.search(text))
        if n:
            out[country] += n
    return out


def _fix(entry: Entry) -> Entry:
    """Apply the curated country coordinates."""
    if entry.kind == "country":
        point = load_rules().country_coordinates.get(entry.country or "")
        if point:
            return replace(entry, lat=point[0], lon=point[1])
    return entry


def _prior(entry: Entry) -> float:
    kind = KIND_PRIOR.get(entry.kind, 0.0)
    if entry.kind == "admin1" and 0 < entry.population < MAJOR_POPULATION:
        # A small division ("Toledo" district, 16,000 people) is no likelier than a large town of its name.
        kind *= max(0.0, math.log10(entry.population) - SMALL_DIVISION_LOG) / (6.0 - SMALL_DIVISION_LOG)
    return math.log10(entry.population + 10) + kind


@lru_cache(maxsize=256)
def _by_id(geonames_id: int) -> tuple[Entry, ...]:
    return tuple(load_gazetteer().by_id(geonames_id))


def _alias_entries(target: dict[str, Any]) -> Sequence[Entry]:
    gaz = load_gazetteer()
    if "lat" in target:
        return [Entry(None, target.get("kind", "region"), target.get("name", ""), target.get("country"),
                      target.get("admin1"), float(target["lat"]), float(target["lon"]), 0)]
    if "geonames_id" in target:
        return _by_id(int(target["geonames_id"]))
    if "admin1" in target:
        e = gaz.admin1(target["admin1"])
        return [e] if e else []
    e = gaz.country(target["country"])
    return [e] if e else []


def place_candidates(name: str, *, hint: str | None = None) -> list[Candidate]:
    """Return the readings of ``name`` (aliases, regions, gazetteer), best prior first."""
    return list(_candidates(name, hint))


@lru_cache(maxsize=65536)
def _candidates(name: str, hint: str | None) -> tuple[Candidate, ...]:
    rules = load_rules()
    key = name_key(name)
    if not key or key in rules.stop_names:
        return ()
    out: list[Candidate] = []
    seen: set[tuple] = set()

    def add(entry: Entry, bonus: float = 0.0, prefer: bool = False, curated: bool = False,
            alternate: bool = False) -> None:
        ident = (entry.geonames_id, entry.kind, entry.name, entry.lat)
        if ident in seen:
            return
        seen.add(ident)
        out.append(Candidate(_fix(entry), _prior(entry) + bonus, prefer, curated=curated, alternate=alternate))

    for target, prefer in rules.aliases.get(key, ()):
        for entry in _alias_entries(target):
            bonus = PREFER_BONUS if prefer else CURATED_BONUS if entry.population == 0 else 0.0
            add(entry, bonus, prefer, curated=True)
    if key in rules.regions:
        add(rules.regions[key], CURATED_BONUS, curated=True)
    code = rules.abbreviations.get(name.strip()) or (rules.postal_codes.get(name.strip()) if hint == "admin1" else None)
    if code:
        entry = load_gazetteer().admin1(code)
        if entry:
            add(entry, CURATED_BONUS, curated=True)
    gaz = load_gazetteer()
    for variant in (key, *_variants(key)):
        for entry, by_alt in gaz.lookup_key(variant):
            add(entry, -ALT_PENALTY if by_alt else 0.0, alternate=by_alt)
    words = name.split()
    if not out and len(words) > 1 and words[-1].casefold() in rules.division_words:
        # "Oaxaca State", "Manchester City": the name without its designator.
        return _candidates(" ".join(words[:-1]), hint or rules.division_words[words[-1].casefold()])
    if not out and len(words) > 1 and words[0].casefold() in DIRECTIONS:
        out = _part_of(" ".join(words[1:]))
    if hint != "admin1":
        out = _city_over_division(out)
    if hint:
        out = [replace(c, prior=c.prior + (HINT_BONUS if c.entry.kind == hint else 0.0)) for c in out]
    out.sort(key=lambda c: -c.prior)
    return tuple(out)


def _part_of(rest: str) -> list[Candidate]:
    """Readings of "North Philadelphia": the large city after the direction word.

    The part has no point of its own in the gazetteer: the whole city's name and point stand in,
    without its GeoNames id (the part is not the city's feature).
    """
    out = []
    for entry, by_alt in load_gazetteer().lookup_key(name_key(rest)):
        if by_alt:
            continue
        if entry.kind != "city" or entry.population < DIRECTION_CITY_POPULATION:
            continue
        part = replace(entry, geonames_id=None)
        out.append(Candidate(part, _prior(entry)))
    return out


def _city_over_division(cands: list[Candidate]) -> list[Candidate]:
    """Rank a city above the same-named division it dominates ("Hanoi", "Sao Paulo", "Lagos").

    News names such a division on its own mostly to mean the city; the division wins when
    the text says so ("Lagos state"), which the caller's hint handles.
    """
    divisions = [c for c in cands if c.entry.kind == "admin1" and c.entry.population > 0 and not c.prefer]
    if not divisions:
        return cands
    out = list(cands)
    for d in divisions:
        for k, c in enumerate(out):
            e = c.entry
            share = CITY_SHARE_OF_DIVISION if name_key(e.name) == name_key(d.entry.name) else ALIAS_CITY_SHARE_OF_DIVISION
            if (e.kind == "city" and e.country == d.entry.country
                    and e.population >= share * d.entry.population and c.prior <= d.prior):
                out[k] = replace(c, prior=d.prior + 0.1)
    return out


def _variants(key: str) -> list[str]:
    # "Bay St. Louis" / "Bay Saint Louis": the abbreviation may stand anywhere in the name.
    words = key.split()
    if any(w in PREFIX_VARIANTS for w in words):
        return [" ".join(PREFIX_VARIANTS.get(w, w) for w in words)]
    return []


def demonym_candidates(word: str) -> list[Candidate]:
    """Return the place a nationality word ("Chinese", "Iraqis", "Texan") refers to, if any."""
    rules = load_rules()
    key = name_key(word)
    target = rules.demonyms.get(key)
    if target is None and key.endswith("s"):
        target = rules.demonyms.get(key[:-1])
    if target is None:
        return []
    gaz = load_gazetteer()
    if len(target) == 2 and target.isupper():
        entry = gaz.country(target)
        return [Candidate(_fix(entry), _prior(entry))] if entry else []
    if name_key(target) in rules.regions:
        entry = rules.regions[name_key(target)]
        return [Candidate(entry, _prior(entry) + CURATED_BONUS, curated=True)]
    if "-" in target and target[:2].isupper():
        entry = gaz.admin1(target)
        return [Candidate(entry, _prior(entry))] if entry else []
    return place_candidates(target)[:1]


def is_demonym(word: str) -> bool:
    """Return whether ``word`` is a known nationality or regional demonym."""
    return bool(demonym_candidates(word))


def abbreviation_admin1(text: str, *, postal: bool = False, bare: bool = False) -> str | None:
    """Return the ISO 3166-2 code of a state abbreviation ("Calif." -> "US-CA"; with ``postal``, "CA" too).

    With ``bare``, an AP abbreviation written without its period ("Mo", "Tenn") counts too.
    """
    rules = load_rules()
    text = text.strip()
    code = rules.abbreviations.get(text) or (rules.postal_codes.get(text) if postal else None)
    if code is None and bare and text.isalpha() and text[:1].isupper() and not text.isupper():
        code = rules.abbreviations.get(text + ".")
    return code


def _score(c: Candidate, q: Query, i: int, ctx: dict[str, Any], chosen: list[Entry | None]) -> float:
    e = c.entry
    s = c.prior
    if e.country and e.country in ctx["prefer"]:
        s += USER_COUNTRY_BONUS
    if q.local and e.kind in ("city", "admin2"):
        s += LOCAL_BONUS
    # A town that shares its name with a world city ("Paris", Texas) needs more than the
    # article's country to win: a region named nearby, or a container.
    damp = 0.5 if _has_major_rival(c, q) else 1.0
    if e.country and e.country in ctx["inferred"]:
        s += CUE_COUNTRY_BONUS * damp
    if e.country and e.country == ctx["focus"]:
        s += FOCUS_BONUS * damp
    if e.country and e.country in ctx["countries"]:
        s += DOC_COUNTRY_BONUS * damp
    if e.kind not in ("country", "admin1") and e.admin1:
        # Other mentions of the same name are no evidence for its reading.
        key = name_key(q.name)
        others = [(sent, region) for j, sent, region, k in ctx["admin1s"].get(e.admin1, ()) if j != i and k != key]
        regions = [sent for sent, region in others if region]
        named = bool(regions)
        if regions:
            near = any(abs(sent - q.sentence) <= 1 for sent in regions)
            s += DOC_ADMIN1_NEAR if near else DOC_ADMIN1_FAR
        elif others:
            s += DOC_CITY_ADMIN1
    else:
        named = False
    if e.admin1 and e.kind != "country":
        key = name_key(q.name)
        if e.kind == "admin1":
            # "New York", "Oklahoma": a city of the same name in the state is no support for it.
            own_city = any(c2.entry.kind == "city" and c2.entry.admin1 == e.admin1 for c2 in q.candidates)
            support = () if own_city else ctx["admin1_towns"].get(e.admin1, ())
        else:
            support = ctx["admin1_named"].get(e.admin1, ())
        # Only where the state is not already a clear reading of another name (no double count).
        if not named and any(k != key for k in support):
            s += COHERENCE_BONUS * damp
        if not named and ctx.get("focus_admin1") and e.admin1 == ctx["focus_admin1"] and e.kind != "admin1":
            s += FOCUS_ADMIN1_BONUS * damp
    points = ctx.get("points")
    # A world city's namesake ("Paris", Ky.) needs a region or container, not a neighbour.
    if points and damp == 1.0 and e.kind in ("city", "admin2") and e.lat is not None:
        key = _base_key(q.name)
        near = min((_km(e.lat, e.lon, la, lo) for k, la, lo in points if k != key), default=None)
        if near is not None and near < NEAR_KM:
            s += NEAR_BONUS * (1.0 - near / NEAR_KM)
    pairs = ctx.get("pairs")
    if pairs and damp == 1.0 and e.kind in ("city", "admin2") and e.lat is not None:
        # "DeKalb" and "DeKalb County" are one name, not two that place each other.
        base = _base_key(q.name)
        lat, lon = e.lat, e.lon
        # A box test first: most readings are far apart, and a great-circle distance costs more.
        near = min((_km(lat, lon, la, lo) for k, la, lo in pairs
                    if k != base and abs(la - lat) < NEAR_DEGREES and abs(lo - lon) < 2 * NEAR_DEGREES), default=None)
        if near is not None and near < NEAR_KM:
            s += PAIR_BONUS * (1.0 - near / NEAR_KM)
    if e.kind in ("admin1", "country") and any(
        p.kind == e.kind and (e.kind == "country" or p.country == e.country) for p in ctx["peer_kinds"][i]
    ):
        s += LIST_KIND_BONUS
    if q.container is not None and chosen[q.container] is not None:
        box = chosen[q.container]
        if box.kind == "admin1" or (box.kind != "country" and box.admin1):
            s += CONTAINER_MATCH if e.admin1 and e.admin1 == box.admin1 else CONTAINER_MISMATCH
        elif box.country:
            s += CONTAINER_MATCH if e.country == box.country else CONTAINER_MISMATCH
    return s


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _inside(e: Entry, box: Entry) -> bool:
    """Return whether ``e`` lies in the region ``box`` (by its ISO codes)."""
    if box.kind == "country" or not box.admin1:
        return bool(box.country) and e.country == box.country
    return e.admin1 == box.admin1


def _has_major_rival(c: Candidate, q: Query) -> bool:
    """Return whether another reading of the name, in another country, is a major place."""
    # A former or foreign name of a large city ("Santa Ana" for Taguig) is no rival: its prior says so.
    return any(
        o.entry.country != c.entry.country
        and (o.entry.population >= MAJOR_POPULATION or o.entry.kind == "country")
        and o.entry.population > c.entry.population
        and o.prior > c.prior
        for o in q.candidates
    )


def _clear(q: Query) -> Candidate | None:
    """Return the best reading when it beats every reading in another country by a margin."""
    if not q.candidates:
        return None
    best = q.candidates[0]
    rivals = [c.prior for c in q.candidates[1:] if c.entry.country != best.entry.country]
    if not rivals or best.prior - max(rivals) >= CLEAR_MARGIN:
        return best
    return None


def resolve_places(queries: Sequence[Query], *, prefer_countries: Sequence[str] = (), text: str = "") -> Resolution:
    """Choose a reading for every query using the article's context; compute the focus.

    ``text`` is the article: without countries preferred by the caller, the country its cue words
    point to (``country_cues``) is preferred where no clear name disagrees.
    """
    prefer = frozenset(c.upper() for c in prefer_countries)
    for q in queries:
        if not q.candidates:
            q.candidates = demonym_candidates(q.name) if q.demonym else place_candidates(q.name, hint=q.hint)

    # Pass 1: what the unambiguous names say about the article.
    weights: Counter[str] = Counter()
    # ISO 3166-2 code -> (query, sentence, names the region itself, name key) of the clear readings in it.
    admin1s: dict[str, list[tuple[int, int, bool, str]]] = defaultdict(list)
    for i, q in enumerate(queries):
        best = _clear(q)
        if best is None or not best.entry.country:
            continue
        weights[best.entry.country] += q.weight
        if best.entry.admin1:
            admin1s[best.entry.admin1].append(
                (i, q.sentence, best.entry.kind in ("admin1", "admin2"), name_key(q.name))
            )
    inferred: frozenset[str] = frozenset()
    # The cues are read only where they can count (the clear names name one country at most) and where
    # a name has readings in more than one country.
    if text and not prefer and len(weights) <= 1 and any(
        c.entry.country != q.candidates[0].entry.country for q in queries for c in q.candidates[1:]
    ):
        inferred = _cue_country(country_cues(text), weights)
    # Cues weigh on the readings, not on the focus: the focus stays what the clear names say.
    for code in prefer:
        weights[code] += 0.5
    focus = _argmax(weights, queries)
    # The reading each listed neighbour has on its own, when that is clear.
    clear = [_clear(q) for q in queries]
    peer_kinds = [[c.entry for j in q.peers if (c := clear[j]) is not None] for q in queries]
    admin1_named: dict[str, set[str]] = defaultdict(set)
    admin1_towns: dict[str, set[str]] = defaultdict(set)
    for q in queries:
        if q.demonym or not q.candidates:
            continue
        top = q.candidates[0].prior
        for c in q.candidates:
            if c.entry.admin1 and top - c.prior <= COHERENCE_MARGIN:
                if c.entry.kind == "admin1":
                    admin1_named[c.entry.admin1].add(name_key(q.name))
                elif c.entry.kind in ("city", "admin2"):
                    admin1_towns[c.entry.admin1].add(name_key(q.name))
    ctx = {"prefer": prefer, "inferred": inferred, "focus": focus, "countries": set(weights), "admin1s": admin1s,
           "peer_kinds": peer_kinds,
           "admin1_named": admin1_named, "admin1_towns": admin1_towns}

    # Pass 2: containers first, then every name once: all its mentions share one
    # reading, the one with the best total score ("one sense per discourse").
    chosen: list[Entry | None] = [None] * len(queries)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, q in enumerate(queries):
        if q.container is None:
            groups[(name_key(q.name), q.demonym, q.hint)].append(i)
        else:
            groups[("#", i)].append(i)
    ordered = sorted(groups.values(), key=lambda idx: queries[idx[0]].container is not None)
    # A container says which town is meant ("Paris, Ky."); later bare mentions mean the same one.
    contained: dict[str, Entry] = {}
    for idx in ordered:
        q0 = queries[idx[0]]
        cands = q0.candidates
        box = chosen[q0.container] if q0.container is not None else None
        if (
            box is not None
            and box.kind == "admin1"
            and not q0.demonym
            and not any(
                c.entry.kind != "city"
                or _inside(c.entry, box)
                or (c.entry.population >= LARGE_TOWN and c.entry.country == box.country)
                or c.entry.population >= MAJOR_POPULATION
                for c in cands
            )
        ):
            # "Holliday, Mo." where the gazetteer knows no Holliday in Missouri: the town is
            # there, its point unknown; a same-named town elsewhere would be wrong.
            name = q0.name.title() if q0.name.isupper() else q0.name  # "TOONE, Tenn." in a dateline
            chosen[idx[0]] = Entry(None, "city", name, box.country, box.admin1, None, None, 0)
            contained.setdefault(name_key(q0.name), chosen[idx[0]])
            continue
        if not cands:
            continue
        key = name_key(q0.name)
        totals = [sum(_score(c, queries[i], i, ctx, chosen) for i in idx) for c in cands]
        best = cands[max(range(len(cands)), key=totals.__getitem__)].entry
        for i in idx:
            chosen[i] = best
        if queries[idx[0]].container is not None:
            contained.setdefault(key, best)
    containers = {q.container for q in queries if q.container is not None}
    for i, q in enumerate(queries):
        key = name_key(q.name)
        if q.container is None and not q.demonym and i not in containers and key in contained:
            chosen[i] = contained[key]
    fixed = containers | {i for i, q in enumerate(queries) if q.container is not None or name_key(q.name) in contained}
    _refine(queries, ordered, chosen, ctx, fixed=fixed)

    final: Counter[str] = Counter()
    final_admin1: Counter[str] = Counter()
    for q, e in zip(queries, chosen):
        if e is not None and e.country:
            final[e.country] += q.weight
    for code in prefer | inferred:
        final[code] += 0.5
    focus = _argmax(final, queries) or focus
    for q, e in zip(queries, chosen):
        if e is not None and e.country == focus and e.admin1 and e.kind != "country":
            final_admin1[e.admin1] += q.weight
    focus_admin1 = None
    if final_admin1:
        code, n = final_admin1.most_common(1)[0]
        if n >= 2 and n >= 0.5 * sum(final_admin1.values()):
            focus_admin1 = code
    return Resolution(chosen, focus, focus_admin1)


def _refine(queries: Sequence[Query], groups: list[list[int]], chosen: list[Entry | None], ctx: dict[str, Any],
            *, fixed: set[int]) -> None:
    """Choose again among same-named towns, now that the other names have readings.

    The regions chosen anywhere in the article count like clear ones, the article's
    state favours its towns, and a reading near another place of the article wins over a
    larger namesake far away ("Warren" by "Youngstown").
    """
    weights: Counter[str] = Counter()
    states: Counter[str] = Counter()
    admin1s: dict[str, list[tuple[int, int, bool, str]]] = defaultdict(list)
    points = []
    votes: dict[tuple[str, str], float] = {}
    state_keys: dict[str, set[str]] = defaultdict(set)
    for i, (q, e) in enumerate(zip(queries, chosen)):
        if e is None or q.demonym:
            continue
        key = name_key(q.name)
        if e.country:
            weights[e.country] += q.weight
        # Only regions and the towns that are clear on their own, or fixed by a container,
        # say which state the article is about and place the others.
        sure = i in fixed or _sure(q, e)
        if e.admin1 and e.kind != "country":
            if sure or e.kind == "admin1":
                # Each name counts once; a state named outright counts double.
                vote = q.weight * (REGION_VOTE if e.kind == "admin1" else 1.0)
                votes[(e.admin1, key)] = max(votes.get((e.admin1, key), 0.0), vote)
            admin1s[e.admin1].append((i, q.sentence, e.kind in ("admin1", "admin2"), key))
        # A town read as its most populous namesake places its neighbours too ("Youngstown").
        first = bool(q.candidates) and q.candidates[0].entry == e
        if e.kind in ("city", "admin2") and e.lat is not None and (sure or first):
            points.append((_base_key(q.name), e.lat, e.lon))
    for (code, key), vote in votes.items():
        states[code] += vote
        state_keys[code].add(key)
    pairs: list[tuple[str, float, float]] | None = None
    for idx in groups:
        q0 = queries[idx[0]]
        own = chosen[idx[0]]
        if q0.demonym or own is None or own.kind not in ("city", "admin2") or any(i in fixed for i in idx):
            continue
        # The article's state without this name's own vote.
        st = states.copy()
        key0 = name_key(q0.name)
        if own.admin1 and key0 in state_keys.get(own.admin1, ()):
            st[own.admin1] -= votes[(own.admin1, key0)]
        focus = ctx["focus"] or _argmax(weights, queries)
        if pairs is None:
            pairs = _possible_points(queries, groups, focus)
        st = Counter({code: n for code, n in st.items() if n > 0 and code.startswith(f"{focus}-")})
        top = st.most_common(2)
        focus_admin1 = (
            top[0][0]
            if top and top[0][1] >= FOCUS_ADMIN1_WEIGHT and top[0][1] >= 0.5 * sum(st.values())
            and (len(top) == 1 or top[0][1] > top[1][1])
            else None
        )
        # The focus country stays the one the clear names gave: a second vote on it would let
        # the ambiguous names pull the article abroad.  ``_score`` skips this name's own entries.
        ctx2 = dict(ctx, admin1s=admin1s, focus_admin1=focus_admin1, points=points, pairs=pairs)
        # Same-named towns only: a country or state chosen before stays.
        cands = [c for c in q0.candidates if c.entry.kind in ("city", "admin2")]
        if not cands:
            continue
        totals = [sum(_score(c, queries[i], i, ctx2, chosen) for i in idx) for c in cands]
        best = cands[max(range(len(cands)), key=totals.__getitem__)].entry
        for i in idx:
            chosen[i] = best


def _cue_country(cues: Counter[str], weights: Counter[str]) -> frozenset[str]:
    """Return the country the cues point to, where the clear names (``weights``) name no other country."""
    top = cues.most_common(2)
    if not top or top[0][1] < CUE_MIN or (len(top) > 1 and top[1][1] >= top[0][1]):
        return frozenset()
    # The clear names come first: the cues count where they give no country, or only the cues' country
    # (a local story); an article across countries keeps its world cities.
    if weights and (sum(w for c, w in weights.items() if c != top[0][0]) > 0 or top[0][0] not in weights):
        return frozenset()
    return frozenset({top[0][0]})


def _base_key(name: str) -> str:
    """Return the name's key without a trailing division word ("dekalb" for "DeKalb County")."""
    words = name_key(name).split()
    while len(words) > 1 and words[-1] in load_rules().division_words:
        words.pop()
    return " ".join(words)


def _possible_points(
    queries: Sequence[Query], groups: list[list[int]], country: str | None
) -> list[tuple[str, float, float]]:
    """Return (name key, lat, lon) of the likely town and county readings of every name, in ``country``."""
    out = []
    for idx in groups:
        q = queries[idx[0]]
        if q.demonym:
            continue
        cands = [c for c in q.candidates if c.entry.kind in ("city", "admin2") and c.entry.lat is not None
                 and (country is None or c.entry.country == country)]
        if not cands:
            continue
        top = max(c.prior for c in cands)
        key = _base_key(q.name)
        best = sorted((c for c in cands if top - c.prior <= PAIR_MARGIN), key=lambda c: -c.prior)[:PAIR_READINGS]
        out.extend((key, c.entry.lat, c.entry.lon) for c in best)
    return out


def _sure(q: Query, e: Entry) -> bool:
    """Return whether ``e`` beats every other reading of the query's name, in any place, by a margin."""
    mine = [c.prior for c in q.candidates if c.entry == e]
    rivals = [c.prior for c in q.candidates if c.entry != e]
    return bool(mine) and (not rivals or mine[0] - max(rivals) >= SURE_MARGIN)


def _argmax(weights: Counter[str], queries: Sequence[Query]) -> str | None:
    if not weights:
        return None
    top = max(weights.values())
    if top <= 0:
        return None
    tied = [c for c, w in weights.items() if w == top]
    if len(tied) == 1:
        return tied[0]
    # Ties go to the country named first.
    for q in queries:
        for c in q.candidates[:1]:
            if c.entry.country in tied:
                return c.entry.country
    return tied[0]
