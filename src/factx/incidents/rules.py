"""The grouping rules of ``data/incidents.json``, checked once, and the names every stage shares."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

SCHEMA = "factx-incident/1"
RECORD_SCHEMA = "factx/1"
LOWER_BOUNDS = ("at_least", "more_than", "range")  # a range's value is its low end ("hundreds": 100)
# Where a record says an anchor comes from: these are the incident's own (its clause, its sentence, another
# event of it, its paragraph); the others (dateline, document, focus, published) are borrowed from the article.
OWN_ORIGINS = ("clause", "sentence", "incident", "paragraph")


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
