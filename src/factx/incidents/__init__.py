"""Incidents across articles: the incidents of many factx/1 records grouped into happenings (factx-incident/1).

Each article's own incidents (its record's ``incidents``) are the units. A unit keeps only what grouping needs:
its kind of happening, place, the period its date allows, counts by type, the names of those it happened to
and of those who acted, money, and a fingerprint of its events for spotting copies of one report. Units are
compared only inside blocks (a group of families, a region or a name, and a window of dates), a pair joins
when its evidence reaches a threshold and nothing contradicts, and groups grow from the best-supported pairs
first while every group stays free of contradictions (two places, two victims, two dates, counts that cannot
be one figure, two units of one article). Each group becomes one incident with reconciled figures and a
stable id. Thresholds and word lists live in ``data/incidents.json``.

    >>> recs = [_example("a", "2016-06-12", 49), _example("b", "2016-06-13", 50)]
    >>> [(i["sources"], i["counts"]["kill"]["value"]) for i in group_records(recs)]
    [(['a', 'b'], 50)]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
import sys
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, TextIO

from ..errors import InputError

SCHEMA = "factx-incident/1"
RECORD_SCHEMA = "factx/1"
LOWER_BOUNDS = ("at_least", "more_than", "range")  # a range's value is its low end ("hundreds": 100)
# Where a record says an anchor comes from: these are the incident's own (its clause, its sentence, another
# event of it, its paragraph); the others (dateline, document, focus, published) are borrowed from the article.
OWN_ORIGINS = ("clause", "sentence", "incident", "paragraph")
_NAME = re.compile(r"[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*|[A-Z]{2,5}\b")
_WORD = re.compile(r"[A-Za-z]+")
_SHARED: dict[tuple, dict[str, Any]] = {}  # places and dates, one dict per distinct value
_AGE = re.compile(r"^(year|month|week|day)s?[- ]?olds?$", re.I)
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])")


class IncidentInputError(InputError):
    """The input of ``factx incidents`` is not factx/1 records; the message names the file and line."""


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class GroupingRules:
    """The thresholds and word lists of ``data/incidents.json``, checked once."""

    group_of: dict[str, str]
    merge: dict[str, frozenset[str]]
    family_rank: dict[str, int]
    tolerance: int
    published_lag: int
    document_lag: int
    wide_window: int
    window_days: int
    lag_by_family: dict[str, int]
    fine_kinds: frozenset[str]
    place_rank: dict[str, int]
    radius_km: dict[str, float]
    same_km: float
    near_km: float
    wide_km: dict[str, float]
    identity_families: frozenset[str]
    named_victims: int
    late_overlap: float | None
    late_count: float | None
    single_name_families: frozenset[str]
    identity_alone: frozenset[str]
    count_factor: float
    count_slack: float
    evidence: dict[str, float]
    dup_jaccard: float
    dup_min_shared: int
    dup_max_posting: int
    neighbours: int
    max_posting: int
    stopwords: frozenset[str]

    def may_merge(self, a: Iterable[str], b: Iterable[str]) -> bool:
        """Whether an incident of the families ``a`` may be one with an incident of the families ``b``."""
        return any(g in self.merge.get(f, frozenset({f})) or f in self.merge.get(g, frozenset({g}))
                   for f in a for g in b)


@lru_cache(maxsize=4)
def load_grouping_rules(path: str | None = None) -> GroupingRules:
    """Load and check ``data/incidents.json`` (or another file of the same shape)."""
    from ..errors import RulesError

    where = path or "data/incidents.json"
    try:
        text = Path(path).read_text(encoding="utf-8") if path else \
            resources.files("factx").joinpath("data/incidents.json").read_text(encoding="utf-8")
        d = json.loads(text)
        groups = {f: g for g, fams in d["groups"].items() if g != "description" for f in fams}
        ev = {k: float(v) for k, v in d["evidence"].items() if k != "description"}
        for need in ("threshold", "same_place", "inside_place", "same_admin1", "borrowed_place", "same_day",
                     "near_day", "lag_overlap", "near_place", "same_count", "same_count_max", "same_name", "same_age", "other_ages", "same_headline", "same_cause", "same_country", "sole_threshold", "sole_margin", "same_setting", "late_report",
                     "same_money", "near_duplicate"):
            if need not in ev:
                raise KeyError(f"evidence.{need}")
        return GroupingRules(
            group_of=groups,
            merge={f: frozenset(v) | {f} for f, v in d["merge"].items() if f != "description"},
            family_rank={k: int(v) for k, v in d["family_rank"].items() if k != "description"},
            tolerance=int(d["dates"]["tolerance"]), published_lag=int(d["dates"]["published_lag"]),
            document_lag=int(d["dates"]["document_lag"]), wide_window=int(d["dates"]["wide_window"]),
            window_days=int(d["dates"]["window_days"]),
            lag_by_family={k: int(v) for k, v in d["dates"]["lag_by_family"].items()},
            fine_kinds=frozenset(d["places"]["fine"]),
            place_rank={k: int(v) for k, v in d["places"]["rank"].items()},
            radius_km={k: float(v) for k, v in d["places"]["radius_km"].items()},
            same_km=float(d["places"]["same_km"]), near_km=float(d["places"]["near_km"]),
            wide_km={k: float(v) for k, v in d["places"]["wide_km"].items()},
            identity_families=frozenset(d["identity_families"]["families"]),
            named_victims=int(d["identity_families"]["named_victims"]),
            late_overlap=_opt(d["dates"]["late_overlap"]), late_count=_opt(d["dates"]["late_count"]),
            single_name_families=frozenset(d["identity_families"]["single_names"]),
            identity_alone=frozenset(d["identity_families"]["alone"]),
            count_factor=float(d["counts"]["factor"]), count_slack=float(d["counts"]["slack"]),
            evidence=ev,
            dup_jaccard=float(d["near_duplicate"]["jaccard"]), dup_min_shared=int(d["near_duplicate"]["min_shared"]),
            dup_max_posting=int(d["near_duplicate"]["max_posting"]),
            neighbours=int(d["blocking"]["neighbours"]), max_posting=int(d["blocking"]["max_posting"]),
            stopwords=frozenset(w.lower() for w in d["name_stopwords"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RulesError(f"{where}: invalid incident grouping rules ({type(exc).__name__}: {exc})") from None


def _opt(value: Any) -> float | None:
    return None if value is None else float(value)


@lru_cache(maxsize=1)
def type_families() -> dict[str, str]:
    """Event type -> family, from the event inventory (``factx.events.load_rules``)."""
    from ..events import load_rules

    return {name: t.family for name, t in load_rules().types.items()}


# --------------------------------------------------------------------------- reading


def iter_records(paths: Iterable[str], *, stdin: TextIO | None = None) -> Iterator[dict[str, Any]]:
    """Stream factx/1 record dicts from JSONL files, folders of them (recursively) and '-' (stdin).

    A file that is not JSON Lines may hold one JSON object or an array of them (``factx extract --pretty``).

    Raises:
        IncidentInputError: a line is not JSON, not an object, or not a factx/1 record; a file is missing
            or holds no record at all. The message names the file and line.

    Example:
        >>> import io
        >>> [r["source"]["id"] for r in iter_records(["-"], stdin=io.StringIO('{"schema": "factx/1", "source": {"id": "a"}}'))]
        ['a']
    """
    seen = 0
    for path in _input_files(paths):
        for rec in _file_records(path, stdin=stdin):
            seen += 1
            yield rec
    if not seen:
        names = ", ".join("<stdin>" if p == "-" else p for p in paths) or "<no input>"
        raise IncidentInputError(f"{names}: no factx records (the input is empty)")


def _input_files(paths: Iterable[str]) -> Iterator[str]:
    for p in paths:
        if p == "-":
            yield p
        elif os.path.isdir(p):
            found = sorted(str(f) for f in Path(p).rglob("*")
                           if f.is_file() and f.suffix.lower() in (".jsonl", ".ndjson", ".json"))
            if not found:
                raise IncidentInputError(f"{p}: no .jsonl or .json files in this folder")
            yield from found
        elif os.path.isfile(p):
            yield p
        else:
            raise IncidentInputError(f"{p}: no such file or directory")


def _file_records(path: str, *, stdin: TextIO | None) -> Iterator[dict[str, Any]]:
    name = "<stdin>" if path == "-" else path
    try:
        fh = (stdin or sys.stdin) if path == "-" else open(path, encoding="utf-8-sig")
    except OSError as exc:
        raise IncidentInputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        first_bad: tuple[int, str] | None = None
        held: list[str] = []
        seen = False
        for lineno, line in enumerate(_lines(fh, name), 1):
            if first_bad is not None:
                held.append(line)
                continue
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                if not seen:
                    # Not JSON Lines, perhaps one indented JSON value: read the rest before judging.
                    first_bad = (lineno, exc.msg)
                    held.append("\n" * (lineno - 1) + line)
                    continue
                raise IncidentInputError(f"{name}:{lineno}: not valid JSON ({exc.msg}); "
                                         "a truncated or half-written line?") from None
            seen = True
            if isinstance(value, list):
                for k, item in enumerate(value, 1):
                    yield _checked(item, f"{name}:{lineno}: item {k}")
            else:
                yield _checked(value, f"{name}:{lineno}")
        if first_bad is not None:
            yield from _whole_json("".join(held), name, first_bad)
    finally:
        if path != "-":
            fh.close()


def _lines(fh: TextIO, name: str) -> Iterator[str]:
    try:
        yield from fh
    except UnicodeDecodeError as exc:
        raise IncidentInputError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _whole_json(text: str, name: str, first_bad: tuple[int, str]) -> Iterator[dict[str, Any]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        lineno = exc.lineno if exc.msg != "Extra data" else first_bad[0]
        raise IncidentInputError(f"{name}:{lineno}: not valid JSON ({exc.msg}); "
                                 "a truncated or half-written record?") from None
    items = value if isinstance(value, list) else [value]
    for k, item in enumerate(items, 1):
        yield _checked(item, f"{name}: item {k}" if isinstance(value, list) else f"{name}:1")


def _checked(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise IncidentInputError(f"{where}: a JSON {type(value).__name__}, not a factx/1 record")
    schema = value.get("schema")
    if schema != RECORD_SCHEMA:
        what = f"schema {schema!r}" if schema is not None else "no 'schema' key"
        raise IncidentInputError(f"{where}: {what}; expected factx/1 records (the output of `factx extract`)")
    source = value.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("id"), str) or not source["id"]:
        raise IncidentInputError(f"{where}: factx/1 record without a source id")
    for key in ("events", "incidents"):
        if value.get(key) is not None and not isinstance(value.get(key), list):
            raise IncidentInputError(f"{where}: '{key}' is not a list")
    return value


# --------------------------------------------------------------------------- units


@dataclass(slots=True)
class Unit:
    """One article's incident, reduced to what cross-article grouping needs."""

    source: str
    local: str
    families: tuple[str, ...]  # the family of each type
    types: tuple[str, ...]
    events: tuple[tuple[str, str], ...]  # (event id, type)
    main: bool
    published: str | None
    place: dict[str, Any] | None
    date: dict[str, Any] | None
    lo: int | None  # the first and last day (ordinals) the incident's date allows
    hi: int | None
    own_day: int | None  # a day the unit's own sentences give
    day: int | None  # a day its date gives, its own or borrowed from elsewhere in the article
    counts: dict[str, tuple[float, str, tuple[str, ...]]]
    names: frozenset[str]  # the names (of people: full names) of those it befell and of those who acted
    victims: frozenset[str]  # words of full names of victims (or acquired companies): they identify it
    money: frozenset[tuple[str, float]]
    ages: frozenset[tuple[float, str]]  # "a 7-year-old girl" in its sentences: (7, "year")
    headline: frozenset[str]  # the words of the article's title, for its main incident only
    causes: frozenset[str]  # common words of what did it ("a powerful earthquake", "the gunman"): "~earthquake"
    setting: frozenset[str]  # the towns, counties and landmarks its article names, for its main incident only
    facts: frozenset[int]
    confidence: float
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = f"{self.source}\x1f{self.local}"

    @property
    def family(self) -> str:
        """The family of the type that names the happening."""
        return self.families[0]


