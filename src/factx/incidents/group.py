"""Grouping: the pairs that reach the threshold joined, best first, into groups free of contradictions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .candidates import duplicate_pairs, partitions, score_partitions
from .compare import (
    COPY,
    LATE,
    _clash,
    _wide,
    counts_compatible,
    headline_weights,
    place_relation,
    relate_pair,
)
from .rules import GroupingRules, load_grouping_rules
from .units import Unit, _fold


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
