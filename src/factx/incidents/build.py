"""Incidents out: one factx-incident/1 object per group, with its stable id and reconciled counts."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from typing import Any, Iterable

from .dates import timex_period
from .rules import LOWER_BOUNDS, OWN_ORIGINS, SCHEMA, GroupingRules, load_grouping_rules
from .units import Unit, _fold


def incident_id(units: Iterable[Unit]) -> str:
    """A stable id from the group's smallest mention key: the same input gives the same id in any order.

    Example:
        >>> from factx.incidents import _example, units_from_record
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
