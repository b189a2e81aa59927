"""The whole run: records streamed into units, grouped and built into incidents, written as JSON Lines."""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Mapping, TextIO

from .build import build_incident
from .group import group_units
from .rules import (
    OWN_ORIGINS,
    RECORD_SCHEMA,
    GroupingRules,
    load_grouping_rules,
    type_families,
)
from .units import Unit, units_from_record


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
