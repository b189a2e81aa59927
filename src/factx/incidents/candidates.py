"""Candidates: the pairs of units worth comparing (blocks cut into date windows) and copies of one report."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from typing import Iterable, Iterator, Mapping

from .compare import _wide, relate_pair
from .rules import GroupingRules
from .units import Unit


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