def units_from_record(record: Mapping[str, Any], *, families: Mapping[str, str] | None = None,
                      rules: GroupingRules | None = None) -> list[Unit]:
    """The article's incidents as units (a record without ``incidents`` is grouped by its events' ``incident``).

    Negated events and events of no incident are left out; an article with no events gives no unit.

    Example:
        >>> [u.local for u in units_from_record(_example("a", "2016-06-12", 3))]
        ['i1']
    """
    rules = rules or load_grouping_rules()
    families = type_families() if families is None else families
    source = record["source"]["id"]
    events = {e["id"]: e for e in _dicts(record.get("events")) if isinstance(e.get("id"), str)
              and isinstance(e.get("type"), str) and not e.get("negated")}
    if not events:
        return []
    incidents = [i for i in _dicts(record.get("incidents")) if isinstance(i.get("id"), str)]
    if not incidents:
        incidents = _incidents_from_events(events)
    published = _published(record)
    place_words = _place_words(record)
    ages = _ages(record)
    title = record.get("title") if isinstance(record.get("title"), str) else None
    order = {eid: k for k, eid in enumerate(events)}
    raw = []
    for inc in incidents:
        listed = inc.get("events") if isinstance(inc.get("events"), list) else []
        members = [events[e] for e in listed if isinstance(e, str) and e in events]
        if not members:
            continue
        raw.append((inc, members))
    if not raw:
        return []
    # The article's main incident: the one told first in the lead, unless another is told at far greater length.
    first = min(range(len(raw)), key=lambda k: min(order[e["id"]] for e in raw[k][1]))
    longest = max(range(len(raw)), key=lambda k: (len(raw[k][1]), -k))
    main = longest if len(raw[longest][1]) >= 2 * len(raw[first][1]) + 2 else first
    fingerprints = {e["id"]: _fact(e) for e in _members_all(raw)}
    units = []
    for k, (inc, members) in enumerate(raw):
        types = tuple(t for t in (inc.get("types") if isinstance(inc.get("types"), list) else ()) if isinstance(t, str)) or \
            tuple(dict.fromkeys(e["type"] for e in members))
        place = _place(inc.get("place"))
        date = _date(inc.get("date"))
        lag = _follow_lag(date, members, families, rules)
        lo, hi, own = _period(date, published, rules, lag=lag)
        if date and own is None and date.get("origin") != "published" and (lo, hi) == _published_period(published, rules):
            date = None  # a date far from the report dates something else
        counts = _unit_counts(inc, members, published)
        befell = sum(v for t, (v, _q, _e) in counts.items() if families.get(t, t) in rules.identity_families)
        # Named victims identify a happening only when they are all of its victims: in a mass shooting two
        # articles name two of the many.
        own_families = {families.get(e["type"], e["type"]) for e in members}
        identity = rules.identity_families | (own_families & rules.identity_alone
                                              if own_families <= rules.identity_alone else frozenset())
        victims = {w for e in members if (f := families.get(e["type"], e["type"])) in identity
                   for run in _names(e.get("patient"), place_words, rules)
                   if len(run) > 1 or f in rules.single_name_families for w in run} \
            if befell <= rules.named_victims else set()
        names = {" ".join(run) for e in members for role in ("patient", "agent")
                 for run in _names(e.get(role), place_words, rules)
                 if len(run) > 1 or families.get(e["type"], e["type"]) in rules.single_name_families}
        units.append(Unit(
            source=source, local=_i(inc["id"]), families=tuple(_i(families.get(t, t)) for t in types),
            types=tuple(map(_i, types)), events=tuple((_i(e["id"]), _i(e["type"])) for e in members), main=k == main,
            published=published.isoformat() if published else None, place=place, date=date, lo=lo, hi=hi,
            own_day=own, day=own if own is not None else _one_day(date),
            counts=counts,
            names=frozenset(map(_i, names)), victims=frozenset(map(_i, victims)),
            money=frozenset(m for e in members for m in _money(e)),
            ages=frozenset(a for e in members for a in _ages_in(e, ages)),
            headline=_headline(title, rules) if k == main else frozenset(),
            setting=_setting(record, rules) - {"@" + _fold((place or {}).get("name"))} if k == main else frozenset(),
            causes=frozenset(_i("~" + w) for e in members for w in _common_words(e.get("agent"), rules)),
            facts=frozenset(fingerprints[e["id"]] for e in members),
            confidence=max((_num(e.get("confidence")) or 0.5) for e in members),
        ))
    return units


