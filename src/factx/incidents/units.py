"""Units: each article's incidents reduced to what cross-article grouping needs."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from .dates import _follow_lag, _one_day, _period, _published, _published_period
from .rules import GroupingRules, load_grouping_rules, type_families

_NAME = re.compile(r"[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*|[A-Z]{2,5}\b")
_WORD = re.compile(r"[A-Za-z]+")
_SHARED: dict[tuple, dict[str, Any]] = {}  # places and dates, one dict per distinct value
_AGE = re.compile(r"^(year|month|week|day)s?[- ]?olds?$", re.I)


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
        >>> from factx.incidents import _example
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
    if event.get("part") == "title":
        return  # its sentence is the title's, the ages are the text's
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


def _fold(x: Any) -> str:
    return " ".join(_WORD.findall(x.casefold())) if isinstance(x, str) else ""
