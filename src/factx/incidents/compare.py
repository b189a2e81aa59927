"""Comparing two units: evidence points that they tell of one happening, or None on a contradiction."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Callable, Iterable, Mapping

from .rules import LOWER_BOUNDS, OWN_ORIGINS, GroupingRules
from .units import Unit, _fold, _num


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
        >>> from factx.incidents import load_grouping_rules
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
        >>> from factx.incidents import _example, load_grouping_rules, units_from_record
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