def _members_all(raw: list[tuple[dict, list[dict]]]) -> Iterator[dict]:
    """Every event of the article's incidents."""
    for _inc, members in raw:
        yield from members


def _dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _incidents_from_events(events: dict[str, dict]) -> list[dict]:
    """Incidents of a record that has none listed: its events grouped by their ``incident`` ids, else one."""
    by: dict[str, list[str]] = {}
    for eid, e in events.items():
        by.setdefault(e.get("incident") if isinstance(e.get("incident"), str) else "i1", []).append(eid)
    out = []
    for iid, eids in by.items():
        evs = [events[e] for e in eids]
        out.append({"id": iid, "types": list(dict.fromkeys(e["type"] for e in evs)),
                    "place": next((e["place"] for e in evs if isinstance(e.get("place"), dict)), None),
                    "date": next((e["date"] for e in evs if isinstance(e.get("date"), dict)), None),
                    "counts": {}, "events": eids})
    return out


def _num(x: Any) -> float | None:
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) else None


def _published(record: Mapping[str, Any]) -> dt.date | None:
    pub = record.get("published")
    value = pub.get("value") if isinstance(pub, dict) else pub
    return _day(value)


def _day(value: Any) -> dt.date | None:
    m = _DAY.match(value) if isinstance(value, str) else None
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _place(p: Any) -> dict[str, Any] | None:
    if not isinstance(p, dict) or not (p.get("name") or p.get("country")):
        return None
    keep = ("name", "kind", "country", "admin1", "lat", "lon", "origin")
    values = tuple(p.get(k) if k != "kind" or p.get(k) != "demonym" else "country" for k in keep)
    # Many incidents share a place: one dict each, never written to, serves them all.
    return _SHARED.setdefault(values, dict(zip(keep, values)))


def _date(d: Any) -> dict[str, Any] | None:
    if not isinstance(d, dict) or not isinstance(d.get("value"), str):
        return None
    values = ("date", d.get("value"), d.get("granularity"), d.get("origin"))
    return _SHARED.setdefault(values, dict(zip(("value", "granularity", "origin"), values[1:])))


def _i(s: str) -> str:
    """One copy of a string that many units hold (words, types, event ids)."""
    return sys.intern(s) if isinstance(s, str) else s


def timex_period(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last calendar day a TIMEX3 date value covers, or None (durations, unknown years).

    Example:
        >>> timex_period("2016-02")
        (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
    """
    try:
        if m := _DAY.match(value):
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _MONTH.match(value):
            y, mo = int(m[1]), int(m[2])
            first = dt.date(y, mo, 1)
            return first, dt.date(y + mo // 12, mo % 12 + 1, 1) - dt.timedelta(days=1)
        if m := _WEEK.match(value):
            first = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return first, first + dt.timedelta(days=6)
        if m := _QUARTER.match(value):
            y, q = int(m[1]), int(m[2])
            first = dt.date(y, 3 * q - 2, 1)
            return first, dt.date(y + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
        if m := _YEAR.match(value):
            return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def _follow_lag(date: dict[str, Any] | None, members: list[dict], families: Mapping[str, str],
                rules: GroupingRules) -> int:
    """Days the happening may precede its date when that date is only the date of what followed it
    (an arrest, a death in hospital): the events that carry the date decide."""
    if not date:
        return 0
    carriers = [e for e in members if isinstance(e.get("date"), dict) and e["date"].get("value") == date["value"]]
    if not carriers:
        return 0
    return min(rules.lag_by_family.get(families.get(e["type"], e["type"]), 0) for e in carriers)


def _one_day(date: dict[str, Any] | None) -> int | None:
    period = timex_period(date["value"]) if date and date.get("origin") != "published" else None
    return period[0].toordinal() if period and period[0] == period[1] else None


def _published_period(published: dt.date | None, rules: GroupingRules) -> tuple[int | None, int | None]:
    return (published.toordinal() - rules.published_lag, published.toordinal()) if published else (None, None)


def _period(date: dict[str, Any] | None, published: dt.date | None,
            rules: GroupingRules, *, lag: int = 0) -> tuple[int | None, int | None, int | None]:
    """The days the incident may have happened on, and its own day when its sentences give one."""
    pub = published.toordinal() if published else None
    period = timex_period(date["value"]) if date else None
    if period is None or (date or {}).get("origin") == "published":
        if pub is None:
            return None, None, None
        return pub - rules.published_lag, pub, None
    lo, hi = period[0].toordinal(), period[1].toordinal()
    precise = lo == hi and date.get("origin") in OWN_ORIGINS
    if pub is not None and not precise and (hi < pub - rules.wide_window or lo > pub + rules.tolerance):
        # A borrowed or coarse date far from the report ("in 2006", "1966") dates something else.
        return pub - rules.published_lag, pub, None
    if lo == hi:
        if date.get("origin") in OWN_ORIGINS:
            return lo - lag, hi, lo
        return lo - rules.document_lag - lag, hi + rules.document_lag, None
    return lo - lag, hi, None


def _place_words(record: Mapping[str, Any]) -> frozenset[str]:
    """Words of the record's place names: a name made of them is a place, not a person or a company."""
    out = set()
    for p in _dicts(record.get("places")):
        for key in ("text", "name"):
            if isinstance(p.get(key), str):
                out.update(w.lower() for w in _WORD.findall(p[key]))
    return frozenset(out)


def _names(span: Any, place_words: frozenset[str], rules: GroupingRules) -> list[list[str]]:
    """The proper names in an argument's text, each as its words ("John Smith, 24" -> [["john", "smith"]])."""
    text = span.get("text") if isinstance(span, dict) else None
    if not isinstance(text, str):
        return []
    runs: list[list[str]] = []
    last = -2
    for m in _NAME.finditer(text):
        w = re.sub(r"['’]s$", "", m.group()).lower().strip("'’-")
        if len(w) < 3 or w in rules.stopwords or w in place_words:
            last = -2
            continue
        # Words joined by a single space belong to one name.
        if runs and text[last:m.start()] == " ":
            runs[-1].append(w)
        else:
            runs.append([w])
        last = m.end()
    return runs


def _ages(record: Mapping[str, Any]) -> list[tuple[int, float, str]]:
    """The ages the article gives ("a 7-year-old", "6-month-old baby"): (offset, value, unit of time)."""
    out = []
    for n in _dicts(record.get("numbers")):
        m = _AGE.match(str(n.get("unit") or ""))
        v = _num(n.get("value"))
        if m and v is not None and isinstance(n.get("start"), int):
            out.append((n["start"], v, m[1]))
    return out


def _ages_in(event: Mapping[str, Any], ages: list[tuple[int, float, str]]) -> Iterator[tuple[float, str]]:
    sent = event.get("sentence") if isinstance(event.get("sentence"), dict) else {}
    a, b = sent.get("start"), sent.get("end")
    if isinstance(a, int) and isinstance(b, int):
        for start, v, unit in ages:
            if a <= start < b:
                yield v, unit


def _setting(record: Mapping[str, Any], rules: GroupingRules) -> frozenset[str]:
    """The fine places an article names ("@englewood", "@st bernard hospital"): where its story is set."""
    return frozenset(_i("@" + _fold(p.get("name"))) for p in _dicts(record.get("places"))
                     if p.get("kind") in rules.fine_kinds and isinstance(p.get("name"), str))


def _common_words(span: Any, rules: GroupingRules) -> Iterator[str]:
    text = span.get("text") if isinstance(span, dict) else None
    if isinstance(text, str):
        for w in _WORD.findall(text):
            if w.islower() and len(w) > 3 and w not in rules.stopwords:
                yield w


def _headline(title: str | None, rules: GroupingRules) -> frozenset[str]:
    if not title:
        return frozenset()
    return frozenset(_i(w) for w in (x.lower() for x in _WORD.findall(title)) if len(w) > 2 and w not in rules.stopwords)


def _money(event: Mapping[str, Any]) -> Iterator[tuple[str, float]]:
    for m in _dicts(event.get("money")):
        amount = _num(m.get("amount"))
        if amount and isinstance(m.get("currency"), str):
            yield m["currency"], float(f"{amount:.2g}")


def _fact(event: Mapping[str, Any]) -> int:
    """A fingerprint of one event that a copy of the same report reproduces: type, trigger, count, sentence
    length, place and date."""
    trig = event.get("trigger") if isinstance(event.get("trigger"), dict) else {}
    sent = event.get("sentence") if isinstance(event.get("sentence"), dict) else {}
    count = event.get("count") if isinstance(event.get("count"), dict) else {}
    place = event.get("place") if isinstance(event.get("place"), dict) else {}
    date = event.get("date") if isinstance(event.get("date"), dict) else {}
    length = (sent.get("end") or 0) - (sent.get("start") or 0) if isinstance(sent.get("end"), int) else 0
    key = "\x1f".join(str(x) for x in (event.get("type"), str(trig.get("text") or "").lower(), count.get("value"),
                                        length, place.get("name"), date.get("value")))
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


def _unit_counts(inc: Mapping[str, Any], members: list[dict],
                 published: dt.date | None = None) -> dict[str, tuple[float, str, tuple[str, ...]]]:
    """The unit's figures by type; a figure that is the year of the report ("2016") is a year read as a count."""
    out = {}
    counts = inc.get("counts") if isinstance(inc.get("counts"), dict) else {}
    for t, c in counts.items():
        if isinstance(c, dict) and (v := _num(c.get("value"))) is not None:
            evs = tuple(e for e in c.get("events") or () if isinstance(e, str))
            if published and v == published.year:
                continue
            out[t] = (v, str(c.get("qualifier") or "exact"), evs)
    if not counts:
        # Records without reconciled counts: the largest figure of each type.
        for e in members:
            c = e.get("count") if isinstance(e.get("count"), dict) else {}
            v = _num(c.get("value"))
            if v is not None and (e["type"] not in out or v > out[e["type"]][0]):
                out[e["type"]] = (v, str(c.get("qualifier") or "exact"), (e["id"],))
    return out


# --------------------------------------------------------------------------- comparing two units


def _km(a: Mapping[str, Any], b: Mapping[str, Any]) -> float | None:
    la, oa, lb, ob = (_num(a.get("lat")), _num(a.get("lon")), _num(b.get("lat")), _num(b.get("lon")))
    if None in (la, oa, lb, ob):
        return None
    p1, p2 = math.radians(la), math.radians(lb)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(ob - oa) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def place_relation(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None,
                   rules: GroupingRules, *, wide_km: float = 0.0) -> float | None:
    """Evidence points for two places being one (the same, or one inside the other); None when they differ.

    ``wide_km``: for a happening that covers a region (an earthquake, a flood), two towns this near may
    both be its places.

    Example:
        >>> r = load_grouping_rules()
        >>> place_relation({"name": "Orlando", "kind": "city", "country": "US", "admin1": "US-FL", "origin": "sentence"},
        ...                {"name": "Florida", "kind": "admin1", "country": "US", "admin1": "US-FL", "origin": "sentence"}, r)
        1.0
    """
    if not a or not b:
        return 0.0
    own = a.get("origin") in OWN_ORIGINS and b.get("origin") in OWN_ORIGINS
    differ = None if own else 0.0  # a borrowed place may be the article's, not the happening's
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return differ
    ka, kb = a.get("kind"), b.get("kind")
    ev = rules.evidence
    points = 0.0
    if ka in rules.fine_kinds and kb in rules.fine_kinds:
        na, nb = _fold(a.get("name")), _fold(b.get("name"))
        km = _km(a, b)
        if na == nb or f" {na} " in f" {nb} " or f" {nb} " in f" {na} " or (km is not None and km <= rules.same_km):
            # One name ("South Dallas" and "Dallas"): the same place even where two regions share the name.
            points = ev["same_place"]
        elif km is not None and km <= wide_km:
            points = ev["near_place"]
        elif a.get("admin1") and b.get("admin1") and a["admin1"] != b["admin1"]:
            return differ
        elif ka != kb and km is not None and km <= rules.radius_km.get(
                ka if rules.place_rank.get(ka, 0) < rules.place_rank.get(kb, 0) else kb, 0.0):
            points = ev["inside_place"]
        elif ka != kb and km is not None and km <= rules.near_km:
            # Two towns of one kind with two names are two places, however near ("different neighbourhoods
            # of one city"); a town and a nearby county or region may be one.
            points = ev["near_place"]
        else:
            return differ
    elif a.get("admin1") and b.get("admin1") and a["admin1"] != b["admin1"] and not (
            wide_km and (km := _km(a, b)) is not None and km <= wide_km):
        return differ
    elif a.get("admin1") and a.get("admin1") == b.get("admin1"):
        points = ev["same_admin1"]
    elif "country" in (ka, kb) and a.get("country") and a.get("country") == b.get("country"):
        points = ev["same_country"]  # a nationwide happening (a flood, an election) is placed by its country
    if points > 0 and not own:
        points = max(0.0, points + ev["borrowed_place"])
    return points


def _fold(x: Any) -> str:
    return " ".join(_WORD.findall(x.casefold())) if isinstance(x, str) else ""


def counts_compatible(a: tuple[float, str], b: tuple[float, str], rules: GroupingRules) -> bool:
    """Whether two figures of one type can tell of one happening (a toll that rose, a lower bound)."""
    (va, qa), (vb, qb) = sorted([a, b])
    if va == vb or qa in LOWER_BOUNDS:
        return True
    return vb <= rules.count_factor * va + rules.count_slack


def _clash(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """Two units name different victims (or acquired companies) by full names, and no one in common."""
    return bool(a) and bool(b) and not (a & b)


def relate(a: Unit, b: Unit, rules: GroupingRules, *, duplicate: bool = False,
           idf: Mapping[str, float] | None = None) -> float | None:
    """Evidence points that two units tell of one happening, or None when something contradicts it.

    Example:
        >>> u = units_from_record(_example("a", "2016-06-12", 49))[0]
        >>> v = units_from_record(_example("b", "2016-06-12", 50))[0]
        >>> relate(u, v, load_grouping_rules())  # the same city (3) on the same day (2)
        5.0
    """
    got = relate_pair(a, b, rules, duplicate=duplicate, idf=idf)
    return None if got is None else got[0]


LATE, COPY = 1, 2  # how a pair may join across dates: weeks apart (a follow-up), or anywhere (copies of a report)


def relate_pair(a: Unit, b: Unit, rules: GroupingRules, *, duplicate: bool = False,
                idf: Mapping[str, float] | None = None) -> tuple[float, int] | None:
    """``relate``'s points with how far apart in time the pair may join: 0 (the reporting lag), LATE or COPY."""
    if a.source == b.source or not rules.may_merge(a.families, b.families):
        return None
    ev = rules.evidence
    points = ev["near_duplicate"] if duplicate else 0.0
    same_names = bool(a.names & b.names)
    late = False
    if a.lo is not None and b.lo is not None:
        gap = max(a.lo, b.lo) - min(a.hi, b.hi)
        if gap > rules.wide_window and not duplicate:
            return None
        # A later article (a trial, a death in hospital, a vigil) may date its incident by what it tells of.
        late = gap > rules.tolerance and not duplicate
        if a.day is not None and b.day is not None:
            # Days from the units' own sentences weigh more than days borrowed from elsewhere in the article.
            own = a.own_day is not None and b.own_day is not None
            d = abs(a.day - b.day)
            if d == 0:
                points += ev["same_day"] if own else ev["near_day"]
            elif d <= rules.tolerance:
                points += ev["near_day"] if own else ev["lag_overlap"]
        elif gap <= 0:
            points += ev["lag_overlap"]
    place = place_relation(a.place, b.place, rules, wide_km=min(_wide(a, rules), _wide(b, rules)))
    if place is None:
        return None
    points += place
    same = 0.0
    for t, (v, q, _e) in a.counts.items():
        if t in b.counts:
            w, r, _f = b.counts[t]
            if not counts_compatible((v, q), (w, r), rules):
                return None
            if v == w and v > 0:
                same += ev["same_count"]
    points += min(same, ev["same_count_max"])
    if _clash(a.victims, b.victims):
        return None
    if same_names:
        points += ev["same_name"]
    if a.money & b.money:
        points += ev["same_money"]
    if a.ages and b.ages:
        points += ev["same_age"] if a.ages & b.ages else ev["other_ages"]
    points += ev["same_headline"] * _overlap(a.headline, b.headline, idf or {})
    points += ev["same_cause"] * _overlap(a.causes, b.causes, idf or {})
    points += ev["same_setting"] * _overlap(a.setting, b.setting, idf or {}, by=max)
    if late:
        # Weeks apart, only what identifies the happening can join two reports.
        if not (same_names
                or (rules.late_overlap is not None and _overlap(a.headline, b.headline, idf or {}) >= rules.late_overlap)
                or (rules.late_count is not None and any(v >= rules.late_count and b.counts.get(t, (None,))[0] == v
                                                         for t, (v, _q, _e) in a.counts.items()))):
            return None
        points += ev["late_report"]
    return points, COPY if duplicate else LATE if late else 0


def _wide(u: Unit, rules: GroupingRules) -> float:
    """How far apart two of its towns may lie for a happening that covers a region (0: one town)."""
    return max((rules.wide_km.get(f, 0.0) for f in u.families), default=0.0)


def _overlap(a: frozenset[str], b: frozenset[str], weight: Mapping[str, float], by: Callable = min) -> float:
    """The weight of the words two sets share over the weight of the smaller set (``by=max``: the larger one);
    rare words weigh more."""
    shared = a & b
    if not shared:
        return 0.0
    top = weight.get("", 1.0)  # the weight of a word seen once, kept under "" by headline_weights

    def mass(words: Iterable[str]) -> float:
        return sum(weight.get(w, top) for w in words)

    return mass(shared) / by(mass(a), mass(b))


def headline_weights(units: Iterable[Unit]) -> dict[str, float]:
    """How telling each headline or cause word is: log(N / units that have it); common words weigh little."""
    df: Counter = Counter()
    n = 0
    for u in units:
        n += 1
        df.update(u.headline)
        df.update(u.causes)
        df.update(u.setting)
    out = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
    out[""] = math.log((n + 1) / 1.5)  # a word no unit has weighs as one that a single unit has
    return out


# --------------------------------------------------------------------------- candidates


def _keys(u: Unit, rules: GroupingRules) -> Iterator[tuple[tuple, bool]]:
    """Blocking keys of a unit, each with whether the unit is a full member (False: it only visits)."""
    p = u.place
    for group in sorted({rules.group_of.get(f, f) for f in u.families}):
        if p and p.get("country"):
            if p.get("admin1"):
                yield ("r", group, p["admin1"]), True
                # A happening that covers a region meets the others of its country across regions.
                yield ("c", group, p["country"]), _wide(u, rules) > 0
            else:
                yield ("c", group, p["country"]), True
        for w in u.names:
            yield ("n", group, w), True


def partitions(units: list[Unit], rules: GroupingRules) -> dict[tuple, list[tuple[int, bool]]]:
    """Blocks cut into date windows: (blocking key, window) -> [(unit index, full member)].

    A unit goes into every window its period reaches (plus the days a match may lie beyond it), so that two
    units that may match always share a window; a unit without a date goes into every window of its block.
    Each partition can be scored on its own, here or on a Dask worker.
    """
    size = rules.window_days
    parts: dict[tuple, list[tuple[int, bool]]] = defaultdict(list)
    undated: dict[tuple, list[tuple[int, bool]]] = defaultdict(list)
    for i, u in enumerate(units):
        for key, member in _keys(u, rules):
            if u.lo is None:
                undated[key].append((i, member))
                continue
            reach = rules.wide_window if key[0] == "n" or rules.late_overlap is not None \
                or rules.late_count is not None else rules.tolerance
            for w in range(u.lo // size, (u.hi + reach) // size + 1):
                parts[(key, w)].append((i, member))
    windows: dict[tuple, list[int]] = defaultdict(list)
    for key, w in parts:
        windows[key].append(w)
    for key, items in undated.items():
        for w in windows.get(key) or [None]:
            parts[(key, w)].extend(items)
    return {k: v for k, v in parts.items() if not (k[0][0] == "n" and len(v) > rules.max_posting)}


def block_pairs(units: Mapping[int, Unit], items: list[tuple[int, bool]], key: tuple,
                rules: GroupingRules) -> Iterator[tuple[int, int]]:
    """Candidate pairs of one partition: units sorted by their first possible day, each compared with at most
    ``neighbours`` of the next ones whose period can overlap its own, so that the work grows linearly."""
    late = key[0] == "n" or rules.late_overlap is not None or rules.late_count is not None
    return _block_pairs(list(items), units, rules, set(), rules.wide_window if late else rules.tolerance)


def candidate_pairs(units: list[Unit], rules: GroupingRules) -> Iterator[tuple[int, int]]:
    """Pairs of units (indexes, smaller first) that share a partition (a block and a date window)."""
    seen: set[tuple[int, int]] = set()
    for key, items in partitions(units, rules).items():
        for pair in block_pairs(units, items, key[0], rules):
            if pair not in seen:
                seen.add(pair)
                yield pair


def score_partitions(units: Mapping[int, Unit], parts: Iterable[tuple[tuple, list[tuple[int, bool]]]],
                     rules: GroupingRules, idf: Mapping[str, float],
                     dups: set[tuple[int, int]]) -> list[tuple[float, int, int, bool]]:
    """The pairs of these partitions that reach the threshold: (points, i, j, copies of one report)."""
    out = []
    seen: set[tuple[int, int]] = set()
    for key, items in parts:
        for i, j in block_pairs(units, items, key[0], rules):
            if (i, j) in seen:
                continue
            seen.add((i, j))
            got = relate_pair(units[i], units[j], rules, duplicate=(i, j) in dups, idf=idf)
            if got is not None and got[0] >= rules.evidence["sole_threshold"]:
                out.append((got[0], i, j, got[1]))
    return out


def _block_pairs(items: list[tuple[int, bool]], units: Mapping[int, Unit] | list[Unit], rules: GroupingRules,
                 seen: set[tuple[int, int]], tol: int) -> Iterator[tuple[int, int]]:
    never = -10**9

    def first_day(i: int) -> int:
        return units[i].lo if units[i].lo is not None else never

    members = sorted((i for i, m in items if m), key=lambda i: (first_day(i), units[i].key))
    visitors = sorted((i for i, m in items if not m), key=lambda i: (first_day(i), units[i].key))
    visitor_days = [first_day(i) for i in visitors]
    cap = rules.neighbours
    for k, i in enumerate(members):
        ui = units[i]
        end = ui.hi + tol if ui.hi is not None else None
        # Members with each other: the next ones by date whose period can overlap.
        for j in members[k + 1:k + 1 + cap]:
            if end is not None and units[j].lo is not None and units[j].lo > end:
                break
            yield from _new_pair(i, j, seen)
        # Visitors (units of a finer region in this country block) meet members only, never each other.
        at = bisect_left(visitor_days, ui.lo - tol - rules.wide_window) if ui.lo is not None else 0
        taken = 0
        for j in visitors[at:at + 4 * cap]:
            uj = units[j]
            if end is not None and uj.lo is not None and uj.lo > end:
                break
            if ui.lo is not None and uj.hi is not None and uj.hi < ui.lo - tol:
                continue
            taken += 1
            if taken > cap:
                break
            yield from _new_pair(i, j, seen)


def _new_pair(i: int, j: int, seen: set[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    pair = (i, j) if i < j else (j, i)
    if pair not in seen:
        seen.add(pair)
        yield pair


def duplicate_pairs(units: list[Unit], rules: GroupingRules) -> set[tuple[int, int]]:
    """Pairs of units of two articles that copy one report (their event fingerprints overlap)."""
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        by_source[u.source].append(i)
    facts = {s: frozenset().union(*(units[i].facts for i in idx)) for s, idx in by_source.items()}
    index: dict[int, list[str]] = defaultdict(list)
    for s, fs in facts.items():
        for f in fs:
            index[f].append(s)
    shared: Counter = Counter()
    for f, sources in index.items():
        if 1 < len(sources) <= rules.dup_max_posting:
            for x in range(len(sources)):
                for y in range(x + 1, len(sources)):
                    shared[(sources[x], sources[y]) if sources[x] < sources[y] else (sources[y], sources[x])] += 1
    out = set()
    for (s, t), n in shared.items():
        if n < rules.dup_min_shared or n / len(facts[s] | facts[t]) < rules.dup_jaccard:
            continue
        for i in by_source[s]:
            for j in by_source[t]:
                if units[i].facts & units[j].facts:
                    out.add((i, j) if i < j else (j, i))
    return out


# --------------------------------------------------------------------------- grouping


@dataclass(slots=True)
class _Group:
    """What a growing group must stay consistent with."""

    sources: set[str]
    places: list[dict[str, Any]]
    lo: int | None
    hi: int | None
    victims: set[str]
    wide: float
    counts: dict[str, tuple[tuple[float, str], tuple[float, str]]]  # type -> (smallest, largest)


def _group_of(u: Unit, rules: GroupingRules) -> _Group:
    return _Group({u.source}, [u.place] if u.place else [], u.lo, u.hi, set(u.victims), _wide(u, rules),
                  {t: ((v, q), (v, q)) for t, (v, q, _e) in u.counts.items()})


def _compatible(g: _Group, h: _Group, rules: GroupingRules, gap: int | None) -> bool:
    """Whether two groups may join: no shared article, dates at most ``gap`` days apart (None: any), no
    contradicting places, victims or counts."""
    if g.sources & h.sources:
        return False
    if gap is not None and g.lo is not None and h.lo is not None and max(g.lo, h.lo) - min(g.hi, h.hi) > gap:
        return False
    for p in g.places:
        for q in h.places:
            if place_relation(p, q, rules, wide_km=min(g.wide, h.wide)) is None:
                return False
    if _clash(g.victims, h.victims):
        return False
    for t, (small, large) in g.counts.items():
        if t in h.counts:
            lo = min(small, h.counts[t][0])
            hi = max(large, h.counts[t][1])
            if not counts_compatible(lo, hi, rules):
                return False
    return True


def _absorb(g: _Group, h: _Group) -> None:
    g.sources |= h.sources
    names = {_fold(p.get("name")) for p in g.places}
    g.places.extend(p for p in h.places if _fold(p.get("name")) not in names)
    if h.lo is not None:
        if g.lo is None:
            g.lo, g.hi = h.lo, h.hi
        else:
            # The days both allow; for groups joined across a gap, the days between them.
            lo, hi = max(g.lo, h.lo), min(g.hi, h.hi)
            g.lo, g.hi = min(lo, hi), max(lo, hi)
    g.victims |= h.victims
    g.wide = min(g.wide, h.wide)
    for t, (small, large) in h.counts.items():
        if t in g.counts:
            g.counts[t] = (min(g.counts[t][0], small), max(g.counts[t][1], large))
        else:
            g.counts[t] = (small, large)


def scored_pairs(units: list[Unit], rules: GroupingRules) -> list[tuple[float, int, int, bool]]:
    """The candidate pairs that reach the threshold: (points, i, j, copies of one report)."""
    dups = duplicate_pairs(units, rules)
    idf = headline_weights(units)
    out = score_partitions(units, partitions(units, rules).items(), rules, idf, dups)
    return out + duplicate_scores(units, rules, idf, dups)


def duplicate_scores(units: list[Unit], rules: GroupingRules, idf: Mapping[str, float],
                     dups: set[tuple[int, int]]) -> list[tuple[float, int, int, bool]]:
    """The pairs of copies of one report that reach the threshold, wherever their places and dates put them."""
    out = []
    for i, j in sorted(dups):
        got = relate_pair(units[i], units[j], rules, duplicate=True, idf=idf)
        if got is not None and got[0] >= rules.evidence["sole_threshold"]:
            out.append((got[0], i, j, COPY))
    return out


def accepted_pairs(units: list[Unit], scored: list[tuple[float, int, int, bool]],
                   rules: GroupingRules) -> list[tuple[float, int, int, bool]]:
    """The pairs to join: those whose evidence reaches the threshold, and those of two units that are each
    other's only good match (weaker evidence, but no rival within ``sole_margin``)."""
    ev = rules.evidence
    best: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])  # unit -> [best points, second best]
    for points, i, j, _dup in scored:
        for k in (i, j):
            top = best[k]
            if points > top[0]:
                top[0], top[1] = points, top[0]
            elif points > top[1]:
                top[1] = points
    out = []
    for p in scored:
        points, i, j, _dup = p
        if points >= ev["threshold"]:
            out.append(p)
        elif all(best[k][0] == points and points - best[k][1] >= ev["sole_margin"] for k in (i, j)):
            out.append(p)
    return out


def group_units(units: list[Unit], rules: GroupingRules | None = None, *,
                pairs: Iterable[tuple[float, int, int, bool]] | None = None) -> list[list[int]]:
    """Group units into incidents; returns lists of unit indexes, each sorted, in a stable order.

    Pairs are taken from the most to the least evidence (ties by the units' keys, so the input order does
    not matter); two groups join only when no member of one contradicts a member of the other.
    """
    rules = rules or load_grouping_rules()
    scored = accepted_pairs(units, scored_pairs(units, rules) if pairs is None else list(pairs), rules)
    # Articles' main incidents are joined first: a passing mention must not take the place in a group that the
    # article's own main incident would have.
    scored = sorted(set(scored), key=lambda p: (not (units[p[1]].main and units[p[2]].main), -p[0],
                                                units[p[1]].key, units[p[2]].key))
    parent = list(range(len(units)))
    groups: dict[int, _Group] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _points, i, j, reach in scored:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        gi = groups.get(ri) or groups.setdefault(ri, _group_of(units[ri], rules))
        gj = groups.get(rj) or groups.setdefault(rj, _group_of(units[rj], rules))
        gap = None if reach == COPY else rules.wide_window if reach == LATE else rules.tolerance
        if not _compatible(gi, gj, rules, gap):
            continue
        if units[rj].key < units[ri].key:
            ri, rj, gi, gj = rj, ri, gj, gi
        _absorb(gi, gj)
        parent[rj] = ri
        groups.pop(rj, None)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(units)):
        members[find(i)].append(i)
    return sorted((sorted(m, key=lambda k: units[k].key) for m in members.values()),
                  key=lambda m: units[m[0]].key)


# --------------------------------------------------------------------------- incidents out


def incident_id(units: Iterable[Unit]) -> str:
    """A stable id from the group's smallest mention key: the same input gives the same id in any order.

    Example:
        >>> incident_id(units_from_record(_example("a", "2016-06-12", 3)))
        'i-cc6f9e0905'
    """
    first = min(f"{u.source}\x1f{eid}" for u in units for eid, _t in u.events)
    return "i-" + hashlib.sha256(first.encode("utf-8")).hexdigest()[:10]


def build_incident(units: list[Unit], rules: GroupingRules | None = None) -> dict[str, Any]:
    """One factx-incident/1 object from a group of units: types, date, place, reconciled counts, mentions."""
    rules = rules or load_grouping_rules()
    units = sorted(units, key=lambda u: (u.published or "9999", u.source, u.local))
    types = _types(units, rules)
    counts = {}
    for t in sorted({t for u in units for t in u.counts}, key=lambda t: (types.index(t) if t in types else 99, t)):
        counts[t] = reconcile_counts([(u.counts[t][0], u.counts[t][1], u.source, u.published, u.counts[t][2])
                                      for u in units if t in u.counts])
    sources = sorted({u.source for u in units})
    pubs = sorted(u.published for u in units if u.published)
    return {
        "schema": SCHEMA,
        "id": incident_id(units),
        "types": types,
        "date": _best_date(units),
        "place": _best_place(units, rules),
        "counts": counts,
        "mentions": [{"source_id": u.source, "event_id": eid, "type": t, "incident": u.local}
                     for u in sorted(units, key=lambda u: (u.source, u.local)) for eid, t in u.events],
        "sources": sources,
        "published": {"first": pubs[0], "last": pubs[-1]} if pubs else None,
        "confidence": _confidence(units),
    }


def _types(units: list[Unit], rules: GroupingRules) -> list[str]:
    """Every type of the incident: the family that names a happening first, then the most reported."""
    seen: Counter = Counter()
    first: dict[str, int] = {}
    family: dict[str, str] = {}
    for u in units:
        for k, (t, f) in enumerate(zip(u.types, u.families)):
            seen[t] += 1
            first[t] = min(first.get(t, k), k)
            family[t] = f
    return sorted(seen, key=lambda t: (rules.family_rank.get(family[t], 9), -seen[t], first[t], t))


def reconcile_counts(reports: list[tuple[float, str, str, str | None, tuple[str, ...]]]) -> dict[str, Any]:
    """Reconcile one type's figures, one report per article: (value, qualifier, source id, published, events).

    The value is the figure the most articles give; when the latest report gives more than every earlier
    one (a toll that rose), the latest. When reports disagree, ``low`` and ``high`` give the range;
    ``reported`` keeps every figure in publication order, ``support`` counts the articles that give the value.

    Example:
        >>> c = reconcile_counts([(20, "at_least", "a", "2016-01-01", ()), (26, "exact", "b", "2016-01-02", ())])
        >>> c["value"], c["qualifier"], c["reported"], c["support"], (c["low"], c["high"])
        (26, 'exact', [20, 26], 2, (20, 26))
    """
    reports = sorted(reports, key=lambda r: (r[3] or "9999", r[2]))
    values = [r[0] for r in reports]
    tally = Counter(values)
    latest = reports[-1]
    best = max(tally, key=lambda v: (tally[v], max(k for k, r in enumerate(reports) if r[0] == v)))
    dated = [r for r in reports if r[3]]
    if dated and dated[-1][0] > max(r[0] for r in reports[:-1] or [latest]) and dated[-1] is latest \
            and len({r[3] for r in dated}) > 1:
        best = latest[0]
    chosen = [r for r in reports if r[0] == best]
    qualifier = Counter(r[1] for r in chosen).most_common(1)[0][0]
    # A lower bound ("at least 20") supports any larger figure; an exact one only itself.
    support = sum(1 for r in reports if r[0] == best or (r[1] in LOWER_BOUNDS and r[0] <= best))
    low, high = min(values), max(values)
    return {
        "value": _int(best), "qualifier": qualifier,
        "low": _int(low) if low != high else None, "high": _int(high) if low != high else None,
        "reported": [_int(v) for v in values], "support": support,
        "reports": [{"source_id": r[2], "value": _int(r[0]), "qualifier": r[1], "published": r[3],
                     "events": list(r[4])} for r in reports],
    }


def _int(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def _best_date(units: list[Unit]) -> dict[str, Any] | None:
    """The day most of the units' own sentences give (ties: the earliest); else a borrowed or coarser date;
    else the first publication day, as an upper bound."""
    own = Counter(u.own_day for u in units if u.own_day is not None)
    if own:
        day = max(own, key=lambda d: (own[d], -d))
        return {"value": dt.date.fromordinal(day).isoformat(), "granularity": "day", "origin": "sentence",
                "support": own[day]}
    dated = [u for u in units if u.date and u.date.get("origin") != "published" and timex_period(u.date["value"])]
    if dated:
        tally = Counter(u.date["value"][:10] for u in dated)
        value = max(tally, key=lambda v: (tally[v], len(v), v))
        u = next(u for u in dated if u.date["value"][:10] == value)
        gran = u.date.get("granularity")
        return {"value": value, "granularity": "day" if gran in ("time", None) and len(value) == 10 else gran,
                "origin": "document", "support": tally[value]}
    pubs = sorted(u.published for u in units if u.published)
    if pubs:
        return {"value": pubs[0], "granularity": "day", "origin": "published", "support": 0}
    return None


def _best_place(units: list[Unit], rules: GroupingRules) -> dict[str, Any] | None:
    """The most precise place most units agree on, own places before borrowed ones."""
    places = [u.place for u in units if u.place]
    if not places:
        return None

    def key(p: dict[str, Any]) -> tuple:
        own = sum(1 for q in places if _fold(q.get("name")) == _fold(p.get("name")) and q.get("origin") in OWN_ORIGINS)
        n = sum(1 for q in places if _fold(q.get("name")) == _fold(p.get("name")))
        return (own > 0, rules.place_rank.get(p.get("kind") or "", 0), n, own, _fold(p.get("name")))

    best = max(places, key=key)
    admin1 = best.get("admin1") or Counter(p.get("admin1") for p in places if p.get("admin1")).most_common(1)[0][0] \
        if any(p.get("admin1") for p in places) else best.get("admin1")
    n = sum(1 for q in places if _fold(q.get("name")) == _fold(best.get("name")))
    return {"name": best.get("name"), "kind": best.get("kind"), "country": best.get("country"), "admin1": admin1,
            "lat": best.get("lat"), "lon": best.get("lon"), "support": n}


def _confidence(units: list[Unit]) -> float:
    """The best event confidence of the incident, raised a little by each further article that reports it."""
    base = max(u.confidence for u in units)
    sources = len({u.source for u in units})
    return round(min(0.99, base + 0.05 * (sources - 1)), 2)


# --------------------------------------------------------------------------- the whole run


class IncidentGrouper:
    """Collects the units of records as they stream by, then groups them: ``add`` each record, then ``incidents()``.

    Only the units are kept, never the records, so a run over many articles holds a few hundred bytes per
    incident of an article.
    """

    def __init__(self, rules: GroupingRules | None = None, families: Mapping[str, str] | None = None) -> None:
        self.rules = rules or load_grouping_rules()
        self.families = type_families() if families is None else families
        self.units: list[Unit] = []
        self.records = 0
        self.left_out = 0
        self._sources: set[str] = set()

    def add(self, record: Mapping[str, Any]) -> None:
        """Take the units of one factx/1 record dict (a repeated source id is skipped: the first one counts)."""
        self.records += 1
        source = record["source"]["id"]
        if source in self._sources:
            return
        self._sources.add(source)
        self.units.extend(units_from_record(record, families=self.families, rules=self.rules))

    def incidents(self, *, group: Callable[[list[Unit]], list[list[int]]] | None = None) -> list[dict[str, Any]]:
        """The incidents of every record added so far, ordered by date, then id.

        An incident known only from passing mentions (no article's main incident) that has neither its own
        place nor its own day is left out: it cannot be told apart from the happenings it is mentioned beside.
        ``self.left_out`` counts the mentions left out that way.
        """
        groups = (group or (lambda us: group_units(us, self.rules)))(self.units)
        out = []
        self.left_out = 0
        for g in groups:
            units = [self.units[i] for i in g]
            if not any(u.main or (u.own_day is not None and (u.place or {}).get("origin") in OWN_ORIGINS)
                       for u in units):
                self.left_out += sum(len(u.events) for u in units)
                continue
            out.append(build_incident(units, self.rules))
        return sorted(out, key=lambda inc: ((inc["date"] or {}).get("value") or "9999", inc["id"]))


def group_records(records: Iterable[Mapping[str, Any]], *, rules: GroupingRules | None = None) -> list[dict[str, Any]]:
    """Group the events of many factx/1 record dicts into factx-incident/1 dicts.

    Example:
        >>> [i["types"] for i in group_records([_example("a", "2016-06-12", 3)])]
        [['shooting', 'kill']]
    """
    grouper = IncidentGrouper(rules)
    for rec in records:
        grouper.add(rec)
    return grouper.incidents()


def write_incidents(incidents: Iterable[Mapping[str, Any]], fh: TextIO) -> int:
    """Write one compact JSON line per incident; return how many."""
    n = 0
    for inc in incidents:
        fh.write(json.dumps(inc, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n


def _example(source: str, day: str, killed: int) -> dict[str, Any]:
    """A small factx/1 record of a shooting in Orlando (for the examples)."""
    place = {"name": "Orlando", "kind": "city", "country": "US", "admin1": "US-FL", "lat": 28.54, "lon": -81.38,
             "origin": "sentence"}
    date = {"value": day, "granularity": "day", "origin": "sentence"}
    events = [{"id": "e1", "type": "shooting", "trigger": {"text": "shooting", "start": 0, "end": 8},
               "place": place, "date": date, "sentence": {"start": 0, "end": 40}, "incident": "i1"},
              {"id": "e2", "type": "kill", "trigger": {"text": "killed", "start": 9, "end": 15},
               "count": {"value": killed, "qualifier": "exact"}, "place": place, "date": date,
               "sentence": {"start": 0, "end": 40}, "incident": "i1"}]
    return {"schema": RECORD_SCHEMA, "source": {"id": source}, "published": {"value": day, "origin": "metadata"},
            "events": events,
            "incidents": [{"id": "i1", "types": ["shooting", "kill"], "place": place, "date": date,
                           "counts": {"kill": {"value": killed, "qualifier": "exact", "events": ["e2"]}},
                           "events": ["e1", "e2"]}]}
